"""The real site: `digest build` with MkDocs --strict, searchable, nothing loaded from other hosts."""
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
    return json.loads((site / "search" / "search_index.json").read_text())["docs"]


@pytest.mark.parametrize("name", ["KH", "Kata'ib Hezbollah", "Iraqi Hezbollah Brigades", "Kataib Hezbollah"])
def test_search_finds_kataib_hezbollah_page_for_each_name(site, name):
    hits = [d["location"] for d in _search_docs(site) if name.lower() in (d["title"] + " " + d["text"]).lower()]
    assert any(loc.startswith("actors/kataib-hezbollah/") for loc in hits), hits


def test_search_indexes_every_article(site):
    locations = {d["location"] for d in _search_docs(site)}
    assert len([l for l in locations if l.startswith("articles/") and "#" not in l]) == 5


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
