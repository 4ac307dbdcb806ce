import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_articles():
    from digest.config import Config
    from digest.pipeline import gather
    result = gather(Config(seeds=SEEDS, cache=None))
    assert not result.skipped
    return {a.file: a for a in result.articles}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A fresh copy of the project's site skeleton (no generated files), as cwd."""
    for name in ("mkdocs.yml", "templates", "seeds"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "about.md", tmp_path / "docs" / "about.md")
    monkeypatch.chdir(tmp_path)
    return tmp_path
