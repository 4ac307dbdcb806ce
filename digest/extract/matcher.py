"""Find any of many names in text, tolerant of apostrophe, hyphen and case variants.

The text is folded once (apostrophes dropped, dashes made spaces) and searched for
every folded alias at once: by an Aho-Corasick automaton (ahocorasick-rs) in text that
lowercasing folds as re.I would, else by one trie-shaped ignore-case regex. Aliases in
ALL CAPS of up to 6 letters are acronyms, matched case-sensitively on the original text
as whole words.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata

import ahocorasick_rs

from ..text import join, lower_exact, scan

_APOS = "'’‘ʼ`´"
_DASH = "-‐‑–—"
_FOLD = str.maketrans({**{c: None for c in _APOS}, **{c: " " for c in _DASH}})
_FOLD_PAIRS = [(c, "" if c in _APOS else " ") for c in _APOS + _DASH]  # _FOLD, one character at a time
_APOS_RX = re.compile("[" + _APOS + "]")
_WORD = re.compile(r"\w")
_WORD_OR_DASH = re.compile(r"[\w-]")
_POSSESSIVE = re.compile(r"[" + _APOS + r"]s\b")  # "Hezbollah's": blanked, not folded into "Hezbollahs"


def fold(s: str) -> str:
    """The lookup key of a name: no accents, apostrophes, hyphens or case."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.translate(_FOLD).lower().split())


def is_acronym(alias: str) -> bool:
    letters = alias.replace(".", "").replace("-", "")
    return 2 <= len(letters) <= 6 and letters.isalnum() and letters.upper() == letters and any(c.isalpha() for c in letters)


def trie_regex(words: list[str]) -> str:
    """One regex matching any of `words`, longest first, sharing common prefixes."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_regex(trie)


def _node_regex(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _node_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


class Matcher:
    """Maps each alias to a value; `find(text)` yields (start, end, matched, value)."""

    def __init__(self, aliases: dict[str, object]):
        self.by_key: dict[str, object] = {}
        acronyms: dict[str, object] = {}
        for alias, value in aliases.items():
            if is_acronym(alias):
                acronyms.setdefault(alias, value)
            elif fold(alias):
                self.by_key.setdefault(fold(alias), value)
        self.acronyms = acronyms
        keys = sorted(self.by_key)
        # Text whose only cased letters are ASCII (lower_exact) is lowercased and searched by
        # the automaton, which finds every key wherever it occurs, ~3x faster than the regex
        # scans a text; the whole-word matches are then picked as the regex would pick them.
        # Exact unless a key holds a non-ASCII letter that re.I equates with an ASCII one ("ı"
        # is an "i" to re.I); keys with other cased letters cannot match such text.
        ascii_folded = not any(_folds_to_ascii(c) for c in {c for k in keys for c in k if not c.isascii()})
        self._automaton = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard) \
            if keys and ascii_folded else None
        self._values = [self.by_key[k] for k in keys]
        acr = trie_regex(sorted(acronyms)) if acronyms else None
        # The "(?<![\w-])" in front is checked by _not_after instead: a pattern that starts with
        # its letters lets re jump from capital to capital (~3x faster).
        self._acr = re.compile(rf"(?:{acr})(?![\w-])") if acr else None

    def find_each(self, texts: list[str]) -> list[list]:
        """[self.find(t) for t in texts], from one search of the texts joined by newlines:
        per sentence, the calls cost more than the matching. Texts only re.I can search
        (lower_exact) are joined apart, so they cannot slow the others down. Exact: no name
        holds a newline, and a newline is no \\w, dash or apostrophe to the patterns."""
        if any("\n" in t for t in texts):
            return [self.find(t) for t in texts]
        out: list[list] = [[] for _ in texts]
        lower = [lower_exact(t) for t in texts]
        for exact in (True, False):
            group = [i for i, x in enumerate(lower) if x == exact]
            joined, starts = join([texts[i] for i in group])
            for s, e, matched, value in self.find(joined, exact) if group else ():
                k = bisect.bisect_right(starts, s) - 1
                out[group[k]].append((s - starts[k], e - starts[k], matched, value))
        return out

    def find(self, text: str, exact: bool | None = None):
        """`exact`: lower_exact(text), if known."""
        hits = []
        if self.by_key:
            folded, back = _fold_text(text)
            for s, e, value in self._names_in(folded, exact):
                if back:
                    s, e = back(s), back(e - 1) + 1
                hits.append((s, e, text[s:e], value))
        if self._acr:
            hits += [(m.start(), m.end(), m.group(0), self.acronyms[m.group(0)])
                     for m in _not_after(_WORD_OR_DASH, self._acr, text)]
        return _outermost(hits)

    def _names_in(self, folded: str, exact: bool | None = None) -> list[tuple[int, int, object]]:
        """(start, end, value) of each key in `folded` as self._names.finditer finds them: at
        the leftmost start where a key is a whole word, the longest such key, and so on after it.
        `exact`: lower_exact of the text folded, which folding does not change (it drops or blanks
        only apostrophes and dashes, which have no case)."""
        if self._automaton and exact is None:
            exact = lower_exact(folded)
        low = folded.lower() if self._automaton and exact else None  # then of the same length
        found = scan(self._automaton, low) if low else None
        if found is None:
            hits = ((m.start(), m.end(), self.by_key.get(" ".join(m.group(0).lower().split())))
                    for m in self._names.finditer(folded))
            return [h for h in hits if h[2] is not None]  # None: re.I equated a letter lower() does not
        whole = [(s, e, i) for i, s, e in found if not ((s and _WORD.match(low, s - 1)) or _WORD.match(low, e))]
        return [(s, e, self._values[i]) for s, e, i in _outermost(whole)]

    @functools.cached_property
    def _names(self) -> re.Pattern:
        """The regex for text the automaton cannot search, made on first use: ~0.15 s for the
        gazetteer, which most builds never spend."""
        return re.compile(rf"(?<!\w)(?:{trie_regex(sorted(self.by_key))})(?!\w)", re.I)


def _outermost(hits: list[tuple]) -> list[tuple]:
    """Hits (start, end, ...) with those that start inside an earlier one dropped, leftmost
    first and at one start the longest: what one left-to-right search finds."""
    hits.sort(key=lambda h: (h[0], -h[1]))
    out, last_end = [], -1
    for h in hits:
        if h[0] >= last_end:
            out.append(h)
            last_end = h[1]
    return out


@functools.lru_cache(maxsize=512)  # the actor registry and the gazetteer search the same sentences
def _fold_text(text: str):
    """(text as the name search sees it, folded index -> text index or None if the same)."""
    blanked = _POSSESSIVE.sub("  ", text)
    folded = blanked  # as blanked.translate(_FOLD), which looks every character up: ~8x slower
    for c, to in _FOLD_PAIRS:
        if c in folded:
            folded = folded.replace(c, to)
    return folded, (_back_map(blanked) if len(folded) != len(text) else None)


def _not_after(before: re.Pattern, rx: re.Pattern, text: str):
    """rx.finditer(text) as if rx began with (?<!before): a start right after `before` is
    skipped and the search goes on from the next character, as re itself would."""
    pos = 0
    while m := rx.search(text, pos):
        if m.start() and before.match(text, m.start() - 1):
            pos = m.start() + 1
        else:
            yield m
            pos = m.end()


def _folds_to_ascii(ch: str) -> bool:
    """Whether re.I matches `ch` with some ASCII character."""
    rx = re.compile(re.escape(ch), re.I)
    return any(rx.fullmatch(chr(a)) for a in range(128))


def _back_map(text: str):
    """Folded index -> original index, given the apostrophes fold() dropped."""
    shifted = [m.start() - k for k, m in enumerate(_APOS_RX.finditer(text))]
    return lambda f: f + bisect.bisect_right(shifted, f)
