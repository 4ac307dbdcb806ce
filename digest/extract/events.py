"""Event types and casualty counts of the main event, from data/events.yml."""
from __future__ import annotations

import functools

from ..lexicon import load
from ..text import Words
from .dating import EVENT_WORDS
from .places import RANK, gazetteer


@functools.lru_cache(maxsize=None)
def _rules():
    data = load("events.yml")
    types = [(name, Words(r"\b(?:" + "|".join(p) + r")\b")) for name, p in data["types"].items()]
    nums = data["numbers"]
    num = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}|" + "|".join(sorted(nums, key=len, reverse=True)) + ")"
    cas = {k: [Words(p.replace("NUM", num)) for p in ps] for k, ps in data["casualties"].items()}
    return types, cas, nums


def event_types(texts: list[str]) -> list[str]:
    types, _, _ = _rules()
    found = []
    for text in texts:
        for name, words in types:
            if words.found(text):
                if name not in found:
                    found.append(name)
                text = words.rx.sub(" ", text)
    return found


def casualties(texts: list[str]) -> dict[str, int | None]:
    _, cas, nums = _rules()
    out: dict[str, int | None] = {"killed": None, "wounded": None}
    for key, rxs in cas.items():
        for text in texts:
            m = next((m for words in rxs for m in [next(words.finditer(text), None)] if m), None)  # rx.search
            if m:
                n = m.group("n").lower()
                out[key] = int(n.replace(',', '')) if n[0].isdigit() else nums.get(n)
                break
    return out


def places_in(text: str) -> list:
    found = {p.name: p for *_, p in gazetteer().find(text)}
    return sorted(found.values(), key=lambda p: (RANK[p.precision], p.name))


def background(sentences, flags, event_value) -> list[dict]:
    """Earlier dated attacks an article names in passing: for the chronology."""
    out = []
    for s, main in zip(sentences, flags):
        if main or s.is_list or s.date is None or s.date.precision != "day" or not EVENT_WORDS.found(s.text):
            continue
        types = event_types([s.text])
        if not types:  # "resume attacks" is talk of attacks, not a dated incident
            continue
        if s.date.value == event_value or any(b["date"]["value"] == s.date.value for b in out):
            continue
        out.append({"date": {"value": s.date.value, "precision": s.date.precision,
                             "evidence": s.date.evidence, "inferred": s.date.inferred},
                    "text": s.text, "event_types": types,
                    "locations": places_in(s.text)})
    return out
