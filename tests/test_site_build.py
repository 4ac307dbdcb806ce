"""digest.site_build: MkDocs with whole pages built by forked workers (and Python-Markdown, MkDocs'
conversion and the theme's navigation sped up) gives the same site as MkDocs as it is; what a page logs (a
broken link or anchor) still fails the strict build; an incremental build in workers still
replaces files rather than writing through the live site's hard links; pages converted in an
earlier build (the cache) give the same site, and their warnings still fail it."""
import hashlib
import os
import pickle
import shutil
import sqlite3
import zlib
from contextlib import closing

import pytest

from conftest import ROOT
from digest import site_build
from digest.config import Config
from digest.pipeline import generate

# a page outside the navigation, so built by a worker: anchors of its own, links into the site
NOTES = """# Notes

## Sources { #sources }

See [the sources](#sources), [the chronology](chronology.md) and [about](about.md#how-each-article-is-read).
"""


def _tree(site):
    """The site's files; Pagefind's bundles left out (their chunk names vary from run to run)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                  if p.is_file() and not p.relative_to(site).parts[0].startswith("pagefind"))


def _build(project, monkeypatch, parallel_from=1, stock=False, fresh=True):
    """`fresh`: a full build without the cache; else as `digest build` does (incremental)."""
    monkeypatch.setenv("DIGEST_SITE_PARALLEL_FROM", str(parallel_from))
    if stock:
        monkeypatch.setenv("DIGEST_SITE_STOCK", "1")
    else:
        monkeypatch.delenv("DIGEST_SITE_STOCK", raising=False)
    if fresh:
        shutil.rmtree(project / "site", ignore_errors=True)
    return generate(Config(cache=None) if fresh else Config(), site=True)


def test_parallel_build_is_byte_identical_to_stock_mkdocs(project, monkeypatch):
    (project / "docs" / "notes.md").write_text(NOTES, encoding="utf-8")
    _build(project, monkeypatch, stock=True)
    stock = (project / "site").rename(project / "stock")
    _build(project, monkeypatch)
    parallel = project / "site"
    files = _tree(stock)
    assert files == _tree(parallel)
    html = [rel for rel in files if rel.endswith(".html")]
    assert len(html) > 30 and "notes/index.html" in html
    for rel in files:  # sitemap.xml(.gz) and 404.html too
        assert (stock / rel).read_bytes() == (parallel / rel).read_bytes(), rel


def test_the_docs_files_are_linked_into_the_site_not_copied(project, monkeypatch):
    """The docs folder's files (the downloads, the feed), which nothing writes into in place,
    are hard links in the site, in a full build and in an incremental one; the theme's are
    copies."""
    assert _build(project, monkeypatch, fresh=False).stats["site"] == "full"
    site, docs = project / "site", project / "docs"

    def linked(rel: str) -> bool:
        return (site / rel).stat().st_ino == (docs / rel).stat().st_ino

    assert all(linked(rel) for rel in ("downloads/digest.json", "downloads/digest.csv", "feed.xml"))
    assert next((site / "assets").rglob("*.js")).stat().st_nlink == 1
    before = (site / "downloads" / "digest.json").read_bytes()
    seed = sorted((project / "seeds").iterdir())[0]
    (project / "seeds" / "zz-new.txt").write_text(seed.read_text().replace("the", "the the", 1), encoding="utf-8")
    assert _build(project, monkeypatch, fresh=False).stats["site"] == "incremental"
    assert linked("downloads/digest.json") and (site / "downloads" / "digest.json").read_bytes() != before


def test_a_broken_link_fails_the_parallel_build_too(project, monkeypatch):
    (project / "docs" / "about.md").write_text("# About\n\n[gone](articles/no-such-page.md)\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="no-such-page"):
        _build(project, monkeypatch)


def test_a_missing_anchor_in_a_page_a_worker_built_fails_the_build(project, monkeypatch):
    # the worker sends the page's links back; the parent checks them against every page's anchors
    (project / "docs" / "notes.md").write_text(NOTES.replace("about.md#how-each-article-is-read", "about.md#no-such-anchor"),
                                               encoding="utf-8")
    with pytest.raises(RuntimeError, match="no-such-anchor"):
        _build(project, monkeypatch)


def test_an_incremental_build_in_workers_replaces_files_and_rebuilds_only_changed_pages(project, monkeypatch):
    _build(project, monkeypatch, fresh=False)
    site = project / "site"
    old = project / "old"
    old.mkdir()
    before = {}
    for path in site.rglob("*.html"):  # a second name for every page: none may change in place
        rel = path.relative_to(site).as_posix()
        os.link(path, old / rel.replace("/", "__"))
        before[rel] = (path.stat().st_ino, hashlib.sha256(path.read_bytes()).hexdigest())
    shutil.copy(sorted((ROOT / "tests" / "eval" / "articles").glob("*.txt"))[0], project / "seeds" / "zz-added.txt")
    assert _build(project, monkeypatch, fresh=False).stats["site"] == "incremental"
    for rel, (_, digest) in before.items():
        assert hashlib.sha256((old / rel.replace("/", "__")).read_bytes()).hexdigest() == digest, rel
    assert (site / "articles" / "zz-added" / "index.html").exists()
    rebuilt = {rel for rel, (ino, _) in before.items() if (site / rel).stat().st_ino != ino}
    in_nav = {"index.html", "404.html"} | {rel for rel in before if rel.count("/") == 1 and "/index.html" in rel}
    assert rebuilt - in_nav, "no page outside the navigation (built by workers) was rebuilt"
    assert len(rebuilt) < len(before) / 2  # --dirty: the pages whose Markdown did not change are kept


def _full(project, monkeypatch, cache=True):
    """A full build, as after `rm -rf site .cache/digest/site.json`; `cache`: with the cache of
    converted pages (and articles), else with none."""
    monkeypatch.setenv("DIGEST_SITE_PARALLEL_FROM", "1")
    monkeypatch.delenv("DIGEST_SITE_STOCK", raising=False)
    shutil.rmtree(project / "site", ignore_errors=True)
    return generate(Config(full=True) if cache else Config(cache=None), site=True)


def _same_as_without_cache(project, monkeypatch):
    cached = (project / "site").rename(project / "cached")
    _full(project, monkeypatch, cache=False)
    files = _tree(cached)
    assert files == _tree(project / "site")
    for rel in files:
        assert (cached / rel).read_bytes() == (project / "site" / rel).read_bytes(), rel
    shutil.rmtree(cached)


def test_pages_from_the_cache_give_the_same_site_as_a_build_without_it(project, monkeypatch):
    (project / "docs" / "notes.md").write_text(NOTES, encoding="utf-8")
    first = _full(project, monkeypatch).stats["html"]
    pages = first["converted"]
    assert pages > 30 and first["reused"] == 0
    again = _full(project, monkeypatch).stats["html"]
    assert (again["converted"], again["reused"]) == (0, pages)
    _same_as_without_cache(project, monkeypatch)
    # one page changed, one article (so its page) gone: the pages that link to it (actors,
    # months, chronology) are made again as their Markdown changed; the rest come from the cache
    (project / "docs" / "notes.md").write_text(NOTES.replace("See", "Read"), encoding="utf-8")
    gone = sorted((project / "seeds").iterdir())[0]
    gone.unlink()
    third = _full(project, monkeypatch).stats["html"]
    assert third["converted"] >= 2 and third["reused"] > pages / 2
    assert third["converted"] + third["reused"] < pages  # its page (and the actors' only it named)
    _same_as_without_cache(project, monkeypatch)


def test_a_page_converted_again_replaces_its_cache_entry(project, monkeypatch):
    """Incremental builds never see most pages, so only a full build can forget what is not
    used: without this, each one-article build would grow the file."""
    _full(project, monkeypatch)

    def entries():
        with closing(sqlite3.connect(project / ".cache" / "digest" / "html.sqlite")) as db:
            return db.execute("SELECT count(*), count(DISTINCT uri) FROM page").fetchone()
    rows, pages = entries()
    assert rows == pages > 30
    changed = sorted((project / "seeds").iterdir())[-1]
    for word in ("Quuxfrob", "Zanzibarquux"):
        lines = changed.read_text(encoding="utf-8").split("\n")
        longest = max(range(len(lines)), key=lambda i: len(lines[i]))  # a paragraph of the article itself
        lines[longest] += f" {word} was named in an update."
        changed.write_text("\n".join(lines), encoding="utf-8")
        stats = _build(project, monkeypatch, fresh=False).stats
        assert stats["site"] == "incremental" and stats["html"]["converted"] > 0
    assert entries() == (rows, pages)


def test_a_cache_file_of_an_older_layout_is_made_again(tmp_path):
    path = tmp_path / "html.sqlite"
    with sqlite3.connect(path) as db:  # the layout before pages' paths were stored
        db.execute("CREATE TABLE page (key TEXT PRIMARY KEY, blob BLOB)")
        db.execute("INSERT INTO page VALUES ('k', x'00')")
    db.close()
    assert site_build._open_cache(path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM page").fetchone() == (0,)
        assert "uri" in [column[1] for column in db.execute("PRAGMA table_info(page)")]
    db.close()


def test_a_cached_page_s_warning_still_fails_the_strict_build(project, monkeypatch):
    (project / "docs" / "notes.md").write_text(NOTES + "\n[later](later.md)\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="later.md"):
        _full(project, monkeypatch)
    # the stored warning marked, to tell it apart from one a new conversion would log
    db = sqlite3.connect(project / ".cache" / "digest" / "html.sqlite")
    marked = 0
    for key, blob in db.execute("SELECT key, blob FROM page").fetchall():
        entry = pickle.loads(zlib.decompress(blob))
        for record in entry[-1]:
            record.msg, marked = record.msg.replace("later.md", "later.md (from the cache)"), marked + 1
        db.execute("UPDATE page SET blob = ? WHERE key = ?", (zlib.compress(pickle.dumps(entry)), key))
    db.commit()
    db.close()
    assert marked == 1
    with pytest.raises(RuntimeError, match=r"later.md \(from the cache\)"):
        _full(project, monkeypatch)
    # the link's target made: notes.md is unchanged, but what its conversion looked up is not
    (project / "docs" / "later.md").write_text("# Later\n", encoding="utf-8")
    assert _full(project, monkeypatch).stats["html"]["converted"] >= 2  # notes.md and later.md
    _same_as_without_cache(project, monkeypatch)


def test_a_damaged_cache_file_is_deleted_and_made_again(project, monkeypatch):
    pages = _full(project, monkeypatch).stats["html"]["converted"]
    path = project / ".cache" / "digest" / "html.sqlite"
    path.write_bytes(b"not a database" * 100)
    stats = _full(project, monkeypatch).stats["html"]
    assert (stats["converted"], stats["reused"]) == (pages, 0)
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM page").fetchone() == (pages,)
    db.close()
    assert _full(project, monkeypatch).stats["html"]["reused"] == pages
    _same_as_without_cache(project, monkeypatch)


def test_no_cache_means_no_cache_file(project, monkeypatch):
    assert "converted" not in _full(project, monkeypatch, cache=False).stats["html"]
    assert not (project / ".cache").exists()
