"""The generated Markdown for seeds/ compared with tests/golden/ byte for byte.

Refresh after an intended change: `make golden`, then review `git diff tests/golden`.
"""
import dataclasses
import os
import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.config import Config
from digest.memo import KEPT, WRITTEN
from digest.pipeline import gather
from digest.render import actor_link, article_link, link, month_link, page_url, render_all
from digest.write import as_text

from conftest import ROOT, SEEDS

GOLDEN = Path(__file__).parent / "golden"


def _pages():
    result = gather(Config(seeds=SEEDS, cache=None))
    return {rel: as_text(v) for rel, v in render_all(result.articles, ROOT / "templates", Config().site_name).items()}


def test_generated_pages_match_golden():
    pages = _pages()
    if os.environ.get("DIGEST_REFRESH_GOLDEN"):
        for old in [p for p in GOLDEN.rglob("*") if p.is_file()]:
            old.unlink()
        for rel, text in pages.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
                for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(pages) == sorted(expected), "page set differs: run `make golden` if intended"
    for rel in sorted(pages):
        assert pages[rel] == expected[rel], f"{rel} differs from tests/golden/{rel}: run `make golden` if intended"


def test_two_runs_are_byte_identical():
    assert _pages() == _pages()


def test_pages_rendered_by_forked_workers_are_the_same(monkeypatch):
    """This process and a forked one take pages in turn (one at a time here): the same pages,
    in the same order, as one process alone."""
    import digest.render
    serial = _pages()
    monkeypatch.setattr(digest.render, "RENDER_PARALLEL_FROM", 1)
    monkeypatch.setattr(digest.render, "BLOCK", 1)
    result = gather(Config(seeds=SEEDS, cache=None))
    parallel = render_all(result.articles, ROOT / "templates", Config().site_name, jobs=2)
    assert serial and {rel: as_text(v) for rel, v in parallel.items()} == serial
    assert list(parallel) == list(serial)


@pytest.mark.parametrize("parallel_from", [1, 10**9])  # forked workers, and the parent alone
def test_pages_written_by_the_renderers_are_the_pages(monkeypatch, tmp_path, parallel_from):
    """render_all with `out`: each page is written there at once, unless `base` holds it already."""
    import digest.render
    monkeypatch.setattr(digest.render, "RENDER_PARALLEL_FROM", parallel_from)
    monkeypatch.setattr(digest.render, "BLOCK", 1)
    serial = _pages()
    articles = gather(Config(seeds=SEEDS, cache=None)).articles
    base, out = tmp_path / "base", tmp_path / "out"
    kept = sorted(serial)[::3]  # base holds a third of the pages already, and one stale page
    for rel in kept:
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(serial[rel], encoding="utf-8")
    stale = sorted(serial)[1]
    (base / stale).parent.mkdir(parents=True, exist_ok=True)
    (base / stale).write_text("old text\n", encoding="utf-8")
    pages = render_all(articles, ROOT / "templates", Config().site_name, jobs=2, base=base, out=out)
    assert {rel for rel, v in pages.items() if v is KEPT} == set(kept)
    assert {rel for rel, v in pages.items() if v is WRITTEN} == set(serial) - set(kept)
    for rel in set(serial) - set(kept):
        assert (out / rel).read_text(encoding="utf-8") == serial[rel]
    assert not any((out / rel).exists() for rel in kept)


def test_templates_may_call_the_page_helpers_as_functions_too():
    """The shipped templates use the helpers as filters; a template written with the older
    calls (article_link(a, here)) renders the same."""
    from digest.render import environment
    a = gather(Config(seeds=SEEDS, cache=None)).articles[0]
    env = environment(str(ROOT / "templates"))
    calls = {"{{ a|article_link(here) }} {{ a|when }} {{ a.published|date }} {{ a.month|month_link(here) }}":
             "{{ article_link(a, here) }} {{ when(a) }} {{ date(a.published) }} {{ month_link(a.month, here) }}",
             "{{ a.actors[0].slug|actor_link(a.actors[0].name, here) }} {{ 'actors/x.md'|page_url(here) }}":
             "{{ actor_link(a.actors[0].slug, a.actors[0].name, here) }} {{ page_url('actors/x.md', here) }}"}
    for as_filters, as_functions in calls.items():
        shown = env.from_string(as_filters).render(a=a, here="months/2024-01.md")
        assert "](../articles/" in shown or "actors/x/" in shown
        assert env.from_string(as_functions).render(a=a, here="months/2024-01.md") == shown


_ARTICLE = None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60).filter(lambda t: "\n" not in t), st.sampled_from([None, "2024-01"]), st.sampled_from(["actors/x.md", "actors/x/2024-01.md"]))
def test_links_written_as_html_are_what_markdown_makes_of_the_markdown_links(title, month, here):
    """The links of tables written as HTML (html=True) give the site the HTML that MkDocs made
    of the Markdown links: the same text, with the URL MkDocs makes."""
    global _ARTICLE
    _ARTICLE = _ARTICLE or gather(Config(seeds=SEEDS, cache=None)).articles[0]
    a = dataclasses.replace(_ARTICLE, title=title)
    convert = markdown.Markdown(extensions=["tables", "admonition", "attr_list", "toc"]).convert
    for as_markdown, as_html, target in (
            (article_link(a, here), article_link(a, here, html=True), f"articles/{a.id}.md"),
            (actor_link("x-y", title, here), actor_link("x-y", title, here, html=True), "actors/x-y.md"),
            (month_link(month, here), month_link(month, here, html=True), f"months/{month or 'undated'}.md")):
        cell = re.search(r"<td>(.*)</td>", convert(f"| x |\n|---|\n| {as_markdown} |"), re.S).group(1)
        assert f'href="{link(target, here)}"' in cell  # MkDocs turns it into page_url's
        assert cell.replace(link(target, here), page_url(target, here), 1) == as_html
