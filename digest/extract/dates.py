"""Publication and event dates, each with its precision and the words it came from.

Hand-written: dateparser.search_dates costs ~30 ms per article and resolves relative
dates against today; here every relative date resolves against the article's own
dateline, and day/month order is decided by evidence in the article.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from ..model import DateValue
from ..text import Hints, Words, lower_exact

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
_MON = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# The patterns are matched case-insensitively but written in lowercase, for text.Words.
MONTH_NAMES = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
WEEKDAY_NAMES = "|".join(WEEKDAYS)
YEAR = r"(?:19|20)\d\d"
M = rf"(?P<mon>{MONTH_NAMES})\.?"
WD = rf"(?P<wd>{WEEKDAY_NAMES})"
Y = rf"(?P<y>{YEAR})"
D = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
PATTERNS = [  # order matters: earlier patterns win where matches overlap
    ("iso", rf"\b{Y}-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[t ][\d:.]+(?:z|[+-]\d\d:?\d\d)?)?\b"),
    ("dmy", rf"\b{D}\s+(?:of\s+)?{M},?\s+{Y}\b"),
    ("mdy", rf"\b{M}\s+{D},?\s+{Y}\b"),
    ("num", r"\b(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d)\b"),
    ("my", rf"\b{M},?\s+{Y}\b"),
    ("md", rf"\b{M}\s+{D}\b(?!\s*(?:%|percent|km|miles|troops|people|attacks))"),
    ("dm", rf"\b{D}\s+(?:of\s+)?{M}\b"),
    ("lastmon", rf"\blast\s+{M}\b"),
    ("mon", rf"\b(?:(?:early|mid|late|in|since|during|until|by)[\s-]+){M}\b"),
    ("rel", rf"\b(?:(?P<pre>on|last|this|early|late|since|by)\s+)?{WD}(?:\s+(?P<part>morning|afternoon|evening|night))?\b"),
    ("day", r"\b(?P<word>yesterday|today|tonight|this morning|last night)\b"),
    ("year", rf"\b(?:in|since|of|by|during|until|from|year)\s+{Y}\b"),
]
_RX = [(kind, Words(p)) for kind, p in PATTERNS]
# Most sentences name no date, and the 12 passes above cost ~35 us a sentence. Each pattern
# needs some whole words (in every pattern they stand between word boundaries), so one cheap
# search per word class first says which patterns can match at all. Same flags, same \b:
# a pattern is skipped only where it could not have matched.
_GATES = {
    "year": Words(rf"\b{YEAR}\b"),
    "month": Words(rf"\b(?:{MONTH_NAMES})\b"),
    "weekday": Words(rf"\b(?:{WEEKDAY_NAMES})\b"),
    "word": Words(r"\b(?:yesterday|today|tonight|this morning|last night)\b"),
}
# Even those searches cost ~6 us a sentence; in text where re.I is plain ASCII case folding
# (text.lower_exact) a substring test of the lowercased text rules most gates out for ~1 us.
_HINTS = {
    "year": ("19", "20"),
    "month": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    "weekday": ("day",),
    "word": ("day", "night", "morning"),
}
_HINTED = Hints(_HINTS.values())
_NEEDS = {"iso": ("year",), "dmy": ("year", "month"), "mdy": ("year", "month"), "num": ("year",),
          "my": ("year", "month"), "md": ("month",), "dm": ("month",), "lastmon": ("month",),
          "mon": ("month",), "rel": ("weekday",), "day": ("word",), "year": ("year",)}
_URL = [  # dates a site writes into its URLs
    ("ymd", re.compile(r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)(?:/|[-_]|$)")),
    ("ym", re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/")),
    ("compact", re.compile(r"(?:/|^)(?P<a>\d{2})(?P<b>\d{2})(?P<y>(?:19|20)\d\d)(?=[-_/.]|$)")),
    ("compact_ymd", re.compile(r"(?:/|^)(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?=[-_/.]|$)")),
]


class Mention(NamedTuple):  # every date found: a named tuple is made ~5x faster than a frozen dataclass
    kind: str
    text: str
    pos: int          # offset in the text it was found in
    year: int | None
    month: int | None
    day: int | None
    alt: tuple | None = None   # (month, day) read the other way, for ambiguous numbers
    weekday: int | None = None
    word: str | None = None    # yesterday/today/...


def _mon(token: str) -> int:
    token = token.casefold()  # not lower(): re.I matches "ſ" (long s) as "s", and only casefold() agrees
    return _MON[token.rstrip(".")[:4] if token.startswith("sept") else token[:3]]


def find(text: str) -> list[Mention]:
    """Every date expression in `text`, longest first where they overlap."""
    low = text.lower() if lower_exact(text) else None  # lowered once for every pattern
    return _find(text, low, _gates(text, low))


def find_each(texts: list[str]) -> list[list[Mention]]:
    """[find(t) for t in texts], the hint tests of _gates made once for all texts (_HINTED):
    a dozen substring tests in each sentence cost more than the few hits in an article."""
    lows = [t.lower() if lower_exact(t) else None for t in texts]
    searched = [low or "" for low in lows]  # the others are searched with every gate
    hinted = dict(zip(_HINTS, _HINTED.holding(searched)))
    any_hint = set().union(*hinted.values())
    return [_find(t, low, _gates(t, low, [g for g, idx in hinted.items() if i in idx]))
            if low is None or i in any_hint else [] for i, (t, low) in enumerate(zip(texts, lows))]


def _find(text: str, low: str | None, present: set[str]) -> list[Mention]:
    if not present:
        return []
    taken: list[tuple[int, int]] = []
    out = []
    for kind, words in _RX:
        if not present.issuperset(_NEEDS[kind]):
            continue
        for m in words.finditer(text, low):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            men = _mention(kind, m)
            if men:
                taken.append((s, e))
                out.append(men)
    _attach_weekdays(text, out)
    return sorted(out, key=lambda x: x.pos)


def _gates(text: str, low: str | None, maybe: list[str] | None = None) -> set[str]:
    """The word classes (_GATES) that occur in `text`; `low`: text.lower() if lower_exact;
    `maybe`: the gates whose hints `low` holds, if known."""
    if low is None:  # re.I also folds a few non-ASCII letters ("ſ" is an s): only the regexes can say
        maybe = list(_GATES)
    elif maybe is None:
        maybe = [gate for gate, hints in _HINTS.items() if any(map(low.__contains__, hints))]
    return {gate for gate in maybe if _GATES[gate].found(text, low)}


def _mention(kind: str, m: re.Match) -> Mention | None:
    g = m.groupdict()
    text = m.group(0).strip()
    if g.get("mon") and g["mon"].islower() and g["mon"].lower() in ("may", "march"):
        return None  # the verbs
    y = int(g["y"]) if g.get("y") else None
    d = int(g["d"]) if g.get("d") else None
    mon = _mon(g["mon"]) if g.get("mon") else None
    if kind == "iso":
        mon = int(g["m"])
    if kind == "num":
        a, b = int(g["a"]), int(g["b"])
        opts = [(mm, dd) for mm, dd in ((b, a), (a, b)) if _valid(y, mm, dd)]
        if not opts:
            return None
        (mon, d), alt = opts[0], (opts[1] if len(opts) > 1 and opts[1] != opts[0] else None)
        return Mention(kind, text, m.start(), y, mon, d, alt)
    if kind == "rel":  # "on Sunday", or a bare weekday: both name a recent day
        return Mention(kind, text, m.start(), None, None, None, weekday=WEEKDAYS.index(g["wd"].casefold()))
    if kind == "day":
        return Mention(kind, text, m.start(), None, None, None, word=g["word"].casefold())
    if d is not None and not _valid(y or 2000, mon, d):
        return None
    return Mention(kind, text, m.start(), y, mon, d)


def _valid(y, m, d) -> bool:
    try:
        dt.date(y or 2000, m, d)
        return True
    except (ValueError, TypeError):
        return False


def _attach_weekdays(text: str, out: list[Mention]) -> None:
    """'Thursday, 25 February 2021' / '3 March 2024, Sunday': the weekday checks the date."""
    full = [x for x in out if x.day and x.year]
    for rel in [x for x in out if x.kind == "rel"]:
        for x in full:
            gap = text[min(rel.pos + len(rel.text), x.pos + len(x.text)):max(rel.pos, x.pos)]
            if len(gap) <= 3 and not gap.strip(" ,|-"):
                out.remove(rel)
                out[out.index(x)] = Mention(x.kind, x.text, x.pos, x.year, x.month, x.day, x.alt, rel.weekday)
                break


def from_url(url: str) -> list[Mention]:
    out = []
    path = re.sub(r"^[a-z]+://[^/]+", "", url or "")
    for kind, rx in _URL:
        for m in rx.finditer(path):
            g = m.groupdict()
            y = int(g["y"])
            if kind == "ym":
                if 1 <= int(g["m"]) <= 12:
                    out.append(Mention("url-month", m.group(0), m.start(), y, int(g["m"]), None))
                continue
            if kind == "compact":
                a, b = int(g["a"]), int(g["b"])
                opts = [(mm, dd) for mm, dd in ((b, a), (a, b)) if _valid(y, mm, dd)]
                if opts:
                    out.append(Mention("num", m.group(0), m.start(), y, *opts[0],
                                       alt=opts[1] if len(opts) > 1 and opts[1] != opts[0] else None))
                continue
            mm, dd = int(g["m"]), int(g["d"])
            if _valid(y, mm, dd):
                out.append(Mention("url", m.group(0), m.start(), y, mm, dd))
        if out:
            return out[:1]
    return out
