"""The data API: records following schema/export.schema.json, as JSON or flat CSV."""
from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path

import orjson

from .group import events, sort_key, unique_event_ids
from .model import Article
from .write import Chunks

SCHEMA = Path(__file__).parent / "schema" / "export.schema.json"
CSV_FIELDS = ["id", "file", "title", "source", "url", "published", "published_precision", "event_date",
              "event_precision", "month", "actors", "claimed_by", "locations", "event_types", "killed",
              "wounded", "summary", "warnings"]


def records(articles: list[Article], incidents: list | None = None) -> dict:
    """The export; `incidents` are the grouped events when the caller has them already."""
    arts = sorted(articles, key=sort_key)
    evts = []
    for e in incidents if incidents is not None else unique_event_ids(events(arts)):
        evts.append({"id": e.id, "date": e.date, "title": e.title, "background": e.background,
                     "locations": [_loc(p) for p in e.places], "event_types": list(e.event_types),
                     "actors": [_actor(r) for r in e.actors], "articles": list(e.articles),
                     "disagreements": list(e.disagreements), "outlets": list(e.outlets)})
    return {"schema_version": 1, "articles": [a.to_record() for a in arts], "events": evts}


def _loc(p) -> dict:
    return {"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon, "precision": p.precision}


def _actor(r) -> dict:
    return {"name": r.name, "slug": r.slug, "kind": r.kind, "roles": list(r.roles),
            "registered": r.registered, "mentions": r.mentions}


def to_json(articles: list[Article], indent: int | None = 1, incidents: list | None = None) -> str:
    if indent is None:
        return b"".join(json_chunks(articles, incidents)).decode("utf-8")
    return json.dumps(records(articles, incidents), ensure_ascii=False, indent=indent, sort_keys=True) + "\n"


def json_chunks(articles: list[Article], incidents: list | None = None) -> Chunks:
    """The compact JSON download, as UTF-8 pieces: the same bytes as compact(records(...)),
    made from each article's own JSON (kept with the article since its analysis: see prepare)
    instead of encoding 10,000 records again, and never joined into one 124 MB string."""
    arts = sorted(articles, key=sort_key)
    head = records([], incidents if incidents is not None else unique_event_ids(events(arts)))
    tail = compact({"events": head["events"], "schema_version": head["schema_version"]})[1:]
    out = Chunks([b'{"articles":['])
    for i, a in enumerate(arts):
        out += (b",", _kept(a, "json")) if i else (_kept(a, "json"),)
    out += (b"],", tail, b"\n")
    return out


def compact(value) -> bytes:
    """Compact JSON, keys sorted, as UTF-8. orjson (~0.09 -> 0.015 ms an article, on both cores
    of a cold build); what it refuses (an integer past 64 bits) the json module writes alike."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def csv_chunks(articles: list[Article]) -> Chunks:
    return Chunks([",".join(CSV_FIELDS).encode() + b"\n", *(_kept(a, "csv") for a in sorted(articles, key=sort_key))])


def to_csv(articles: list[Article]) -> str:
    return b"".join(csv_chunks(articles)).decode("utf-8")


def prepare(a: Article) -> Article:
    """Make the article's export text now (in the analysis worker), so that it is stored in
    the cache with the article: at 10,000 articles, encoding the downloads again on every
    build took seconds. Kept outside the dataclass fields (equality and records ignore it)."""
    for kind in _MAKERS:
        _kept(a, kind)
    return a


def _kept(a: Article, kind: str) -> bytes:
    text = getattr(a, f"_export_{kind}", None)  # a cached article reads it from the cache
    if text is None:
        text = _MAKERS[kind](a)
        object.__setattr__(a, f"_export_{kind}", text)  # frozen: a derived value, set once
    return text


def _csv_line(a: Article) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    w.writerow({
        "id": a.id, "file": a.file, "title": a.title, "source": a.source or "", "url": a.url or "",
        "published": a.published.value or "", "published_precision": a.published.precision,
        "event_date": a.event_date.value or "", "event_precision": a.event_date.precision,
        "month": a.month or "", "actors": "; ".join(f"{x.name} ({'/'.join(x.roles)})" for x in a.actors),
        "claimed_by": "; ".join(x.name for x in a.actors if "claimed" in x.roles),
        "locations": "; ".join(p.name for p in a.locations), "event_types": "; ".join(a.event_types),
        "killed": "" if a.killed is None else a.killed, "wounded": "" if a.wounded is None else a.wounded,
        "summary": a.summary, "warnings": "; ".join(a.warnings),
    })
    return buf.getvalue()


_MAKERS = {"json": lambda a: compact(a.to_record()),
           "csv": lambda a: _csv_line(a).encode("utf-8")}


@functools.lru_cache(maxsize=1)
def validator():
    import jsonschema
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def validate(data: dict) -> list[str]:
    """Schema violations, one line each (empty when valid)."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(data)]
