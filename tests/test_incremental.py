"""Incremental site builds: only changed pages are rebuilt, search stays complete and right,
and the live site is never written through while the next one is staged."""
import gzip
import json
import os
import shutil

import pytest

from conftest import ROOT, build_in
from digest import search
from digest.analyse import article_id
from digest.config import Config
from digest.pipeline import generate

EVAL = ROOT / "tests" / "eval" / "articles"


def _build(project, **kw):
    return generate(Config(**kw), site=True).stats


def _search_urls(site):
    urls = []
    for path in site.glob("**/fragment/*.pf_fragment"):
        urls.append(json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])["url"])
    return urls


def _add(project, name="zz-added.txt"):
    shutil.copy(sorted(EVAL.glob("*.txt"))[0], project / "seeds" / name)
    return "/articles/" + name.removesuffix(".txt") + "/"


def test_adding_an_article_rebuilds_only_changed_pages_and_search_finds_it(project):
    assert _build(project)["site"] == "full"
    site = project / "site"
    untouched = site / "articles" / "001-b4548a4fd260a6a2" / "index.html"
    before = untouched.stat()
    url = _add(project)
    stats = _build(project)
    assert stats["site"] == "incremental"
    assert (site / url.strip("/") / "index.html").exists()
    after = untouched.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # not rebuilt
    urls = _search_urls(site)
    assert url in urls and len(urls) == len(set(urls))
    assert len([u for u in urls if u.startswith("/articles/")]) == 6


def test_the_live_site_is_not_written_through_while_staging(project):
    _build(project)
    site = project / "site"
    keep = {}
    for rel in ("index.html", "sitemap.xml", "sitemap.xml.gz", "pagefind-recent/pagefind-entry.json"):
        os.link(site / rel, project / rel.replace("/", "_"))  # a second name for the old file
        keep[rel] = (site / rel).read_bytes()
    _add(project)
    assert _build(project)["site"] == "incremental"
    for rel, data in keep.items():
        assert (project / rel.replace("/", "_")).read_bytes() == data, f"{rel} was modified in place"


def test_removed_and_changed_articles_leave_no_stale_page_or_search_entry(project):
    _build(project)
    site = project / "site"
    victim, changed = sorted((project / "seeds").iterdir())[0], sorted((project / "seeds").iterdir())[-1]
    gone = f"/articles/{article_id(victim.name)}/"
    victim.unlink()
    lines = changed.read_text(encoding="utf-8").split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))  # a paragraph of the article itself
    lines[longest] += " Zanzibarquux was named in an update."
    changed.write_text("\n".join(lines), encoding="utf-8")
    assert _build(project)["site"] == "incremental"
    assert not (site / gone.strip("/")).exists()
    urls = _search_urls(site)
    assert gone not in urls and len(urls) == len(set(urls))
    contents = b"".join(gzip.decompress(p.read_bytes()) for p in site.glob("pagefind*/fragment/*"))
    assert b"Zanzibarquux" in contents


@pytest.mark.parametrize("change", ["mkdocs.yml", "--no-cache", "site deleted", "state corrupt"])
def test_anything_the_state_does_not_cover_means_a_full_build(project, change):
    _build(project)
    kw = {}
    if change == "mkdocs.yml":
        with open(project / "mkdocs.yml", "a", encoding="utf-8") as f:
            f.write("\nextra:\n  note: changed\n")
    elif change == "--no-cache":
        kw = {"cache": None}
    elif change == "site deleted":
        shutil.rmtree(project / "site")
    else:
        Config().state.write_text("{not json", encoding="utf-8")
    assert _build(project, **kw)["site"] == "full"
    assert len([u for u in _search_urls(project / "site") if u.startswith("/articles/")]) == 5


@pytest.mark.parametrize("change", ["edited", "added", "removed"])
def test_a_changed_hand_written_file_means_a_full_build_that_shows_it(project, change):
    notes = project / "docs" / "notes.md"  # beside about.md: digest never writes it
    if change != "added":
        notes.write_text("# Notes\n\nFirst words.\n", encoding="utf-8")
    _build(project)
    if change == "removed":
        notes.unlink()
    else:
        notes.write_text("# Notes\n\nQuuxfrob, written by an editor.\n", encoding="utf-8")
    assert _build(project)["site"] == "full"
    page = project / "site" / "notes" / "index.html"
    assert not page.exists() if change == "removed" else "Quuxfrob" in page.read_text(encoding="utf-8")
    (project / "docs" / ".notes.md.swp").write_bytes(b"an editor's")  # hidden: not in the site
    assert _build(project)["site"] == "incremental"  # nothing else changed: the saved state holds


def test_recent_bundle_is_folded_into_main_past_its_limit(project, monkeypatch):
    _build(project)
    monkeypatch.setattr(search, "RECENT_LIMIT", 1)
    site = project / "site"
    one, two = _add(project, "zz-one.txt"), None
    _build(project)
    assert one in _search_urls(site / "pagefind-recent") and one not in _search_urls(site / "pagefind-0")
    two = _add(project, "zz-two.txt")
    _build(project)  # two articles outgrow the limit: everything goes into the main bundle
    assert {one, two} <= set(_search_urls(site / "pagefind-0"))
    assert not [u for u in _search_urls(site / "pagefind-recent") if u.startswith("/articles/")]


def _bundles(site):
    text = (site / search.BUNDLES_JS).read_text(encoding="utf-8")
    return json.loads(text[text.index("["):text.rindex("]") + 1])


def _entry_id(site, bundle):
    st = (site / bundle / "pagefind-entry.json").stat()
    return st.st_ino, st.st_mtime_ns


def test_main_bundle_is_sharded_and_a_change_reindexes_only_its_shard(project, monkeypatch):
    monkeypatch.setattr(search, "SHARD_PAGES", 2)
    _build(project)
    site = project / "site"
    shards = [b.rstrip("/") for b in _bundles(site) if b != "pagefind-recent/"]
    assert shards == ["pagefind-0", "pagefind-1", "pagefind-2"]  # 5 articles: 1, 2 and 2
    assert _bundles(site)[-1] == "pagefind-recent/"
    held = {b: _search_urls(site / b) for b in shards}
    assert all(1 <= len(urls) <= 2 for urls in held.values())
    every = [u for urls in held.values() for u in urls]
    assert len(every) == len(set(every)) == 5
    before = {b: _entry_id(site, b) for b in shards}
    home = next(b for b, urls in held.items() if len(urls) == 2)  # a shard that outlives the removal
    victim = next(p for p in (project / "seeds").iterdir() if f"/articles/{article_id(p.name)}/" in held[home])
    gone = f"/articles/{article_id(victim.name)}/"
    victim.unlink()
    assert _build(project)["site"] == "incremental"
    after = {b: _entry_id(site, b) for b in shards}
    assert [b for b in shards if after[b] != before[b]] == [home]  # the others are the same files
    assert gone not in _search_urls(site) and len(_search_urls(site / home)) == 1


def test_shards_are_filled_evenly_then_topped_up(monkeypatch):
    monkeypatch.setattr(search, "SHARD_PAGES", 3)
    pages = {f"articles/{i:03}.md": "k" for i in range(7)}
    shards = {}
    assert search._place(shards, sorted(pages), pages) == {"0", "1", "2"}
    assert [len(shards[k]) for k in ("0", "1", "2")] == [2, 2, 3]
    assert sorted(rel for part in shards.values() for rel in part) == sorted(pages)
    shards = {"0": {"articles/a.md": "k"}}
    more = {"articles/b.md": "k", "articles/c.md": "k", "articles/d.md": "k"}
    assert search._place(shards, sorted(more), more) == {"0", "1"}  # topped up, then a new shard
    assert shards == {"0": {"articles/a.md": "k", "articles/b.md": "k", "articles/c.md": "k"},
                      "1": {"articles/d.md": "k"}}


def test_cli_says_how_the_site_was_built(project):
    res = build_in(project)
    assert res.exit_code == 0, res.output
    _add(project)
    res = build_in(project)
    assert "site -> site/ (incremental)" in res.output
    res = build_in(project, "--full")
    assert "site -> site/ (full)" in res.output and "(0 analysed, 6 from cache)" in res.output


def test_serve_previews_the_site_with_search_and_picks_up_a_new_article(project):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "digest.cli_main", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def get(path, until=60):
        deadline = time.monotonic() + until
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
                    return r.status
            except OSError:
                time.sleep(0.5)
        return None

    try:
        assert get("/pagefind-0/pagefind-entry.json") == 200
        url = _add(project)
        assert get(url) == 200
        assert get("/pagefind-recent/pagefind-entry.json") == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
