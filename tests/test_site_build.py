"""digest.site_build: MkDocs with pages converted in parallel gives the same site, and what a
conversion logs (a broken link) still fails the strict build."""
import filecmp
import shutil

import pytest

from conftest import ROOT
from digest.config import Config
from digest.pipeline import generate


def _tree(site):
    """The site's files; Pagefind's bundles left out (their chunk names vary from run to run)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                  if p.is_file() and not p.relative_to(site).parts[0].startswith("pagefind"))


def _build(project, monkeypatch, parallel_from):
    monkeypatch.setenv("DIGEST_SITE_PARALLEL_FROM", str(parallel_from))
    shutil.rmtree(project / "site", ignore_errors=True)
    generate(Config(cache=None), site=True)
    return project / "site"


def test_parallel_conversion_builds_the_same_site(project, monkeypatch):
    serial = _build(project, monkeypatch, 10**9).rename(project / "serial")
    parallel = _build(project, monkeypatch, 1)
    assert _tree(serial) == _tree(parallel)
    html = [rel for rel in _tree(serial) if rel.endswith(".html")]
    _, mismatch, errors = filecmp.cmpfiles(serial, parallel, html, shallow=False)
    assert len(html) > 30 and not mismatch and not errors


def test_a_broken_link_fails_the_parallel_build_too(project, monkeypatch):
    (project / "docs" / "about.md").write_text("# About\n\n[gone](articles/no-such-page.md)\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="no-such-page"):
        _build(project, monkeypatch, 1)
