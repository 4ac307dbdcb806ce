"""Untrusted text -> inert Markdown. Every value a template prints passes through `md`
unless it is wrapped in `Md` (markup the digest itself built), so article text can
never become HTML, a link, an admonition, an attribute list or a snippet include."""
from __future__ import annotations

import functools
import html
import re
from json.encoder import encode_basestring
from urllib.parse import quote, urlsplit

# Characters with meaning to Python-Markdown or the extensions in mkdocs.yml.
_INLINE = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()<>&|~^$!#:=+\"'@%"})
_LINE_START = re.compile(r"^(\s*)([-.]|\d+(?=[.)]))", re.M)
# Control characters: \x02 and \x03 delimit Python-Markdown's placeholders for stashed HTML.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# What a YAML double-quoted scalar may hold (PyYAML's "printable"), for page_title.
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Md(str):
    """Markdown produced by the digest itself: printed as is."""


def md(value) -> str:
    # Jinja's finalize: ~2,000,000 calls at 10,000 articles, nearly all with an exact str,
    # which is tested first.
    if type(value) is not str:
        if value is None:
            return ""
        if isinstance(value, Md):
            return value
        value = str(value)
    return _md_short(value) if len(value) <= _SHORT else _md(value)


def _md(text: str) -> str:
    text = _CONTROL.sub("", text)
    text = " ".join(text.split()) if "\n" not in text else text
    text = text.translate(_INLINE)
    return _LINE_START.sub(lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)), text)


# Names, dates, kinds and places repeat across thousands of pages: escaping is a third of
# rendering at 10,000 articles, and a cache of the short strings saves most of it. Up to 170
# characters: an actor's evidence (article.md.j2 truncates it to 160 + "...") is one of ~5
# distinct ones in 10 rows, where summaries (~300 characters) are printed once or twice.
_SHORT = 170
_md_short = functools.lru_cache(maxsize=1 << 16)(_md)


def paragraphs(body: str) -> Md:
    """The cleaned text as HTML paragraphs in one raw HTML block, escaped for HTML: Markdown
    passes such a block through untouched, where its inline processing of the text's ~800
    words was a fifth of each article page's conversion at 10,000 articles."""
    paras = body.split("\n\n")
    if ("" not in paras and all(map(str.isprintable, paras)) and "  " not in body and " \n" not in body
            and "\n " not in body and body[0] != " " and body[-1] != " "):
        # The usual body, cleaned by the reader already: every paragraph is what the general
        # case below makes of it (no whitespace inside but single spaces, no control character:
        # those are not printable), so the body is escaped in one go and its blank lines become
        # the paragraph breaks. The work per paragraph was a tenth of rendering the pages.
        return Md('<div class="article-text">\n<p>' + html.escape(body).replace("\n\n", "</p>\n<p>") + "</p>\n</div>")
    # Any other text: each paragraph's whitespace made single spaces, control characters removed
    paras = (html.escape(" ".join(_CONTROL.sub("", p).split())) for p in paras if p.strip())
    return Md('<div class="article-text">\n' + "".join(f"<p>{p}</p>\n" for p in paras) + "</div>")


def href(url: str | None) -> Md | None:
    """An external link target, or None when it is not plain http(s)."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return Md(quote(url, safe=":/?#@!$&*+,;=%~-._"))


def href_html(url: str | None) -> Md | None:
    """href(url) escaped for HTML, for a link written as HTML (as Python-Markdown writes one)."""
    target = href(url)
    return Md(html.escape(target)) if target else None


def page_title(value) -> Md:
    """A generated page's `title:` for its YAML front matter (a quoted YAML string).

    MkDocs and Material print page titles as HTML without escaping them; worse, for a page
    without `title:` Material's <title> is `page.title | striptags`, which *unescapes* the
    heading: "&#60;/title&#62;&#60;script&#62;" in a heading becomes a real </title><script>.
    With `title:` in the front matter Material prints page.meta.title instead, so it is
    HTML-escaped here."""
    return Md(_yaml_string(html.escape(_yaml_text(value))))


def yaml_list(values, attribute: str | None = None) -> Md:
    """A front-matter list of plain strings (templates/theme/main.html escapes them); with
    `attribute`, of that attribute of each value: `a.actors|yaml_list(attribute="name")`.
    Jinja's map(attribute=) tries value["name"] first, an exception per actor and place, which
    was half the cost of an article page's front matter."""
    if attribute is not None:
        values = [getattr(v, attribute) for v in values]
    return Md("[" + ", ".join(_yaml_name(v) if type(v) is str else _yaml_string(_yaml_text(v)) for v in values) + "]")


# Actor, place and month names repeat on thousands of pages' front matter (a str only: the
# cache would take 1 and True for the same key).
@functools.lru_cache(maxsize=1 << 14)
def _yaml_name(value: str) -> str:
    return _yaml_string(_yaml_text(value))


def _yaml_text(value) -> str:
    text = " ".join(_CONTROL.sub("", str(value if value is not None else "")).split())
    return " ".join(_NOT_YAML.sub("", text).split())


def _yaml_string(text: str) -> str:
    # JSON strings are YAML double-quoted scalars. What json.dumps(text, ensure_ascii=False)
    # returns for a str, without its encoder set-up (JSONEncoder.encode calls this function).
    return encode_basestring(text)
