"""Untrusted text -> inert Markdown. Every value a template prints passes through `md`
unless it is wrapped in `Md` (markup the digest itself built), so article text can
never become HTML, a link, an admonition, an attribute list or a snippet include."""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# Characters with meaning to Python-Markdown or the extensions in mkdocs.yml.
_INLINE = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()<>&|~^$!#:=+\"'@%"}
_LINE_START = re.compile(r"^(\s*)([-.]|\d+(?=[.)]))", re.M)


class Md(str):
    """Markdown produced by the digest itself: printed as is."""


def md(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Md):
        return value
    text = " ".join(str(value).split()) if "\n" not in str(value) else str(value)
    text = "".join(_INLINE.get(c, c) for c in text)
    return _LINE_START.sub(lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)), text)


def paragraphs(body: str) -> Md:
    """The cleaned text as escaped paragraphs, one per line pair."""
    return Md("\n\n".join(md(" ".join(p.split())) for p in body.split("\n\n") if p.strip()))


def href(url: str | None) -> Md | None:
    """An external link target, or None when it is not plain http(s)."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return Md(quote(url, safe=":/?#@!$&*+,;=%~-._"))
