"""Properties over any input: bytes -> digest.ingest.parse -> digest.analyse.analyse is either an
InputError or an Article (never another exception); the Article's JSON export validates against
the schema; its pages, rendered by the templates and then by Python-Markdown with the site's
extensions, carry no markup from the input."""
from __future__ import annotations

import datetime as dt
import html as html_lib
import json
import re
from pathlib import Path

import markdown
from mkdocs.utils.meta import get_data
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from digest.analyse import analyse
from digest.escape import page_title
from digest.errors import InputError
from digest.export import to_json, validate
from digest.ingest import FRONT_KEYS, parse
from digest.model import Article
from digest.render import render_all

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
PAYLOADS = Path(__file__).parent / "payloads"


def site_extensions() -> tuple[list[str], dict]:
    """mkdocs.yml's markdown_extensions, plus what MkDocs always adds."""
    conf = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = ["toc", "tables", "fenced_code"], {}
    for item in conf.get("markdown_extensions", []):
        name, cfg = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name not in names:
            names.append(name)
        if cfg:
            configs[name] = cfg
    return names, configs


EXTENSIONS, EXTENSION_CONFIGS = site_extensions()
FRAGMENTS = [line for line in (PAYLOADS / "xss.txt").read_text(encoding="utf-8").split("\n") if line]
FRAGMENTS += [e["payload"] for e in yaml.safe_load((PAYLOADS / "extensions.yml").read_text(encoding="utf-8")).values()]
FRAGMENTS += ["# Heading", "---", "***", "    code", "1. item", "- item", "> quote", "| a | b |", "[TOC]",
              "â€™ Ã© Â ", "\r\n", "\u2028", "\ufeff", "\x85", "&amp; &#60; &lt;", "\\", "`", "<!--", "-->"]
SENTENCES = ["Rockets struck a base hosting US troops near Baghdad on Tuesday, officials said.",
             "Kata’ib Hezbollah claimed the drone attack on the Ain al-Asad air base in a statement.",
             "The Islamic Resistance in Iraq said on 12 January 2024 that it had targeted Erbil.",
             "قال مسؤولون إن صواريخ سقطت على قاعدة عين الأسد يوم الثلاثاء."]

line = st.one_of(st.text(max_size=120), st.sampled_from(FRAGMENTS), st.sampled_from(SENTENCES),
                 st.builds(" ".join, st.lists(st.sampled_from(FRAGMENTS + SENTENCES), max_size=4)))
body = st.lists(line, max_size=12).map("\n\n".join)
value = st.one_of(st.none(), st.text(max_size=60), st.sampled_from(FRAGMENTS), st.integers(), st.booleans(),
                  st.floats(allow_nan=True), st.dates(min_value=dt.date(1, 1, 1)), st.lists(st.integers(), max_size=3),
                  st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
front = st.dictionaries(st.one_of(st.sampled_from(sorted(FRONT_KEYS)), st.text(max_size=10)), value, max_size=6)


@st.composite
def documents(draw) -> tuple[bytes, str]:
    text = draw(body)
    kind = draw(st.sampled_from(["none", "yaml", "yaml", "raw"]))
    if kind == "yaml":
        head = yaml.safe_dump(draw(front), allow_unicode=draw(st.booleans()), default_flow_style=draw(st.booleans()))
        text = f"---\n{head}---\n{text}"
    elif kind == "raw":  # whatever sits between the fences, valid YAML or not
        text = f"---\n{draw(st.text(max_size=80))}\n---\n{text}"
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252", "bytes"]))
    if encoding == "bytes":
        data = draw(st.binary(max_size=300))
    else:
        data = text.encode(encoding, errors="ignore")
    name = draw(st.sampled_from(["a.txt", "a.txt", "b.md", "Kata’ib c.md", "d.html"]))
    return data, name


def outcome(data: bytes, name: str) -> Article | None:
    try:
        raw = parse(data, name)
    except InputError as exc:
        assert exc.file == name and exc.reason and "\n" not in exc.message
        event("skipped: " + re.sub(r"[\d,]+", "N", exc.reason)[:40])
        return None
    event("article")
    return analyse(raw)


def to_html(page: str) -> str:
    """A generated page as MkDocs renders it: YAML front matter (if any) off, then Markdown."""
    text, _ = get_data(page)
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


OUR_CHARTS = re.compile(r'<figure class="digest-chart">.*?</figure>', re.S)  # digest's own SVG charts


def tags_and_handlers(html: str) -> list[str]:
    """Markup that came from the input: any such tag outside digest's charts, and anywhere
    an event handler or a script/data link (the charts' escaping is checked here too)."""
    found = re.findall(r"<(?:script|iframe|object|embed|img|svg|style|base|meta|link|form|input)\b",
                       OUR_CHARTS.sub("", html), re.I)
    found += re.findall(r"<[a-z][^>]*\son\w+\s*=", html, re.I)
    found += re.findall(r"""<[a-z][^>]*\s(?:href|src)\s*=\s*["']?\s*(?:javascript|data|vbscript):""", html, re.I)
    found += re.findall(r'class="[^"]*admonition', html)
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents())
def test_any_input_is_an_input_error_or_a_valid_inert_article(doc):
    data, name = doc
    article = outcome(data, name)
    if article is None:
        return
    assert isinstance(article, Article)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", article.id)
    assert validate(json.loads(to_json([article]))) == []
    pages = render_all([article], TEMPLATES, "Digest")
    for path, text in pages.items():
        if not path.endswith(".md"):
            continue
        html = to_html(text)
        assert not tags_and_handlers(html), (path, tags_and_handlers(html))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(FRAGMENTS), st.sampled_from(["title", "source", "url"]))
def test_payload_in_front_matter_or_text_is_rendered_inert(payload, key):
    head = yaml.safe_dump({key: payload, "title": payload} if key != "title" else {key: payload}, allow_unicode=True)
    data = f"---\n{head}---\n{SENTENCES[0]}\n\n{payload}\n\n{SENTENCES[1]}\n".encode()
    article = outcome(data, "a.md")
    assert article is not None
    assert validate(json.loads(to_json([article]))) == []
    page = render_all([article], TEMPLATES, "Digest")[f"articles/{article.id}.md"]
    html = to_html(page)
    assert not tags_and_handlers(html), tags_and_handlers(html)
    assert article.url is None or article.url.startswith(("http://", "https://"))


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(), st.sampled_from(FRAGMENTS)))
def test_page_title_is_one_quoted_yaml_string_of_escaped_html(title):
    """digest.escape.page_title: the `title:` a generated page can carry (see test_hostile)."""
    out = page_title(title)
    assert "\n" not in out and "<" not in out and ">" not in out
    value = yaml.safe_load(f"title: {out}\n")["title"]
    assert isinstance(value, str) and "<" not in value and ">" not in value
    assert html_lib.unescape(value) == " ".join(html_lib.unescape(value).split())
    plain = " ".join(re.sub(r"[\x00-\x08\x0e-\x1f\x7f]", "", title).split())
    if all(c.isprintable() or c == " " for c in plain):
        assert html_lib.unescape(value) == plain
