"""Frozen records passed between the stages. Each extracted value keeps its evidence."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import NamedTuple

# The small records an article holds ~20 of (dates, actors, places) are named tuples, not frozen
# dataclasses: as immutable, and the cache unpickles them without building a dict each. Loading
# 10,000 cached articles, every build: 58.5 -> 42.6 us an article.


class DateValue(NamedTuple):
    value: str | None  # ISO date cut to precision: YYYY-MM-DD, YYYY-MM or YYYY
    precision: str = "unknown"
    evidence: str | None = None
    inferred: bool = False

    @property
    def month(self) -> str | None:
        return self.value[:7] if self.precision in ("day", "month") and self.value else None

    @property
    def known(self) -> bool:
        return self.value is not None


UNKNOWN_DATE = DateValue(None)


class ActorRef(NamedTuple):
    name: str
    slug: str
    kind: str
    roles: tuple[str, ...]
    registered: bool
    mentions: int
    evidence: str  # the first sentence it was found in
    names: tuple[str, ...] = ()  # how the article writes it ("KH", "Kata'ib Hezbollah")


class Place(NamedTuple):
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    precision: str  # site | town | region | country
    evidence: str


@dataclass(frozen=True)
class RawArticle:
    path: str  # relative to the seeds folder, POSIX separators
    text: str
    meta: dict
    sha256: str
    kind: str  # txt | md | html
    warnings: tuple[str, ...] = ()


# What only an article's own page and the downloads show: 80 % of a cached article's bytes and
# ~10 % of its objects. The cache keeps them apart, so that a build loading 10,000 articles
# to group them reads 39 MB instead of 220 MB (0.58-0.63 -> 0.34-0.50 s in a one-article
# build). The export texts are made in analysis (export.prepare) and kept beside the fields.
PAGE_TEXT = ("body", "removed")
EXPORT_TEXT = ("_export_json", "_export_csv")
HEAVY = PAGE_TEXT + EXPORT_TEXT


@dataclass(frozen=True)
class Article:
    id: str
    file: str
    sha256: str
    title: str
    source: str | None
    url: str | None
    published: DateValue
    event_date: DateValue
    month: str | None
    undated_reason: str | None
    actors: tuple[ActorRef, ...]
    locations: tuple[Place, ...]
    dateline_place: str | None
    event_types: tuple[str, ...]
    killed: int | None
    wounded: int | None
    summary: str
    body: str
    removed: tuple[str, ...]
    warnings: tuple[str, ...]
    background: tuple[dict, ...] = field(default=())  # earlier dated events named in passing

    def __getattr__(self, name):
        """A HEAVY value of an article read from the cache, which keeps them apart and reads
        them on first use (cache.hydrate reads many at once). Called only for a name the
        instance does not hold."""
        if name in HEAVY and "_stored" in self.__dict__:
            from .cache import hydrate  # here: the cache imports this module
            hydrate([self], (name,))
            if name in self.__dict__:
                return self.__dict__[name]
        raise AttributeError(name)

    def to_record(self) -> dict:
        """The export record (see schema/export.schema.json). Built field by field:
        dataclasses.asdict deep-copies every value: 20x slower (0.8 s vs 0.04 s for 2,000 articles)."""
        rec = {f.name: getattr(self, f.name) for f in fields(self)}
        rec["published"], rec["event_date"] = _date_record(self.published), _date_record(self.event_date)
        rec["actors"] = [_actor_record(a) for a in self.actors]
        rec["locations"] = [_place_record(p) for p in self.locations]
        for key in ("event_types", "removed", "warnings"):
            rec[key] = list(rec[key])
        rec["background"] = [{**b, "locations": [_place_record(p) for p in b.get("locations", [])]}
                             for b in self.background]
        return rec


def _date_record(d: DateValue) -> dict:
    return {"value": d.value, "precision": d.precision, "evidence": d.evidence, "inferred": d.inferred}


def _place_record(p: Place) -> dict:
    return {"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon, "precision": p.precision,
            "evidence": p.evidence}


def _actor_record(a: ActorRef) -> dict:
    return {"name": a.name, "slug": a.slug, "kind": a.kind, "roles": list(a.roles), "registered": a.registered,
            "mentions": a.mentions, "evidence": a.evidence, "names": a.names}
