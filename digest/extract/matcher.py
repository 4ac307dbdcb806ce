"""Find any of many names in text, tolerant of apostrophe, hyphen and case variants.

Aliases in ALL CAPS of up to 6 letters are acronyms: matched case-sensitively as whole
words. Everything else is case-insensitive. One compiled alternation per mode.
"""
from __future__ import annotations

import re
import unicodedata

_APOS = "'’‘ʼ`´"
_DASH = "-‐‑–—"


def fold(s: str) -> str:
    """The lookup key of a name: no accents, apostrophes, hyphens or case."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c) and c not in _APOS)
    s = "".join(" " if c in _DASH else c for c in s)
    return " ".join(s.lower().split())


def _alias_regex(alias: str) -> str:
    out = []
    for ch in fold(alias):
        if ch == " ":
            out.append(r"[\s\-‐‑–—]+")
        else:
            out.append(re.escape(ch) + f"[{_APOS}]?")
    return "".join(out)


def is_acronym(alias: str) -> bool:
    letters = alias.replace(".", "").replace("-", "")
    return 2 <= len(letters) <= 6 and letters.isalnum() and letters.upper() == letters and any(c.isalpha() for c in letters)


class Matcher:
    """Maps each alias to a value; `find(text)` yields (start, end, matched, value)."""

    def __init__(self, aliases: dict[str, object]):
        self.by_key: dict[str, object] = {}
        acr, names = [], []
        for alias, value in aliases.items():
            if is_acronym(alias):
                acr.append(alias)
                self.by_key["ACR:" + alias] = value
            else:
                key = fold(alias)
                if key:
                    self.by_key.setdefault(key, value)
                    names.append(key)
        names = sorted(set(names), key=lambda s: (-len(s), s))
        acr = sorted(set(acr), key=lambda s: (-len(s), s))
        self._names = re.compile(r"(?<!\w)(?:" + "|".join(_alias_regex(n) for n in names) + r")(?!\w)", re.I) if names else None
        self._acr = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in acr) + r")(?![\w-])") if acr else None

    def find(self, text: str):
        hits = []
        if self._names:
            for m in self._names.finditer(text):
                value = self.by_key.get(fold(m.group(0)))
                if value is not None:
                    hits.append((m.start(), m.end(), m.group(0), value))
        if self._acr:
            for m in self._acr.finditer(text):
                hits.append((m.start(), m.end(), m.group(0), self.by_key["ACR:" + m.group(0)]))
        hits.sort(key=lambda h: (h[0], -h[1]))
        out, last_end = [], -1
        for h in hits:  # drop matches inside a longer one
            if h[0] >= last_end:
                out.append(h)
                last_end = h[1]
        return out
