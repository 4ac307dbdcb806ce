"""Long lists split into pages: by year, then month, then numbered; small lists stay whole."""
import re

from hypothesis import given, strategies as st

from conftest import ROOT, copy_skeleton
from test_site import broken_links
from digest import render
from digest.config import Config
from digest.paginate import split
from digest.pipeline import generate


def test_a_list_that_fits_stays_on_one_page():
    assert [(p.suffix, p.items) for p in split([1, 2], 2, ["2023-01"] * 2)] == [("", [1, 2])]


def test_split_by_year_then_month_then_numbered_pages():
    items = ["2022-05-01"] * 2 + ["2023-01-02"] * 3 + ["2023-02-03"] * 2 + [None] * 3
    parts = split(items, 2, items)
    assert [(p.suffix, p.period, len(p.items)) for p in parts] == [
        ("2022", "2022", 2), ("2023-01", "2023-01", 2), ("2023-01/page-2", "2023-01", 1),
        ("2023-02", "2023-02", 2), ("undated", "undated", 2), ("undated/page-2", "undated", 1)]


@given(st.lists(st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())), max_size=60), st.integers(1, 7))
def test_split_keeps_every_item_once_in_order_within_the_limit(keys, limit):
    keys = sorted(keys, key=lambda k: (k is None, k or ""))
    parts = split(keys, limit, keys)
    assert [x for p in parts for x in p.items] == keys
    assert all(len(p.items) <= limit for p in parts)
    assert len({p.suffix for p in parts}) == len(parts)


def _parts_by_definition(items, limit, keys):
    """What split() must return, read key by key: a year's items on one page if they fit, else
    its months' (numbered pages past the limit); the undated last, numbered alike."""
    from itertools import groupby

    def pages(period, chunk):
        return [(period if n == 1 else f"{period}/page-{n}", period, chunk[i:i + limit])
                for n, i in enumerate(range(0, len(chunk), limit), 1)]

    out = []
    for year, run in groupby(zip(items, keys), lambda pair: pair[1][:4] if pair[1] else None):
        run = list(run)
        if year is None:
            out += pages("undated", [x for x, _ in run])
        elif len(run) <= limit:
            out.append((year, year, [x for x, _ in run]))
        else:
            for month, days in groupby(run, lambda pair: pair[1][:7]):
                out += pages(month, [x for x, _ in days])
    return out


@given(st.lists(st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()), st.dates().map(lambda d: d.isoformat()[:7]),
                          st.integers(1990, 2030).map(str)), max_size=80), st.integers(1, 7))
def test_split_finds_the_periods_a_key_by_key_reading_does(keys, limit):
    """split() bisects the sorted keys for each period's end; a reading of every key agrees,
    for day, month and year keys alike ("2023" is a period of its own beside "2023-01")."""
    keys = sorted(keys, key=lambda k: (k is None, k or ""))
    items = list(range(len(keys)))
    want = [("", "", items)] if len(items) <= limit else _parts_by_definition(items, limit, keys)
    assert [(p.suffix, p.period, p.items) for p in split(items, limit, keys)] == want


def test_a_big_archive_splits_pages_and_every_link_and_anchor_resolves(tmp_path, monkeypatch):
    """The eval corpus with tiny limits: MkDocs --strict (anchors: warn) checks every link."""
    copy_skeleton(tmp_path)
    for src in sorted((ROOT / "tests" / "eval" / "articles").iterdir()):
        (tmp_path / "seeds" / src.name).write_bytes(src.read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(render, "CHRONOLOGY_LIMIT", 3)
    monkeypatch.setattr(render, "ACTOR_LIMIT", 2)
    monkeypatch.setattr(render, "MONTH_LIMIT", 1)
    monkeypatch.setattr(render, "UNDATED_LISTED", 1)
    monkeypatch.setattr(render, "REPORTS_LISTED", 1)
    generate(Config(), site=True)
    docs, site = tmp_path / "docs", tmp_path / "site"
    chronology = sorted(p.relative_to(docs).as_posix() for p in (docs / "chronology").rglob("*.md"))
    assert len(chronology) > 3 and all(re.fullmatch(r"chronology/\d{4}(-\d\d(/page-\d+)?)?\.md", c) for c in chronology)
    kh = (docs / "actors" / "kataib-hezbollah.md").read_text(encoding="utf-8")
    assert "## By period" in kh and "## Articles" not in kh
    assert (docs / "months" / "undated" / "page-2.md").exists()
    index = (docs / "chronology.md").read_text(encoding="utf-8")
    assert "## By period" in index and "lists them, each with the reason" in index
    parts = "".join((docs / c).read_text(encoding="utf-8") for c in chronology)
    assert "; and 1 more (each links here)" in parts  # two reports of one incident, one listed
    assert (site / "chronology" / chronology[0].split("/", 1)[1].removesuffix(".md") / "index.html").exists()
    assert broken_links(site) == []  # the links written as HTML too
