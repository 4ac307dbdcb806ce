"""Separate article text from the page chrome a scraper kept.

Written by hand rather than with trafilatura: trafilatura needs the HTML tree, and
these inputs are already flattened to lines. The rules are general (line shape,
position, the noise patterns in data/noise.yml), never strings of one site.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .lexicon import any_of, load

BULLET = re.compile(r"^\s*(?:[•▪►●◦‣·*-]|\d{1,2}[.)])\s+")
SENTENCE_END = re.compile(r"""[.!?]["'”’)\]]*\s*$""")
CAPTION = re.compile(r"[a-z]{2}\.\s+[A-Z][\w/ ]{1,20}$")  # "The embassy. AFP", "View of the base. Getty Images"
DATEISH = re.compile(r"^[\W\d_]*$|^\W*\d{1,4}[-./]\d{1,2}[-./]\d{1,4}|^\W*\d{4}-\d{2}-\d{2}T")
MAX_NOISE_WORDS = 25  # longer lines are prose; patterns only judge short ones


BLANKS = re.compile(r"[ \t\u00a0]+")
MD_MARK = re.compile(r"^\s*#{1,6}\s+|^\*\*?(?=\S)|(?<=\S)\*\*?\s*$")  # Markdown heading / emphasis marks
MENU = re.compile(r"(?:^|\s)[|›»·•>/](?:\s|$)(?:.*(?:^|\s)[|›»·•>/](?:\s|$))+")  # "Home | News | World"
DATE_LINE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
HEADLINE_WORDS = re.compile(r"\b(kill|attack|strike|hit|claim|target|rocket|drone|missile|militia|forces?|base|troops)", re.I)
OUTLET_SUFFIX = re.compile(r"\s+[-|–—]\s+[A-Z][\w .&'-]{1,30}$")  # "Headline - France 24"


@dataclass(frozen=True)
class Cleaned:
    title: str | None
    source: str | None
    before_title: tuple[str, ...]  # header lines above the headline: site chrome
    after_title: tuple[str, ...]   # header lines between headline and body: dateline, byline
    paragraphs: tuple[str, ...]
    is_list: tuple[bool, ...]      # paragraph is a bullet item ("Key takeaways")
    removed: tuple[str, ...]       # "reason: line", for audit
    meta_lines: tuple[str, ...] = ()  # short lines among the first paragraphs ("Date 28.12.2019")


@functools.lru_cache(maxsize=None)
def _patterns():
    noise = load("noise.yml")
    line = {concept: any_of(p) for concept, p in noise["line"].items()}
    end = any_of([p for group in noise["end"].values() for p in group])
    return line, end, any_of(noise["byline"])


@functools.lru_cache(maxsize=None)
def _noise():
    """The line concepts, then the byline, as one alternation (the first that matches wins,
    as in a loop over them): one match a line instead of six."""
    line, _, byline = _patterns()
    reasons = [*line, "byline"]
    alternatives = [f"(?P<n{i}>{rx.pattern})" for i, rx in enumerate([*line.values(), byline])]
    return re.compile("|".join(alternatives), re.I), {f"n{i}": r for i, r in enumerate(reasons)}


def words(line: str) -> int:
    return len(line.split())


def is_prose(line: str) -> bool:
    """A line that reads like a paragraph of an article, not a headline or a menu."""
    n = words(line)
    if MENU.search(line):
        return False
    return n >= 30 or (n >= 8 and line.rstrip("\"'”’) ").endswith("."))


def noise_reason(line: str, n: int | None = None) -> str | None:
    """`n`: words(line), if known."""
    if (words(line) if n is None else n) > MAX_NOISE_WORDS and "{" not in line:
        return None
    return _short_noise(line)


@functools.lru_cache(maxsize=4096)
def _short_noise(line: str) -> str | None:
    """noise_reason of a short line. Kept: ~10 us a line, and a site's chrome lines ("Share
    this article", bylines) recur from article to article, and in one (header, headline)."""
    if MENU.search(line) and not SENTENCE_END.search(line):
        return "menu"
    rx, reasons = _noise()
    m = rx.match(line)
    return reasons[m.lastgroup] if m else None


def clean(text: str) -> Cleaned:
    lines = [t for t in map(_tidy, text.split("\n")) if t]
    start = next((i for i, l in enumerate(lines) if is_prose(l) and not noise_reason(l)), len(lines))
    header, rest = lines[:start], lines[start:]
    removed = [f"header: {l}" for l in header]
    title_at = _title_index(header)
    title = OUTLET_SUFFIX.sub("", header[title_at]) if title_at is not None else None
    paragraphs, is_list, meta = [], [], []
    seen = {header[title_at]} if title_at is not None else set()
    _, end_pat, _ = _patterns()
    for n, line in enumerate(rest):
        if paragraphs and end_pat.match(line):
            removed.extend(f"tail: {l}" for l in rest[n:])
            break
        count = words(line)
        reason = noise_reason(line, count) or _shape_reason(line, seen, count)
        if reason:
            removed.append(f"{reason}: {line}")
            if n < 12 and DATE_LINE.search(line) and count <= 12:
                meta.append(line)
            continue
        seen.add(line)
        bullet = bool(BULLET.match(line))
        paragraphs.append(BULLET.sub("• ", line) if bullet else line)
        is_list.append(bullet)
    before = tuple(header[:title_at]) if title_at is not None else tuple(header)
    after = tuple(header[title_at + 1:]) if title_at is not None else ()
    return Cleaned(title, _source(header, title_at, rest, paragraphs), before, after,
                   tuple(paragraphs), tuple(is_list), tuple(removed), tuple(meta))


def _tidy(line: str) -> str:
    """Runs of blanks made one space, Markdown marks dropped, stripped. The substitutions run
    only where they can change something: most lines have neither marks nor double blanks."""
    if "  " in line or "\t" in line or "\u00a0" in line:
        line = BLANKS.sub(" ", line)
    if "#" in line or "*" in line:
        line = MD_MARK.sub("", line)
    return line.strip()


def _shape_reason(line: str, seen: set, n: int) -> str | None:
    if line in seen:
        return "repeated"
    if BULLET.match(line):
        return None if n >= 4 else "short line"
    if n < 6 and not SENTENCE_END.search(line):
        return "short line"
    if n < 4:
        return "short line"
    return None


def _headline_score(header: list[str], i: int) -> float | None:
    """How much line i looks like the article's headline; None when it cannot be one."""
    line = header[i]
    n = words(line)
    if not 4 <= n <= 40 or noise_reason(line, n) or DATEISH.match(line) or CAPTION.search(line):
        return None
    if line.endswith((":", ",")) or MENU.search(line) or (line.isupper() and n < 6):
        return None
    score = min(n, 12) / 4
    score += 3 * (header.count(line) > 1)
    near = header[i + 1:i + 4]
    score += 2 * any(DATE_LINE.search(l) or _patterns()[2].match(l) for l in near)
    score += 0.5 * (i == len(header) - 1)
    score += 1 * bool(HEADLINE_WORDS.search(line))
    return score


def _title_index(header: list[str]) -> int | None:
    """The headline: the best-scoring headline-like line above the body (later wins ties)."""
    scored = [(s, i) for i in range(len(header)) if (s := _headline_score(header, i)) is not None]
    if not scored:
        return None
    best = max(s for s, _ in scored)
    return max(i for s, i in scored if s == best) if header.count(header[scored[0][1]]) < 2 else \
        next(i for s, i in scored if s == best)


_SUPPORT = re.compile(r"^(?:[Ss]upport|SUPPORT|[Dd]onate to)\s+([A-Z][\w.-]+(?: [A-Z][\w.-]+){0,3})$")
_LEAD_PREFIX = re.compile(r"^([A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,3})\s+/\s+\S")
_BYLINE_OUTLET = re.compile(r"^by:?\s+[^,]{2,40},\s+(.{3,60})$", re.I)
JOB_TITLE = re.compile(r"\b(?:reporter|correspondent|editor|editorial|writer|staff|contributor|analyst|producer|team|desk)\b", re.I)
_NAME = re.compile(r"^[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,3}$")


def _source(header, title_at, rest, paragraphs) -> str | None:
    """The outlet, read from lines only a site writes about itself."""
    for line in header + rest:
        m = _SUPPORT.match(line)
        if m:
            return m.group(1)
    if paragraphs:
        m = _LEAD_PREFIX.match(paragraphs[0])
        if m:
            return m.group(1)
    after = header[title_at + 1:] if title_at is not None else []
    for line in after:
        m = _BYLINE_OUTLET.match(line)
        if m and not JOB_TITLE.search(m.group(1)):  # "By X, Defence Correspondent" names a job
            return m.group(1).strip()
    top = header[0] if header and title_at else None  # a masthead above the headline
    if top and _NAME.match(top) and words(top) <= 5 and not noise_reason(top) and not DATEISH.match(top):
        return top
    for line in after:
        if _NAME.match(line) and words(line) <= 3 and not noise_reason(line) and not DATEISH.match(line) \
                and not JOB_TITLE.search(line):
            return line
    return None
