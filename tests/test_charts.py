"""digest/charts.py: build-time SVG charts are valid XML, escaped, accessible, deterministic."""
import xml.etree.ElementTree as ET

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest import charts
from digest.charts import (MAX_COLUMNS, actor_month_svg, actor_month_table, figure, safe_href,
                           sparkline_svg)

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>"
INJECT = '" onload="x'
ROWS = [("Kata'ib Hezbollah", "../kataib-hezbollah/"), (HOSTILE, INJECT), ("A & B", "../a-b/")]
MONTHS = ["2024-01", "2024-02", "2024-04"]  # March is a gap: the grid fills it
COUNTS = {("Kata'ib Hezbollah", "2024-01"): 3, (HOSTILE, "2024-02"): 1, ("A & B", "2024-04"): 12,
          ("Nobody", "2024-01"): 5, ("A & B", "not-a-month"): 7}


def parse(svg: str) -> ET.Element:
    assert "\n\n" not in svg
    return ET.fromstring(svg)


def assert_safe(svg: str):
    assert "<script" not in svg.lower()
    assert 'onload="' not in svg
    for el in parse(svg).iter():
        assert not any(k.lower().startswith("on") for k in el.attrib), el.attrib


def assert_accessible(root: ET.Element):
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    found = {el.get("id"): el.tag for el in root if el.get("id")}
    assert [found[i] for i in ids] == [NS + "title", NS + "desc"]


def test_heatmap_grid():
    svg = actor_month_svg(ROWS, MONTHS, COUNTS, "Actors <by> month")
    root = parse(svg)
    assert_accessible(root)
    cells = [r for r in root.iter(NS + "rect") if r.find(NS + "title") is not None]
    assert len(cells) == 3 * 4  # 3 actors x Jan..Apr 2024
    tips = {r.find(NS + "title").text for r in cells}
    assert "Kata'ib Hezbollah, January 2024: 3 articles" in tips
    assert f"{HOSTILE}, February 2024: 1 article" in tips
    assert "A & B, March 2024: 0 articles" in tips
    links = [a.get("href") for a in root.iter(NS + "a")]
    assert links == ["../kataib-hezbollah/", '"%20onload="x', "../a-b/"]  # an attribute value, inert
    assert root.find(NS + "title").text == "Actors <by> month"
    assert_safe(svg)


def test_heatmap_by_year_when_long():
    months = [f"{y}-{m:02d}" for y in range(2015, 2025) for m in range(1, 13)]
    assert len(months) > MAX_COLUMNS
    svg = actor_month_svg(ROWS[:1], months, {("Kata'ib Hezbollah", "2016-05"): 2,
                                             ("Kata'ib Hezbollah", "2016-07"): 1}, "t")
    root = parse(svg)
    cells = [r for r in root.iter(NS + "rect") if r.find(NS + "title") is not None]
    assert len(cells) == 10
    assert "Kata'ib Hezbollah, 2016: 3 articles" in {r.find(NS + "title").text for r in cells}
    assert "years" in root.find(NS + "desc").text


def test_heatmap_deterministic_and_unique_ids():
    a = actor_month_svg(ROWS, MONTHS, COUNTS, "t")
    assert a == actor_month_svg(list(ROWS), list(MONTHS), dict(reversed(list(COUNTS.items()))), "t")
    b = actor_month_svg(ROWS[:1], MONTHS, COUNTS, "t")
    assert parse(a).get("aria-labelledby") != parse(b).get("aria-labelledby")


def test_heatmap_empty():
    for svg in (actor_month_svg([], [], {}, "t"), actor_month_svg(ROWS, [], {}, "t")):
        root = parse(svg)
        assert not [r for r in root.iter(NS + "rect") if r.find(NS + "title") is not None]
        assert "no dated articles" in root.find(NS + "desc").text


def test_table_collapses_empty_months_and_escapes():
    table = actor_month_table(ROWS, MONTHS, COUNTS)
    lines = table.strip().splitlines()
    assert lines[0] == "| Actor | Jan 2024 | Feb 2024 | Apr 2024 | Total |"  # no March column
    assert "<script" not in table and HOSTILE not in table
    assert "| [A &#38; B](../a-b/) | 0 | 0 | 12 | 12 |" in lines
    html = markdown.markdown(table, extensions=["tables"])
    assert "<script" not in html and "onload=\"" not in html
    assert html.count("<tr>") == 4
    assert actor_month_table(ROWS, [], {}) == "No dated articles."


def test_sparkline():
    counts = {"2024-01": 2, "2024-04": 5, "2023-12": 0}
    svg = sparkline_svg(["2024-01", "2024-04"], counts, f"{HOSTILE} activity")
    root = parse(svg)
    assert_accessible(root)
    bars = [r for r in root.iter(NS + "rect") if r.find(NS + "title") is not None]
    assert [b.find(NS + "title").text for b in bars] == [
        "January 2024: 2 articles", "February 2024: 0 articles", "March 2024: 0 articles",
        "April 2024: 5 articles"]
    assert float(bars[3].get("height")) > float(bars[0].get("height")) > float(bars[1].get("height"))
    assert_safe(svg)
    assert svg == sparkline_svg(["2024-01", "2024-04"], dict(counts), f"{HOSTILE} activity")
    parse(sparkline_svg([], {}, "none"))
    assert len(list(parse(sparkline_svg(["2024-03"], {"2024-03": 1}, "one")).iter(NS + "rect"))) == 1


@pytest.mark.parametrize("href,ok", [("../x/", True), ("https://e.org/a", True), ("#top", True),
                                     ("javascript:alert(1)", False), (" JaVaScRiPt:x", False),
                                     ("data:text/html,x", False), ("", False), (None, False)])
def test_safe_href(href, ok):
    assert (safe_href(href) is not None) == ok


def test_unsafe_href_is_not_linked():
    svg = actor_month_svg([("X", "javascript:alert(1)")], MONTHS, {("X", "2024-01"): 1}, "t")
    assert "javascript" not in svg and parse(svg).find(f".//{NS}a") is None


def test_figure_passes_through_markdown():
    svg = actor_month_svg(ROWS, MONTHS, COUNTS, "t")
    page = f"# Page\n\nIntro.\n\n{figure(svg, 'Caption <b>')}\n\nAfter.\n"
    html = markdown.markdown(page, extensions=["tables", "admonition", "attr_list", "toc"])
    assert svg in html
    assert "<figcaption>Caption &lt;b&gt;</figcaption>" in html


@given(st.text())
def test_text_and_attributes_are_escaped_as_the_xml_library_does(value):
    from xml.sax.saxutils import escape

    from digest.charts import attr, text
    clean = " ".join(value.split())
    assert text(value) == escape(charts._BAD_CHARS.sub("", clean))
    assert attr(value) == '"' + escape(charts._BAD_CHARS.sub("", clean), {'"': "&quot;"}) + '"'
