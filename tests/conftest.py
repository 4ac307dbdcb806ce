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


def copy_skeleton(dest: Path) -> Path:
    """A fresh copy of the project's site skeleton (no generated files) in `dest`."""
    for name in ("mkdocs.yml", "templates", "seeds"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    (dest / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "about.md", dest / "docs" / "about.md")
    return dest


def build_in(root: Path, *args: str):
    """Run `digest build ARGS` with `root` as the working directory; the CliRunner result."""
    from click.testing import CliRunner
    from digest.cli import cli
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        return CliRunner().invoke(cli, ["build", *args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A fresh copy of the project's site skeleton, as cwd."""
    copy_skeleton(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory):
    """The site built from seeds/ by `digest build`, once per test session (read-only)."""
    root = copy_skeleton(tmp_path_factory.mktemp("seed-site"))
    res = build_in(root)
    assert res.exit_code == 0, res.output
    return root / "site"
