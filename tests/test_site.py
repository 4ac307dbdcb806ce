"""The real site: `digest build` with MkDocs --strict, searchable, nothing loaded from other hosts."""
import gzip
import json
import re

import pytest



@pytest.fixture
def site(seed_site):
    return seed_site


def test_strict_build_makes_the_home_page(site):
    assert (site / "index.html").exists()
    assert (site / "actors" / "kataib-hezbollah" / "index.html").exists()


def test_no_request_to_third_party_hosts(site):
    pattern = re.compile(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=["']?(?:https?:)?//""", re.I)
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not pattern.search(html), f"{page} loads from another host"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def _search_docs(site):
    """Every page in Pagefind's bundles: its fragment (gzip, a signature, then JSON)."""
    docs = []
    for path in sorted(site.glob("pagefind*/fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        docs.append(json.loads(data[len(b"pagefind_dcd"):]))
    return docs


@pytest.mark.parametrize("name", ["KH", "Kata'ib Hezbollah", "Iraqi Hezbollah Brigades", "Kataib Hezbollah"])
def test_search_finds_kataib_hezbollah_page_for_each_name(site, name):
    hits = [d["url"] for d in _search_docs(site) if name.lower() in (d["meta"]["title"] + " " + d["content"]).lower()]
    assert any(url.startswith("/actors/kataib-hezbollah/") for url in hits), hits


def test_search_indexes_every_article_and_actor_page_once(site):
    urls = [d["url"] for d in _search_docs(site)]
    assert len(urls) == len(set(urls))
    assert len([u for u in urls if u.startswith("/articles/")]) == 5
    actors = {p.parent.name for p in (site / "actors").glob("*/index.html")}
    assert {u.split("/")[2] for u in urls if u.startswith("/actors/")} == actors


def test_search_filters_come_from_the_article(site):
    doc = next(d for d in _search_docs(site) if d["url"].startswith("/articles/001"))
    assert doc["filters"]["month"] == ["February 2020"]
    assert "Kataib Hezbollah" in doc["filters"]["actor"] and doc["filters"]["place"]


def test_search_leaves_out_what_repeats_on_article_pages(site):
    # digest/search.py IGNORE goes by position in templates/article.md.j2: kept are the title,
    # outlet, places, summary, actors' names and text; left out the other fields, the column
    # names, actors' kind and role and the sentence each was found in, the chronology's entries
    articles = [d for d in _search_docs(site) if d["url"].startswith("/articles/")]
    assert articles
    for doc in articles:
        text = doc["content"]
        assert text.startswith(doc["meta"]["title"]) and "Outlet." in text and "Where." in text
        assert "Summary." in text and "Text." in text
        assert all(name in text for name in doc["filters"].get("actor", []))
        assert all(name in text for name in doc["filters"].get("place", []))
        for gone in ("Published", "Filed under", "Casualties", "Dateline", "Found in", ".txt"):
            assert gone not in text, (doc["url"], gone)
        assert not re.search(r"\. (mentioned|claimed|blamed|target)\. ", text), doc["url"]
    actor = next(d for d in _search_docs(site) if d["url"] == "/actors/kataib-hezbollah/")
    assert "Written in these articles as." in actor["content"]  # actor pages are indexed whole


def test_search_page_lists_the_bundles_that_exist(site):
    js = (site / "assets" / "search-bundles.js").read_text()
    listed = json.loads(js[js.index("["):js.rindex("]") + 1])
    assert listed and all((site / b / "pagefind-ui.js").exists() for b in listed)


def test_atom_feed_parses_with_feedparser(site):
    import feedparser
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    dated = 4  # seed 004 has no date, so it cannot be placed in a feed
    assert len(feed.entries) == dated
    assert all(e.link.startswith("articles/") or "/articles/" in e.link for e in feed.entries)


def test_downloads_are_linked_and_validate(site):
    import csv
    from digest.export import validate
    home = (site / "index.html").read_text()
    assert 'href="downloads/digest.json"' in home and 'href="downloads/digest.csv"' in home
    data = json.loads((site / "downloads" / "digest.json").read_text())
    assert validate(data) == [] and len(data["articles"]) == 5
    rows = list(csv.DictReader((site / "downloads" / "digest.csv").open()))
    assert [r["id"] for r in rows] == [a["id"] for a in data["articles"]]


def broken_links(site):
    """Relative hrefs in the site's HTML that lead to no file. MkDocs checks the links written
    in Markdown; this also covers those written as HTML (article pages' tables)."""
    from urllib.parse import unquote, urljoin, urlsplit
    broken = []
    for page in sorted(site.rglob("*.html")):
        here = "/" + page.relative_to(site).as_posix()
        for href in re.findall(r'<a [^>]*href="([^"]+)"', page.read_text(encoding="utf-8")):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = unquote(urljoin(here, parts.path)).lstrip("/")
            path = site / target / "index.html" if target.endswith("/") or not target else site / target
            if not path.is_file():
                broken.append(f"{here}: {href}")
    return broken


def test_every_link_in_the_site_leads_to_a_page(site):
    links = sum(len(re.findall(r'<a [^>]*href="\.\./\.\./actors/', p.read_text(encoding="utf-8")))
                for p in (site / "articles").rglob("index.html"))
    assert links >= 5  # the actors tables' links are among those checked
    assert broken_links(site) == []
