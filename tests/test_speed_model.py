"""Article.to_record is built field by field instead of with dataclasses.asdict: the records
must be the same, down to the Python types (a tuple stays a tuple, a list a list)."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from digest.analyse import analyse
from digest.ingest import parse
from digest.model import Article

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "tests" / "eval" / "articles").iterdir()) + sorted((ROOT / "seeds").iterdir())


def asdict_record(a: Article) -> dict:
    """to_record as it was written with asdict (and _asdict for the named tuples an article holds)."""
    rec = asdict(a)
    rec["published"], rec["event_date"] = a.published._asdict(), a.event_date._asdict()
    rec["actors"] = [{**x._asdict(), "roles": list(x.roles)} for x in a.actors]
    rec["locations"] = [p._asdict() for p in a.locations]
    for key in ("event_types", "removed", "warnings"):
        rec[key] = list(rec[key])
    rec["background"] = [{**b, "locations": [p._asdict() for p in b.get("locations", [])]} for b in a.background]
    return rec


def typed(value):
    """The value with the type of every container and leaf, for a strict comparison."""
    if isinstance(value, dict):
        return ("dict", [(k, typed(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [typed(v) for v in value])
    return (type(value).__name__, value)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_to_record_is_asdict(path):
    article = analyse(parse(path.read_bytes(), path.name))
    assert typed(article.to_record()) == typed(asdict_record(article))
