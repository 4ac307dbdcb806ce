"""Memoised rendering: pages whose inputs did not change are kept, and docs/ always ends up
exactly as a full render would write it."""
import copy
import os
import pickle
import shutil
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import digest.cache
import digest.render
from conftest import ROOT
from digest import search
from digest.analyse import article_id
from digest.config import Config
from digest.escape import Md
from digest.memo import KEPT, Memo
from digest.model import DateValue
from digest.pipeline import gather, generate
from digest.render import render_all
from digest.write import MANIFEST, as_text, generated

EVAL = sorted((ROOT / "tests" / "eval" / "articles").iterdir())


def _docs(project):
    return {p.relative_to(project / "docs").as_posix(): p.read_text(encoding="utf-8")
            for p in (project / "docs").rglob("*") if p.is_file() and p.name != MANIFEST}


def _full_render(project):
    cfg = Config()
    return {rel: as_text(v) for rel, v in render_all(gather(cfg).articles, cfg.templates, cfg.site_name).items()}


def test_nothing_changed_means_nothing_rendered_again(project):
    generate(Config())
    assert generate(Config()).stats["written"] == 0
    cfg = Config()
    memo = Memo(cfg.templates, {k: v for k, v in generated(cfg.docs).items() if v}, cfg.docs)
    pages = render_all(gather(cfg).articles, cfg.templates, cfg.site_name, memo)
    kept = {p for p, v in pages.items() if v is KEPT}
    assert {p for p in pages if p.startswith(("articles/", "actors/", "months/2"))} - {"actors/index.md"} <= kept


@pytest.mark.parametrize("split", [False, True], ids=["whole pages", "split pages"])
def test_after_adding_removing_and_editing_articles_docs_match_a_full_render(project, monkeypatch, split):
    if split:  # tiny limits: the chronology, actors and months are split into parts, as at 10,000 articles
        for name, limit in (("CHRONOLOGY_LIMIT", 3), ("ACTOR_LIMIT", 2), ("MONTH_LIMIT", 2)):
            monkeypatch.setattr(digest.render, name, limit)
    generate(Config())
    for src in EVAL[:6]:
        shutil.copy(src, project / "seeds" / src.name)
    generate(Config())
    (project / "seeds" / EVAL[0].name).unlink()
    edited = project / "seeds" / EVAL[1].name
    lines = edited.read_text(encoding="utf-8").split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))  # a paragraph of the article itself
    lines[longest] += " Zanzibarquux was named in an update."
    edited.write_text("\n".join(lines), encoding="utf-8")
    generate(Config())
    assert "Zanzibarquux" in _docs(project)[f"articles/{article_id(EVAL[1].name)}.md"]
    assert split == any("/page-" in p or p.startswith("actors/") and p.count("/") == 2 for p in _docs(project))
    assert _docs(project) == _full_render(project) | {"about.md": (ROOT / "docs" / "about.md").read_text()}


def test_a_template_change_renders_every_page_again(project):
    generate(Config())
    tpl = project / "templates" / "article.md.j2"
    tpl.write_text(tpl.read_text(encoding="utf-8") + "\nEnd of page.\n", encoding="utf-8")
    generate(Config())
    articles = {k: v for k, v in _docs(project).items() if k.startswith("articles/")}
    assert articles and all(v.endswith("End of page.\n") for v in articles.values())


def test_the_memo_keeps_only_pages_docs_holds_linked_folders_included(project):
    generate(Config())
    cfg = Config()
    previous = {k: v for k, v in generated(cfg.docs).items() if v}
    gone = next(p for p in sorted(previous) if p.startswith("articles/"))
    linked = next(p for p in sorted(previous) if p.startswith("months/"))
    (cfg.docs / gone).unlink()
    (cfg.docs / "months").rename(project / "elsewhere")
    (cfg.docs / "months").symlink_to(project / "elsewhere")
    memo = Memo(cfg.templates, previous, cfg.docs)
    assert not memo.hit(gone, previous[gone])
    assert memo.hit(linked, previous[linked]) and not memo.hit(linked, "another key")


def test_compiled_templates_are_kept_between_builds_and_follow_edits(project):
    digest.render.environment.cache_clear()  # each build as a new process runs it
    generate(Config())
    compiled = project / ".cache" / "digest" / "compiled-templates"
    assert len(list(compiled.iterdir())) >= 5  # one file per template the build rendered
    version = digest.cache.code_fingerprint()[:16]
    assert all(p.name.startswith(version) for p in compiled.iterdir())
    (compiled / "0123456789abcdef-stale.cache").write_bytes(b"another version's")
    (compiled / "notes.txt").write_text("not Jinja's: left alone", encoding="utf-8")
    digest.render.environment.cache_clear()
    tpl = project / "templates" / "article.md.j2"
    tpl.write_text(tpl.read_text(encoding="utf-8") + "\nEdited after it was compiled.\n", encoding="utf-8")
    generate(Config())
    articles = {k: v for k, v in _docs(project).items() if k.startswith("articles/")}
    assert articles and all(v.endswith("Edited after it was compiled.\n") for v in articles.values())
    assert not (compiled / "0123456789abcdef-stale.cache").exists() and (compiled / "notes.txt").exists()


def test_searchable_pages_are_those_whose_template_asks_for_pagefind(project):
    pages = _full_render(project)
    marked = {rel for rel, text in pages.items() if text.startswith("---\n")
              and "\npagefind: true\n" in text[:text.find("\n---", 4) + 1]}
    assert marked and set(search.searchable(pages)) == marked


def test_moved_chronology_links_re_render_an_article_page_but_keep_its_search_key(project, monkeypatch):
    """An article page lists its incidents with links into the chronology, which the search
    index skips: when new articles move those links, the page is rendered again, but its
    search shard must not be indexed again (at 10,000 articles, ~20 s)."""
    monkeypatch.setattr(digest.render, "CHRONOLOGY_LIMIT", 1)  # every new incident moves others' pages
    cfg = Config()
    memo = Memo(cfg.templates)
    before = render_all(gather(cfg).articles, cfg.templates, cfg.site_name, memo)
    for src in EVAL:
        shutil.copy(src, project / "seeds" / src.name)
    after = render_all(gather(cfg).articles, cfg.templates, cfg.site_name, memo)
    old = [p for p in before.memo_keys if p.startswith("articles/")]
    assert [p for p in old if before.memo_keys[p] != after.memo_keys[p]]  # moved links: rendered again
    assert {p: search.searchable(before)[p] for p in old} == {p: search.searchable(after)[p] for p in old}
    edited = project / "seeds" / EVAL[0].name
    edited.write_text(edited.read_text(encoding="utf-8") + "\nZanzibarquux was named in an update.\n", encoding="utf-8")
    again = render_all(gather(cfg).articles, cfg.templates, cfg.site_name, memo)
    changed = f"articles/{article_id(EVAL[0].name)}.md"
    assert search.searchable(again)[changed] != search.searchable(after)[changed]


PLAIN = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                     lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=4).map(tuple), max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(PLAIN, PLAIN)
def test_memo_keys_are_equal_exactly_for_equal_inputs(a, b):
    memo = Memo(ROOT / "templates")
    assert memo.key(a) == memo.key(copy.deepcopy(a)) == memo.key(pickle.loads(pickle.dumps(a)))
    assert (memo.key(a) == memo.key(b)) == (a == b and repr(a) == repr(b))  # True == 1, but not as a key


def test_memo_keys_of_values_marshal_refuses_and_across_processes():
    memo = Memo(ROOT / "templates")
    point, md = DateValue("2024-01-02", "day"), Md("[a](b.md)")
    assert memo.key(("p", point, md)) == memo.key(("p", DateValue("2024-01-02", "day"), Md("[a](b.md)")))
    assert memo.key(("p", point)) != memo.key(("p", DateValue("2024-01-03", "day")))
    inputs = ("articles/x.md", ("x", "ab12", [("e1", "chronology.md", "2024-01", "Rockets", False)]), ("é", 3, None))
    code = ("import sys; from pathlib import Path; from digest.memo import Memo; "
            f"print(Memo(Path(sys.argv[1])).key({inputs!r}))")
    keys = {subprocess.run([sys.executable, "-c", code, str(ROOT / "templates")], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip() for seed in ("1", "2")}
    assert keys == {memo.key(inputs)}
