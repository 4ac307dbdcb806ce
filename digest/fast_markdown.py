"""Python-Markdown and MkDocs' conversion of a page made faster, with the same output.

MkDocs converts every page with Python-Markdown, and most of a site build's time went there.
digest.site_build applies these in its MkDocs process (DIGEST_SITE_STOCK=1 leaves MkDocs as it
is, the reference for tests). Each one is exact: it takes a shortcut only where the stock code
is known to give the same result, and calls the stock code everywhere else. The conversion
cache (site_build) hashes this file: a change here converts every page again.
"""
from __future__ import annotations

import re

from markdown import inlinepatterns, preprocessors, treeprocessors, util
from mkdocs.structure import pages as mkdocs_pages

_Inline = treeprocessors.InlineProcessor
_apply_pattern = _Inline._InlineProcessor__applyPattern
_inline_run = _Inline.run


# Per process: for each list of inline patterns (their regular expressions, in order), the
# strings in which none of them finds anything. Table cells repeat ("mentioned", "armed group",
# field names): more than half of an article page's inline calls were for such strings.
_plain: dict[tuple, set[str]] = {}
PLAIN_MAX = 200_000  # strings per pattern list; past it, no new ones are remembered


def _handle_inline(self, data, patternIndex=0):
    """InlineProcessor.__handleInline, with the same result: a pattern whose regular expression
    finds nothing from startIndex on is skipped without the call that would find that out
    (half of Python-Markdown's time on a digest page went to those calls); a string in which
    no pattern's expression found anything before is returned at once (it would be again:
    the expressions are the same, and only a match calls anything with a state)."""
    if isinstance(data, util.AtomicString):
        return data
    plain = self._digest_plain
    if patternIndex == 0 and plain is not None and data in plain:
        return data
    patterns = self._digest_patterns
    count = len(patterns)
    startIndex = 0
    found = patternIndex != 0 or plain is None
    while patternIndex < count:
        pattern, regex = patterns[patternIndex]
        if regex is not None and regex.search(data, startIndex) is None:
            # what __applyPattern returns for a new-style pattern that does not match
            patternIndex, startIndex = patternIndex + 1, 0
            continue
        found = True
        data, matched, startIndex = _apply_pattern(self, pattern, data, patternIndex, startIndex)
        if not matched:
            patternIndex += 1
    if not found and len(plain) < PLAIN_MAX:
        plain.add(data)
    return data


def _run_inline(self, tree, ancestors=None):
    # the patterns in priority order, once per document (the registry sorts on each lookup)
    self._digest_patterns = [(p, p.getCompiledRegExp() if isinstance(p, inlinepatterns.InlineProcessor) else None)
                             for p in self.inlinePatterns]
    # an old-style pattern (no expression searched here) rules the shortcut out
    regexes = tuple(r for _, r in self._digest_patterns)
    self._digest_plain = None if None in regexes else _plain.setdefault(regexes, set())
    return _inline_run(self, tree, ancestors)


_scan_raw_html = mkdocs_pages._RawHTMLPreprocessor.run
# Where an attribute named id or name could be: html.parser takes as an attribute's name the
# characters after a quote, a space or a slash, up to a space, a slash, "=" or ">"
# (attrfind_tolerant; Python's later versions narrow both sets), and lowercases it.
_ANCHOR_ATTRIBUTE = re.compile(r"(?i)[\s'\"/](?:id|name)(?:[\s/=>]|\Z)")


def _anchor_scan(self, lines: list[str]) -> list[str]:
    """MkDocs parses every page's whole text as HTML once more, only to collect the ids its raw
    HTML declares (8 % of a page's conversion): a page in which no attribute can be named id or
    name declares none, and is not parsed (99 % of digest's pages; an SVG chart has ids)."""
    if _ANCHOR_ATTRIBUTE.search("\n".join(lines)) is None:
        self.present_anchor_ids = set()
        return lines
    return _scan_raw_html(self, lines)


_stock_html_block = preprocessors.HtmlBlockPreprocessor.run
# A tag as digest's templates write them: a lower-case name, double-quoted values without <, >,
# a backtick or a line break, single spaces. html.parser reads each such tag the same way in
# every version; a page with any other "<" or "&" goes to Python-Markdown's own parser.
_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>`\n]*")?)*) ?(/?)>')
# Text between tags: each "&" starts a character or entity reference closed by ";" (Python-
# Markdown writes back a reference it parsed, with a ";" even if the text had none)
_TEXT = re.compile(r"[^<&]*(?:&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][-.a-zA-Z0-9]*);[^<&]*)*")
_BLANK_LINE = re.compile(r"[ ]*\n[ ]*\n")  # htmlparser.blank_line_re, matched after a block
# Tags the extractor treats apart: hr is a block of its own; the others' content is not HTML
_APART = frozenset({"hr", "script", "style", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"})


def _raw_blocks(source: str, md) -> list[tuple[int, int]] | None:
    """Where Python-Markdown's HTML extractor finds raw HTML blocks in `source`, if the page is
    made only of text without tags and of blocks that each start a line with a block-level tag
    and end a line with its end tag; None for any other page."""
    blocks, pos, n = [], 0, len(source)
    text, tag = _TEXT.match, _TAG.match
    while True:
        start = text(source, pos).end()
        if start == n:
            return blocks
        if source[start] != "<" or (start and source[start - 1] != "\n"):
            return None
        stack, i = [], start
        while True:  # the extractor's own count: a block ends when its open tags are closed
            m = tag(source, i)
            if m is None:
                return None
            closing, name, attributes, empty = m.groups()
            if name in _APART or (closing and (empty or attributes)):
                return None
            if i == start and (closing or empty or not md.is_block_level(name)):
                return None
            if closing:
                if name in stack:
                    while stack.pop() != name:
                        pass
                if not stack:
                    break
            elif not empty:
                stack.append(name)
            i = text(source, m.end()).end()
            if i == n or source[i] != "<":
                return None
        pos = m.end()
        if source[pos:pos + 1] != "\n":  # a reference or a tag after it on its line joins the block
            return None
        blocks.append((start, pos))


def _html_block(self, lines: list[str]) -> list[str]:
    """HtmlBlockPreprocessor.run: the same lines and stashed blocks, without html.parser for a
    page of the simple form _raw_blocks reads. digest writes its tables, article texts and
    charts as raw HTML blocks; parsing them in pure Python was 60 % of a page's conversion."""
    source = "\n".join(lines)
    blocks = _raw_blocks(source, self.md) if type(self) is preprocessors.HtmlBlockPreprocessor else None
    if blocks is None:
        return _stock_html_block(self, lines)
    out, pos = [], 0
    for start, end in blocks:
        # the extractor's output: the text as it is, each block stashed with a line break
        # if a blank line follows it, and its placeholder on lines of its own
        block = source[start:end] + ("\n" if _BLANK_LINE.match(source, end) else "")
        out += (source[pos:start], "\n", self.md.htmlStash.store(block), "\n\n")
        pos = end
    out.append(source[pos:])
    return "".join(out).split("\n")


def speed_up() -> None:
    """Python-Markdown and MkDocs' conversion made faster, output unchanged."""
    _Inline._InlineProcessor__handleInline = _handle_inline
    _Inline.run = _run_inline
    mkdocs_pages._RawHTMLPreprocessor.run = _anchor_scan
    preprocessors.HtmlBlockPreprocessor.run = _html_block
