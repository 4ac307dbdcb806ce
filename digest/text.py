"""Sentence splitting and word helpers on the hot path.

Written by hand: pysbd takes ~8 ms per article (see BENCHMARKS.md); news prose needs
only the abbreviation guard below.
"""
from __future__ import annotations

import bisect
import re

import ahocorasick_rs

ABBREV = {
    "u.s", "u.k", "u.n", "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt",
    "brig", "adm", "rep", "sen", "gov", "st", "no", "vs", "etc", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "co", "corp", "ltd", "jr",
    "sr", "approx", "est", "a.m", "p.m", "e.g", "i.e", "al",
}
_BOUNDARY = re.compile(r"""[.!?]+["'”’)\]]*\s+(?=["“‘'(\[]?[A-Z0-9])""")
_LAST_WORD = re.compile(r"([\w.]+)[.!?]+[\"'”’)\]]*\s+$")
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")  # "u.s.a"
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")


def sentences(paragraph: str) -> list[str]:
    out, start = [], 0
    for m in _BOUNDARY.finditer(paragraph):
        chunk = paragraph[start:m.end()]
        if m.group(0).startswith(".") and (last := _last_word(chunk)) and _is_abbrev(last.group(1)):
            continue
        out.append(chunk.strip())
        start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out


def _last_word(chunk: str) -> re.Match | None:
    """_LAST_WORD.search(chunk), started where a match can start: within the last run of
    non-blanks (nothing before the trailing \\s+ may be blank). Searching from the chunk's
    start tried every position: ~7 us a sentence instead of ~0.5."""
    body = chunk.rstrip()
    last_run = body.rsplit(None, 1)[-1] if body else ""
    return _LAST_WORD.search(chunk, len(body) - len(last_run))


def _is_abbrev(word: str) -> bool:
    w = word.lower().rstrip(".")
    return w in ABBREV or (len(w) == 1 and w.isalpha()) or bool(_INITIALS.fullmatch(w))


_CASE_BOUND = re.compile(r"\\[0-9xu]|\(\?[aiLmsux-]")  # "\x41" is an "A"; "(?-i:...)" turns re.I off


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def lower_exact(text: str) -> bool:
    """Whether a lowercase ASCII pattern finds in text.lower() what re.I finds in `text`: the
    text is ASCII, or its other characters have no case ("“", "•"), so that neither lower(),
    title() nor re.I changes them (re.I equates "ſ" with "s", lower() makes "İ" two
    characters, and title() lowercases a letter after "ª", a lowercase letter without upper)."""
    return text.isascii() or all(c.lower() == c == c.upper() and not (c.islower() or c.isupper())
                                 for c in set(_NON_ASCII.findall(text)))


FOUND_KEPT = 1024  # texts whose Words.found answer is kept, per pattern (~40 articles of sentences)


class Words:
    """A case-insensitive pattern, searched ~3x faster: text (lower_exact) is lowercased and
    searched with a case-sensitive compile of the pattern (re cannot skip ignore-case
    alternatives by their first letter). That is exact for an ASCII, lowercase pattern (group
    names aside) without character escapes or inline flags; any other pattern is always
    searched with re.I. `lowered`: text.lower(), where the caller has it and lower_exact(text)."""

    def __init__(self, pattern: str):
        self.rx = re.compile(pattern, re.I)
        letters = re.sub(r"\(\?P[<=]\w+>?", "", pattern)
        lower_ok = pattern.isascii() and letters == letters.lower() and not _CASE_BOUND.search(pattern)
        self._lower = re.compile(pattern) if lower_ok else None
        self._found: dict[str, bool] = {}

    def found(self, text: str, lowered: str | None = None) -> bool:
        """Kept per text: dating, events and the summary ask of the same sentences, and
        sentences recur (a site's standing lines), at ~3 us a search."""
        hit = self._found.get(text)
        if hit is None:
            if len(self._found) >= FOUND_KEPT:
                self._found.clear()
            hit = self._found[text] = self._search(text, lowered)
        return hit

    def _search(self, text: str, lowered: str | None) -> bool:
        if self._lower and (lowered is not None or lower_exact(text)):
            return self._lower.search(text.lower() if lowered is None else lowered) is not None
        return self.rx.search(text) is not None

    def finditer(self, text: str, lowered: str | None = None):
        """rx.finditer(text): each match is found in the lowercased text, then taken again
        from `text` at the same place (same span, the text's own case)."""
        if not (self._lower and (lowered is not None or lower_exact(text))):
            yield from self.rx.finditer(text)
            return
        for m in self._lower.finditer(text.lower() if lowered is None else lowered):
            yield self.rx.match(text, m.start())


def join(texts: list[str]) -> tuple[str, list[int]]:
    """The texts joined by newlines, and where each starts in it, then where a text after the
    last would start (the end of a search)."""
    starts, at = [], 0
    for t in texts:
        starts.append(at)
        at += len(t) + 1
    return "\n".join(texts), starts + [at]


def holding_each(texts: list[str], groups) -> list[set[int]]:
    """For each group of words (which hold no newline), the indexes of the texts that hold any
    of them; by str.find in the texts joined (once for all groups), from hit to hit: testing
    each text costs more than the few hits. After a hit the search goes on from the next text:
    "day" is found once a sentence, not each time."""
    joined, starts = join(texts)
    out = []
    for words in groups:
        found = set()
        for word in words:
            pos = joined.find(word)
            while pos != -1:
                k = bisect.bisect_right(starts, pos) - 1
                found.add(k)
                pos = joined.find(word, starts[k + 1])
        out.append(found)
    return out


class Hints:
    """holding_each for groups of words (which hold no newline) fixed at import: every word
    found by one Aho-Corasick scan of the texts joined, where holding_each makes a str.find
    pass per word. For the date hints (17 words, ~47 sentences an article): 0.056 -> 0.025 ms
    an article."""

    def __init__(self, groups):
        self.groups = [tuple(g) for g in groups]
        words = sorted({w for g in self.groups for w in g})
        self._automaton = ahocorasick_rs.AhoCorasick(words)
        self._groups_of = [[j for j, g in enumerate(self.groups) if w in g] for w in words]

    def holding(self, texts: list[str]) -> list[set[int]]:
        joined, starts = join(texts)
        found = scan(self._automaton, joined)
        if found is None:
            return holding_each(texts, self.groups)
        out: list[set[int]] = [set() for _ in self.groups]
        for i, s, _ in found:
            k = bisect.bisect_right(starts, s) - 1
            for j in self._groups_of[i]:
                out[j].add(k)
        return out


def scan(automaton: ahocorasick_rs.AhoCorasick, text: str) -> list[tuple[int, int, int]] | None:
    """(word index, start, end) of every occurrence of the automaton's words in `text`,
    overlapping ones included; None for text with a lone surrogate, which UTF-8 (the
    automaton's) cannot hold: the caller then searches it another way."""
    try:
        return automaton.find_matches_as_indexes(text, overlapping=True)
    except UnicodeEncodeError:
        return None


def tokens(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]
