"""Find any of many names in text, tolerant of apostrophe, hyphen and case variants.

The text is folded once (apostrophes dropped, dashes made spaces) and
searched with one trie-shaped regex of folded aliases: compiling ~3,000 tolerant
patterns took seconds, this takes milliseconds. Aliases in ALL CAPS of up to 6 letters
are acronyms, matched case-sensitively on the original text as whole words.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata

from ..text import join, lower_exact

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
        names = trie_regex(sorted(self.by_key)) if self.by_key else None
        self._names = re.compile(rf"(?<!\w)(?:{names})(?!\w)", re.I) if names else None
        # Text of ASCII and uncased characters (lower_exact) is searched title-cased, with the
        # keys title-cased: a name then starts with a capital (or a digit), and re jumps from
        # one to the next instead of trying the pattern at every character (~4x faster than
        # re.I); the "(?<!\w)" is checked by _not_after. A capital starts each run of letters
        # in text and key alike (str.title looks only at the character before), so the same
        # spans match. Exact unless a key holds a non-ASCII letter that re.I equates with an
        # ASCII one ("ı" is an "i" to re.I); keys with other cased letters cannot match such text.
        fast = sorted({k.title() for k in self.by_key if lower_exact(k)})
        self._names_fast = re.compile(rf"(?:{trie_regex(fast) if fast else '(?!)'})(?!\w)") if names and not any(
            _folds_to_ascii(c) for c in {c for k in self.by_key for c in k if not c.isascii()}) else None
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
        for group in ([i for i, x in enumerate(lower) if x], [i for i, x in enumerate(lower) if not x]):
            joined, starts = join([texts[i] for i in group])
            for s, e, matched, value in self.find(joined) if group else ():
                k = bisect.bisect_right(starts, s) - 1
                out[group[k]].append((s - starts[k], e - starts[k], matched, value))
        return out

    def find(self, text: str):
        hits = []
        if self._names:
            folded, back = _fold_text(text)
            if self._names_fast and lower_exact(folded):  # title() keeps the length: offsets hold
                found = _not_after(_WORD, self._names_fast, folded.title())
            else:
                found = self._names.finditer(folded)
            for m in found:
                value = self.by_key.get(" ".join(m.group(0).lower().split()))
                if value is not None:
                    s, e = (back(m.start()), back(m.end() - 1) + 1) if back else m.span()
                    hits.append((s, e, text[s:e], value))
        if self._acr:
            hits += [(m.start(), m.end(), m.group(0), self.acronyms[m.group(0)])
                     for m in _not_after(_WORD_OR_DASH, self._acr, text)]
        hits.sort(key=lambda h: (h[0], -h[1]))
        out, last_end = [], -1
        for h in hits:  # drop matches inside a longer one
            if h[0] >= last_end:
                out.append(h)
                last_end = h[1]
        return out


@functools.lru_cache(maxsize=512)  # the actor registry and the gazetteer search the same sentences
def _fold_text(text: str):
    """(text as the names regex sees it, folded index -> text index or None if the same)."""
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
