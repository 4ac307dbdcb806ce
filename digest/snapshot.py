"""The cached articles of the last builds in one file, their repeated values stored once.

Every build loads all its articles from the cache to group them. From the cache's rows, a
pickle each, that makes ~156 objects an article: at 10,000 articles 0.35-0.47 s of a
one-article build (0.27-0.32 s of it unpickling). Dumped together, the names, kinds, roles,
places, days and outlets that thousands of articles repeat are stored once: ~50 objects an
article, loaded in 0.16-0.18 s. A snapshot only saves time: an entry is filed under its
cache key, which hashes the code and the file, so one it holds is right, and one it lacks
is read from the cache's rows. A snapshot of another version of the code is not read.
"""
from __future__ import annotations

import os
import pickle
from dataclasses import fields
from pathlib import Path

from .model import HEAVY, Article

FORMAT = "digest-snapshot-1"
LIGHT = tuple(f.name for f in fields(Article) if f.name not in HEAVY)  # what a cache row holds
SNAPSHOT_FROM = 500  # articles read from the cache; below, their rows load in ~20 ms
DRIFT = 50  # written again when more than one in DRIFT of the articles read are missing or stale in it


def _header(code: str) -> bytes:
    return f"{FORMAT} {code}\n".encode()


def load(path: Path, code: str, wanted: set[str]) -> tuple[dict, int]:
    """The snapshot's articles whose keys are `wanted` ({key: Article}, without their HEAVY
    values), and how many entries it holds; ({}, 0) when there is none for this `code`."""
    try:
        with open(path, "rb") as fh:
            if fh.readline() != _header(code):
                return {}, 0
            keys, articles = pickle.load(fh)
    except Exception:  # missing, cut short or unreadable: the cache has every entry
        return {}, 0
    return {k: a for k, a in zip(keys, articles) if k in wanted}, len(keys)


def stale(entries: int, used: int, read: int, analysed: int) -> bool:
    """Whether a build that read `read` articles from the cache, `used` of them from a
    snapshot of `entries`, and analysed `analysed`, should write a new one: too many of the
    articles were read from the cache's rows instead, or too many of its entries are no longer
    wanted. With none yet, only a build that analysed nothing writes it: sharing the values of
    all the articles read from the rows costs ~1 s of CPU (at 10,000), which a one-article
    build right after a cold one would otherwise pay."""
    if read < SNAPSHOT_FROM:
        return False
    if entries == 0:
        return analysed == 0
    return ((read - used) + (entries - used)) * DRIFT > read


def save(path: Path, code: str, items: list[tuple[str, Article]], shared: set[str]) -> None:
    """Write the snapshot of these (key, article) pairs, through a new file. The articles of
    the keys `shared` came from the last snapshot: their values are shared already."""
    pool: dict = {}
    light = [_light(a, None if k in shared else pool) for k, a in items]
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(_header(code))
            pickle.dump(([k for k, _ in items], light), fh, protocol=5)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _light(a: Article, pool: dict | None) -> Article:
    """A copy of the article with only what a cache row holds; with a `pool`, its values shared
    through it (an article read from a snapshot shares them already)."""
    copy = object.__new__(Article)
    state = a.__dict__
    if pool is None:
        copy.__dict__.update((name, state[name]) for name in LIGHT)
    else:
        copy.__dict__.update((name, _shared(state[name], pool)) for name in LIGHT)
    return copy


# Atoms kept as they are: pooled with the strings, 1 could come back as True or 1.0, and
# pickle writes each number out again anyway.
_KEPT = {int, float, bool, type(None)}
_STR = {str}


def _shared(value, pool: dict):
    """`value` with each string, and each tuple of strings, replaced by an equal one from `pool`
    (added when new). Only exact types: an equal value of another type (a str subclass, 1 and
    1.0) is never swapped in. Walked in Python, so leaves are handled inline: a call for each
    of the ~190 values an article holds took 110 us an article, and this ~60 us."""
    t = type(value)
    if t is str:
        return pool.setdefault(value, value)
    if t in _KEPT:
        return value
    items = [pool.setdefault(v, v) if type(v) is str else v if type(v) in _KEPT else _shared(v, pool)
             for v in (value.values() if t is dict else value)]
    if t is tuple:
        return pool.setdefault(value, tuple(items)) if {*map(type, items)} == _STR else tuple(items)
    if tuple in t.__bases__:  # a named tuple
        return tuple.__new__(t, items)
    if t is dict:
        return dict(zip([pool.setdefault(k, k) if type(k) is str else k for k in value], items))
    if t is list:
        return items
    raise TypeError(f"cannot share a {t.__name__}")  # a new kind of value in Article: share it here
