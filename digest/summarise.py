"""Two or three sentences from the cleaned text that say what happened, who, where, when.

Extractive and hand-written (sumy needs NLTK data downloads); scored on position,
event words and named actors/places/dates. Baselines for `digest eval` live here too.
"""
from __future__ import annotations

import math
import re
from collections import Counter

from .extract.dating import EVENT_WORDS
from .text import holding_each, tokens

QUOTES = "“”\"«»‘'"
MAX_CHARS = 480


_QUOTED = re.compile(r"[“\"«][^”\"»]*[”\"»]|(?<!\w)[‘'][^’']{8,}[’'](?!\w)")
_OPENING = re.compile("[“\"«‘']")  # every quotation _QUOTED finds starts with one of these
_STARTS = tuple(QUOTES)


def _quote_share(s: str) -> float:
    if not _OPENING.search(s):  # most sentences quote no one: skip the search (one scan, not five `in`s)
        return 0.0
    spans = _QUOTED.findall(s)
    return sum(len(x) for x in spans) / max(len(s), 1)


def usable(s: str) -> bool:
    return not s.endswith("?") and 8 <= len(s.split()) <= 80 and not s.lstrip().startswith(_STARTS) \
        and _quote_share(s) < 0.5


def summarise(sentences, flags, names: list[str]) -> str:
    """`sentences`: dating.Sentence list; `flags`: main-event flags; `names`: actors and places."""
    names = [n for n in names if n]
    pool = [(i, s) for i, s in enumerate(sentences) if not s.is_list and usable(s.text)]
    named = _names_held([s.text for _, s in pool], names)
    parts = [(2.0 / (1 + rank) + (1.0 if flags[i] else -0.5), s.date is not None,
              0.4 * min(3, named[rank]), i, s.text) for rank, (i, s) in enumerate(pool)]
    # Event words are looked for only where they could lift a sentence into the top three:
    # not where, even with them, it scores below three sentences without them.
    lows = sorted((_score(p, False) for p in parts), reverse=True)
    floor = lows[2] if len(lows) > 2 else -math.inf
    scored = [(_score(p, EVENT_WORDS.found(p[4])), p[3], p[4]) for p in parts if _score(p, True) >= floor]
    top = sorted(scored, key=lambda t: (-t[0], t[1]))[:3]
    chosen = sorted(top, key=lambda t: t[1])
    while len(chosen) > 2 and sum(len(t[2]) for t in chosen) > MAX_CHARS:
        chosen.remove(min(chosen, key=lambda t: (t[0], -t[1])))
    if not chosen:
        chosen = [(0, i, s.text) for i, s in enumerate(sentences[:2])]
    return " ".join(t[2] for t in chosen)


def _names_held(texts: list[str], names: list[str]) -> list[int]:
    """How many of `names` each text holds: sum(map(text.__contains__, names)), from one
    search of the texts joined for each name (holding_each) rather than one of each text."""
    if any("\n" in n for n in names):
        return [sum(map(t.__contains__, names)) for t in texts]
    counts = [0] * len(texts)
    for held in holding_each(texts, [[n] for n in names]):
        for k in held:
            counts[k] += 1
    return counts


def _score(part: tuple, event: bool) -> float:
    """A pooled sentence's score, summed in one order, so that a bound is the very score."""
    lead, dated, named = part[:3]
    return lead + (0.8 * event + 0.5 * dated) + named


def lead3(sentences) -> str:
    return " ".join(s.text for s in [s for s in sentences if not s.is_list][:3])


def textrank(sentences, k: int = 3) -> str:
    """Graph-based baseline: PageRank over sentence word-overlap similarity."""
    items = [s.text for s in sentences if not s.is_list]
    if len(items) <= k:
        return " ".join(items)
    bags = [Counter(tokens(t)) for t in items]
    n = len(items)
    sim = [[0.0] * n for _ in range(n)]
    for a in range(n):
        for b in range(a + 1, n):
            common = sum((bags[a] & bags[b]).values())
            if common:
                w = common / (math.log(1 + len(bags[a])) + math.log(1 + len(bags[b])))
                sim[a][b] = sim[b][a] = w
    score = [1.0] * n
    for _ in range(30):
        score = [0.15 + 0.85 * sum(sim[b][a] / (sum(sim[b]) or 1) * score[b] for b in range(n)) for a in range(n)]
    top = sorted(sorted(range(n), key=lambda i: (-score[i], i))[:k])
    return " ".join(items[i] for i in top)
