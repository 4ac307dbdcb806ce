"""Which sentences speak of the main event, and which of earlier, background events."""
from __future__ import annotations

import datetime as dt
import re

from ..model import DateValue
from ..text import Words
from .dating import Sentence


def _same(a: DateValue, b: DateValue) -> bool:
    """Same day give or take one, or same month when either is only a month."""
    if not a.value or not b.value:
        return True
    if a.precision == "day" and b.precision == "day":
        return abs(dt.date.fromisoformat(a.value) - dt.date.fromisoformat(b.value)) <= dt.timedelta(days=1)
    n = min(len(a.value), len(b.value))
    return a.value[:n] == b.value[:n]


# Words that put a sentence in the past or in general, away from the reported incident.
BACKGROUND = Words(r"\b(?:ago|last year|previously (?:reported|claimed|targeted|attacked|hit)|in the past|earlier this (?:year|month)|similar attacks|"
                   r"following the (?:assassination|killing)|since (?:then|the start)|over the past|"
                   r"most of (?:those|the|these)|dozens of|hundreds of|repeatedly|frequently)\b")


ANAPHORA = Words(r"\b(?:the|that|this) (?:attack|strike|incident|assault|bombing)\b")


def main_flags(sentences: tuple[Sentence, ...], event: DateValue, event_mention: str | None) -> list[bool]:
    """A sentence is about the main event unless it names another date, follows such a sentence
    in its paragraph, or speaks of the past in general."""
    flags, current, para = [], True, -1
    for s in sentences:
        if s.para != para:  # a new paragraph speaks of the main event, unless it says "the attack" of the last
            para, current = s.para, current if (s.date is None and ANAPHORA.found(s.text)) else True
        if s.date is not None and s.date.precision in ("day", "month"):
            current = _same(s.date, event) if event.value else s.mention == event_mention
        elif s.mention and s.date is None:
            current = s.mention == event_mention  # "on Friday" again: the same day
        flags.append(current and not s.is_list and not BACKGROUND.found(s.text))
    return flags
