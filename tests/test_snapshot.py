"""The cache's snapshot of the articles (digest/snapshot.py): exact, shared, never trusted blindly."""
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import digest.cache
from digest import snapshot
from digest.config import Config
from digest.model import HEAVY
from digest.pipeline import gather, generate
from test_pipeline import edit_seed, generate_all_again, tree_hash


def _shape(value):
    """The value with the type of every part: equal shapes mean equal values of equal types."""
    if isinstance(value, dict):
        return ("dict", [(_shape(k), _shape(v)) for k, v in value.items()])
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, [_shape(v) for v in value])
    return (type(value).__name__, repr(value))


class Pair(NamedTuple):
    left: object
    right: object


atoms = st.one_of(st.sampled_from(["a", "b", "Kata'ib Hezbollah", ""]), st.integers(-2, 2), st.booleans(),
                  st.sampled_from([0.0, -0.0, 1.0, 2.5]), st.none())
values = st.recursive(atoms, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.lists(inner, max_size=4).map(tuple),
    st.tuples(inner, inner).map(lambda t: Pair(*t)),
    st.dictionaries(st.sampled_from(["date", "value", "a"]), inner, max_size=3)), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(values, min_size=1, max_size=6))
def test_sharing_keeps_every_value_and_type_and_shares_equal_strings(many):
    """1 and 1.0 and True are equal, as are 0.0 and -0.0: none may stand in for another."""
    pool: dict = {}
    shared = [snapshot._shared(v, pool) for v in many]
    assert [_shape(v) for v in shared] == [_shape(v) for v in many]
    strings = [s for v in shared for s in _strings(v)]
    assert all(s is pool[s] for s in strings)  # one object for equal strings


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from _strings(v)


@pytest.fixture
def cached(project):
    """The seeds gathered into a cache; (config, result, the cache's keys)."""
    cfg = Config(cache=project / ".cache" / "articles.sqlite")
    result = gather(cfg)
    return cfg, result, sorted(result.outcomes)


def test_a_snapshot_gives_back_the_articles_of_the_cache_sharing_their_strings(cached):
    cfg, result, keys = cached
    cache = digest.cache.Cache(cfg.cache)
    rows = cache.get_many(keys)
    path = cfg.cache.with_suffix(".snapshot")
    snapshot.save(path, digest.cache.code_fingerprint(), list(rows.items()), set())
    held, entries = snapshot.load(path, digest.cache.code_fingerprint(), set(keys[:3]))
    assert entries == 5 and sorted(held) == keys[:3]
    for k, a in held.items():
        assert _shape(a.__dict__) == _shape({n: rows[k].__dict__[n] for n in snapshot.LIGHT})
        assert not set(HEAVY) & set(a.__dict__)
    names = [r.name for a in held.values() for r in a.actors]
    assert len(names) > len(set(names))  # the seeds name some actors in several articles
    assert len({id(n) for n in names}) == len(set(names))


def test_a_snapshot_of_other_code_or_cut_short_is_not_read(cached, tmp_path):
    cfg, result, keys = cached
    items = list(digest.cache.Cache(cfg.cache).get_many(keys).items())
    path = tmp_path / "s.snapshot"
    snapshot.save(path, "code-a", items, set())
    assert snapshot.load(path, "code-b", set(keys)) == ({}, 0)
    path.write_bytes(path.read_bytes()[:-100])
    assert snapshot.load(path, "code-a", set(keys)) == ({}, 0)
    assert snapshot.load(tmp_path / "none", "code-a", set(keys)) == ({}, 0)


@pytest.mark.parametrize("entries, used, read, analysed, due", [
    (0, 0, 10_000, 0, True),            # none yet: a build reading the archive, analysing nothing
    (0, 0, 10_000, 1, False),           # not one that also analyses an article (~1 s more)
    (0, 0, 499, 0, False),              # a small archive loads its rows quickly enough
    (10_000, 10_000, 10_000, 1, False),
    (10_000, 9_900, 10_000, 1, False),  # 100 articles changed: read from the rows, stale in it: 2 %
    (10_000, 9_800, 10_000, 1, True),
    (10_000, 9_999, 9_999, 0, False),
])
def test_a_snapshot_is_written_again_only_when_much_of_it_is_missing_or_stale(entries, used, read, analysed, due):
    assert snapshot.stale(entries, used, read, analysed) is due


@pytest.mark.parametrize("jobs", [1, 2])
def test_builds_from_a_snapshot_make_the_pages_builds_from_the_cache_rows_make(project, monkeypatch, jobs):
    """The first build reading from the cache and analysing nothing writes the snapshot
    (jobs=2: in a forked process); the next reads it, and a changed article from the rows; one
    that finds it stale writes it again. Every page and download as a build with no snapshot
    makes them."""
    monkeypatch.setattr(snapshot, "SNAPSHOT_FROM", 1)
    cfg = Config(jobs=jobs)
    path = cfg.cache.with_suffix(".snapshot")
    assert generate(cfg).stats["analysed"] == 5 and not path.exists()  # nothing read from the cache
    seeds = sorted((project / "seeds").iterdir())
    edit_seed(seeds[0])
    assert generate(cfg).stats["analysed"] == 1 and not path.exists()  # none yet: not by a build that analyses
    generate(cfg)
    written = path.stat().st_mtime_ns
    edit_seed(seeds[1])
    loads = []
    monkeypatch.setattr(snapshot, "load", _spy(snapshot.load, loads))
    with monkeypatch.context() as m:
        m.setattr(snapshot, "DRIFT", 1)  # one entry of five missing, one stale: not written again
        assert generate_all_again(project, cfg).stats["analysed"] == 1
    assert loads[-1] == 4 and path.stat().st_mtime_ns == written
    generate(cfg)  # DRIFT 50: written again, from four articles of the snapshot and one of the rows
    assert loads[-1] == 4 and path.stat().st_mtime_ns != written
    assert generate_all_again(project, cfg).stats["cached"] == 5 and loads[-1] == 5
    made = tree_hash(project / "docs")
    path.unlink()
    assert generate_all_again(project, cfg).stats["cached"] == 5 and tree_hash(project / "docs") == made


def _spy(func, calls: list):
    """`func` (snapshot.load), noting how many articles each call found."""
    def spy(*args):
        out = func(*args)
        calls.append(len(out[0]))
        return out
    return spy
