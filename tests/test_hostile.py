"""Hostile input: whatever an article's text, front matter or file name holds reaches the
site as literal, visible text, and never as a script, an event handler, a link to a script,
an embedded page, an admonition or the content of a local file.

One real build (`digest build`, MkDocs strict) of the 5 seeds plus one generated seed file
per payload of tests/payloads/ (the payload in title, source, url, a sentence and lines of
its own), then every HTML page of the site, the search index and the feed are parsed."""
from __future__ import annotations

import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import copy_skeleton
import yaml
from click.testing import CliRunner

from digest.cli import cli

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = Path(__file__).parent / "payloads"
MATERIAL = Path(__import__("material").__file__).parent / "templates"
SITE_NAME = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"]

XSS = [line for line in (PAYLOADS / "xss.txt").read_text(encoding="utf-8").split("\n") if line.strip()]
EXT = yaml.safe_load((PAYLOADS / "extensions.yml").read_text(encoding="utf-8"))
# case id -> (payload, the text that must be visible on its page)
CASES = {f"xss-{i:02d}": (p, p) for i, p in enumerate(XSS, 1)}
CASES |= {f"ext-{name.replace('_', '-')}": (e["payload"], e["marker"]) for name, e in EXT.items()}
HOSTILE_NAMES = ["<img src=x onerror=alert(1)>.txt", "{{7*7}} {% raw %} [x](javascript:alert(1)).txt",
                 "!!! danger --8<-- etc-passwd.txt", "{: onclick=alert(1) } attr.md"]
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
URL_ATTRS = {"href", "src", "action", "formaction", "data", "background", "poster", "srcset", "xlink:href",
             "dynsrc", "lowsrc", "codebase", "cite", "longdesc", "manifest", "ping", "content"}
EMBEDDING = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "isindex", "bgsound", "xml"}


def one_line(text: str) -> str:
    return " ".join(CONTROL.sub("", text).split())


def prose(case: str, payload: str) -> str:
    line = one_line(payload)
    return (f"Rockets struck a military base near Baghdad on Tuesday, officials said, in the attack "
            f"that the report calls case {case}.\n\n"
            f"The statement carried the text {line} and nothing else, officials said on Tuesday.\n\n"
            f"{payload}\n\n"
            "Officials said the investigation into the attack on the base would continue for several days.\n")


def seed(case: str, payload: str) -> str:
    front = {"title": f"Marker {case}: {one_line(payload)}", "source": one_line(payload), "url": payload}
    head = yaml.safe_dump(front, allow_unicode=True, width=10**6, sort_keys=False)
    return f"---\n{head}---\n{prose(case, payload)}"


def hostile_html() -> str:
    """An .html seed (read by trafilatura): payloads in <title>, og: tags and paragraphs."""
    paras = "\n".join(f"<p>Officials said the statement carried the text {html.escape(one_line(p))} on Tuesday "
                      "after rockets struck the base near Baghdad.</p>" for p in XSS[:30])
    first = html.escape(XSS[1], quote=True)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(XSS[33])}</title>"
            f"<meta property='og:site_name' content='{first}'>"
            f"<meta property='og:url' content='javascript:alert(1)'></head><body><article>"
            f"<h1>{html.escape(XSS[0])}</h1>{paras}</article></body></html>")


# --- the build --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Like conftest's `project` (a copy of the site skeleton, as cwd), built once per module."""
    root = copy_skeleton(tmp_path_factory.mktemp("hostile"))
    seeds = root / "seeds"
    for case, (payload, _) in CASES.items():
        (seeds / f"payload-{case}.txt").write_text(seed(case, payload), encoding="utf-8")
    for n, name in enumerate(HOSTILE_NAMES):
        (seeds / name).write_text(prose(f"name-{n}", "a file name that is itself a payload"), encoding="utf-8")
    (seeds / "hostile-page.html").write_text(hostile_html(), encoding="utf-8")
    (seeds / "linked-passwd.txt").symlink_to("/etc/passwd")  # a link out of seeds/ is not followed
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        result = CliRunner().invoke(cli, ["build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return root / "site"


class Page(HTMLParser):
    """Elements, scripts and visible text of one HTML document (or fragment)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.texts: list[str] = []
        self._raw: list[str] = []  # open script/style/template
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): (v or "") for k, v in attrs}
        self.elements.append((tag, attrs))
        if tag in ("script", "style", "template"):
            self._raw.append(tag)
            if tag == "script":
                self.scripts.append((attrs, ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self._raw and self._raw[-1] == tag:
            self._raw.pop()

    def handle_endtag(self, tag):
        if self._raw and self._raw[-1] == tag:
            self._raw.pop()

    def handle_data(self, data):
        if self._raw and self._raw[-1] == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif not self._raw:
            self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())


# Material's <title> line is checked on its own (test_page_titles_cannot_be_closed_early): it is
# the one place where Material unescapes a page's heading text. Elsewhere it is cut out before
# parsing, so one known problem does not hide every other check.
TITLE_LINE = re.compile(r"^[ \t]*<title>(.*)</title>[ \t]*$", re.M)


@pytest.fixture(scope="module")
def pages(site) -> dict[str, tuple[str, Page]]:
    out = {}
    for path in sorted(site.rglob("*.html")):
        raw = path.read_text(encoding="utf-8")
        out[path.relative_to(site).as_posix()] = (raw, Page(TITLE_LINE.sub("", raw)))
    assert len(out) > len(CASES)
    return out


def material_inline_scripts() -> list[re.Pattern]:
    """Material's own inline scripts, read from its templates: the only base-URL-dependent part
    (`{{ config.extra.scope | d(base_url) }}`) may be "/" or a run of "." and "../"."""
    pats = []
    for name in ("base", "palette", "content"):
        src = (MATERIAL / "partials" / "javascripts" / f"{name}.html").read_text(encoding="utf-8")
        for body in re.findall(r"<script>(.*?)</script>", src, re.S):
            parts = re.split(r"\{\{.*?\}\}", body)
            pats.append(re.compile(r"(?:/|\.|(?:\.\./)*\.\.)".join(map(re.escape, parts))))
    assert len(pats) >= 3
    return pats


def is_material_script(attrs: dict, text: str, inline: list[re.Pattern]) -> bool:
    if "src" in attrs:
        return not text.strip() and bool(
            re.fullmatch(r"(?:\.\./)*/?(?:assets/javascripts/[\w.-]+(?:/[\w.-]+)*|assets/search(?:-bundles)?)\.js",
                         attrs["src"]))
    if attrs == {"id": "__config", "type": "application/json"}:  # data, not executed by browsers
        config = json.loads(text)
        return set(config) <= {"base", "features", "translations", "search", "annotate", "tags", "version"} \
            and re.fullmatch(r"(?:\.\./)*/?assets/javascripts/workers/search\.\w+\.min\.js", config.get("search", "/x.js")) \
            is not None
    return not attrs and any(p.fullmatch(text) for p in inline)


def dangerous_url(value: str) -> bool:
    v = re.sub(r"[\s\x00-\x20]+", "", html.unescape(value)).lower()
    return bool(re.match(r"(?:javascript|vbscript|data|livescript|mocha):", v) or re.search(r"url=\W*(?:javascript|data):", v))


def problems(page: Page, inline: list[re.Pattern]) -> list[str]:
    """Everything in a parsed page that article text must never be able to create."""
    found = []
    for tag, attrs in page.elements:
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}=...>")
            if name in URL_ATTRS and dangerous_url(value):
                found.append(f"<{tag} {name}={value[:40]!r}>")
        if tag in EMBEDDING:
            found.append(f"<{tag}>")
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
    for attrs, text in page.scripts:
        if not is_material_script(attrs, text, inline):
            found.append(f"<script {attrs}>{text[:60]}")
    return found


# --- the checks ---------------------------------------------------------------------------------

def test_every_payload_article_was_built(site):
    for case in CASES:
        assert (site / "articles" / f"payload-{case}" / "index.html").is_file(), case
    assert not (site / "articles" / "linked-passwd").exists()


def test_no_script_handler_javascript_url_or_embedded_page_on_any_page(pages):
    inline = material_inline_scripts()
    bad = {path: p for path, (_, page) in pages.items() if (p := problems(page, inline))}
    assert not bad, json.dumps(bad, indent=1)[:3000]


def test_material_scripts_are_still_recognised(pages):
    """The allow-list is not vacuous: every page has Material's 3 inline scripts, its config
    and its bundle, and nothing else; the search page adds digest's two search scripts."""
    inline = material_inline_scripts()
    for path, (_, page) in pages.items():
        assert len(page.scripts) == (7 if path == "search/index.html" else 5), path
        assert all(is_material_script(a, t, inline) for a, t in page.scripts), path


def test_no_admonition_details_or_tabs_created_from_article_text(pages):
    for path, (_, page) in pages.items():
        if path.startswith("about/"):
            continue  # hand-written page
        classes = " ".join(a.get("class", "") for _, a in page.elements).split()
        assert not {"admonition", "admonition-title", "tabbed-set", "footnote"} & set(classes), path
        assert not [t for t, _ in page.elements if t in ("details", "abbr", "img", "sup")
                    and path.startswith("articles/")], path


def test_no_local_file_content_anywhere(site):
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv", ".txt"):
            assert "root:x:0:" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_every_payload_is_visible_as_text_on_its_page(pages):
    missing = []
    for case, (payload, marker) in CASES.items():
        _, page = pages[f"articles/payload-{case}/index.html"]
        want = one_line(marker)
        if page.text.count(want) < (2 if marker == payload else 1):  # in the title and in the text
            missing.append(f"{case}: {want[:70]}")
    assert not missing, "\n".join(missing)


def test_payloads_in_title_and_source_are_shown_literally(pages):
    for case, (payload, _) in CASES.items():
        _, page = pages[f"articles/payload-{case}/index.html"]
        assert f"Marker {case}: {one_line(payload)}" in page.text, case
        assert f"Outlet {one_line(payload)}" in page.text, case


def test_hostile_file_names_are_slugs_and_shown_literally(site, pages):
    ids = sorted(p.name for p in (site / "articles").iterdir())
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids), ids
    shown = " ".join(page.text for _, page in pages.values())
    for name in HOSTILE_NAMES:
        assert f"File {name}" in shown, name


def test_url_payloads_never_become_links(pages):
    for case, (payload, _) in CASES.items():
        _, page = pages[f"articles/payload-{case}/index.html"]
        links = [a.get("href", "") for t, a in page.elements if t == "a"]
        assert not [h for h in links if dangerous_url(h) or re.search(r"[\s\"'<>()]", h)], case
        external = [h for h in links if h.startswith(("http:", "https:"))
                    and not h.startswith("https://squidfunk.github.io/")]  # Material's "Made with"
        assert len(external) <= 1, (case, external)  # only the article's own url: line, if it is http(s)


def test_search_index_holds_article_markup_as_text_only(site):
    """Pagefind keeps a page's text, so a payload is stored as the characters the reader saw
    (its UI escapes them: tests/test_browser.py::test_search_results_show_payloads_as_text)."""
    fragments = sorted(site.glob("pagefind*/fragment/*.pf_fragment"))
    docs = [json.loads(gzip.decompress(p.read_bytes())[len(b"pagefind_dcd"):]) for p in fragments]
    payloads = [d for d in docs if d["url"].startswith("/articles/payload-xss")]
    assert payloads
    for doc in payloads:
        page = (site / doc["url"].strip("/") / "index.html").read_text(encoding="utf-8")
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
        assert "<" not in heading and html.unescape(heading) == doc["meta"]["title"], doc["url"]


def test_feed_is_text_only(site):
    feed = site / "feed.xml"
    if not feed.exists():
        pytest.skip("no feed in this build")
    root = ET.parse(feed).getroot()
    for el in root.iter():
        tag = el.tag.split("}")[-1]
        if tag in ("title", "summary", "content", "subtitle", "rights"):
            assert el.get("type", "text") == "text", (tag, el.get("type"))
        for name in ("href", "src", "uri"):
            assert not dangerous_url(el.get(name, "") or ""), (tag, el.get(name))
        if tag == "uri":
            assert not dangerous_url(el.text or ""), el.text


def test_page_titles_cannot_be_closed_early(pages):
    """A browser ends <title> at the first "</title": nothing before the site's own may exist."""
    broken = []
    for path, (raw, _) in pages.items():
        m = TITLE_LINE.search(raw)
        assert m, path
        inner = m.group(1)
        if "<" in inner or ">" in inner:
            broken.append(f"{path}: {inner[:100]}")
    assert not broken, "\n".join(broken[:20])
