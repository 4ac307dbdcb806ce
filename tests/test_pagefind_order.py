"""digest/pagefind_order.py: Pagefind's bundles are byte-identical from one build to the next."""
import gzip
import json

import pytest
from hypothesis import given, strategies as st

from conftest import build_in, copy_skeleton
from digest.pagefind_order import MARKER, decode, encode, read, stabilise
from test_pipeline import tree_hash

values = st.recursive(st.integers(0, 2**64 - 1) | st.text(),
                      lambda inner: st.lists(inner, max_size=5), max_leaves=30)


@given(values)
def test_cbor_round_trip(value):
    data = encode(value)
    assert decode(data) == (value, len(data))


def test_cbor_heads_are_the_shortest():
    assert [encode(n) for n in (23, 24, 255, 256, 65536)] == [
        b"\x17", b"\x18\x18", b"\x18\xff", b"\x19\x01\x00", b"\x1a\x00\x01\x00\x00"]
    assert encode(["a", [1]]) == b"\x82\x61a\x81\x01"


@pytest.mark.parametrize("value", [-1, True, 1.5, b"x", {"a": 1}])
def test_what_pagefind_does_not_write_is_not_written(value):
    with pytest.raises(ValueError):
        encode(value)


@pytest.mark.parametrize("data", [b"\xa1\x61a\x01", b"\x41x", b"\xf9\x00\x00", b"\x1c"])  # map, bytes, float, bad length
def test_what_pagefind_does_not_write_is_not_read(data):
    with pytest.raises(ValueError):
        decode(data)


def _write(path, value):
    path.write_bytes(gzip.compress(MARKER + encode(value)))


def _bundle(tmp_path, name, filters):
    """A bundle as Pagefind writes it: an entry, a metadata file naming the filter files."""
    b = tmp_path / name
    (b / "filter").mkdir(parents=True)
    listed = []
    for i, (filter_name, entries) in enumerate(filters):
        _write(b / "filter" / f"en_{name}{i}.pf_filter", [filter_name, entries])
        listed.append([filter_name, f"en_{name}{i}"])
    _write(b / f"pagefind.en_{name}.pf_meta", ["1.5.2", [["en_p", 12]], [["a", "z", "en_i"]], listed, [], ["title"]])
    (b / "pagefind-entry.json").write_text(json.dumps(
        {"version": "1.5.2", "languages": {"en": {"hash": f"en_{name}", "wasm": "en", "page_count": 1}}}))
    return b


def test_the_same_data_in_any_order_gives_the_same_files(tmp_path):
    month = ["month", [["May 2021", [1, 4]], ["April 2020", [0]], ["June 2020", [2, 3]]]]
    actor = ["actor", [["Kataib Hezbollah", [0, 1, 2]], ["Hamas", [3]]]]
    one = _bundle(tmp_path, "one", [month, actor])
    two = _bundle(tmp_path, "two", [actor, ["month", month[1][::-1]]])
    stabilise(one)
    stabilise(two)
    assert tree_hash(one) == tree_hash(two)
    entry = json.loads((one / "pagefind-entry.json").read_text())
    meta = read(one / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    assert [name for name, _ in meta[3]] == ["actor", "month"]
    assert meta[:3] == ["1.5.2", [["en_p", 12]], [["a", "z", "en_i"]]] and meta[4:] == [[], ["title"]]
    files = {name: read(one / "filter" / f"{file}.pf_filter") for name, file in meta[3]}
    assert files["month"] == ["month", sorted(month[1])]  # the same values and pages, sorted
    assert files["actor"] == ["actor", sorted(actor[1])]
    assert len(tree_hash(one)) == 4  # entry, metadata, two filters: the files Pagefind wrote are gone


def test_a_site_built_twice_is_byte_identical(seed_site, tmp_path):
    """Pagefind alone wrote its filter values in a different order each run."""
    again = copy_skeleton(tmp_path)
    res = build_in(again)
    assert res.exit_code == 0, res.output
    first, second = tree_hash(seed_site), tree_hash(again / "site")
    assert sorted(first) == sorted(second)
    assert [rel for rel in first if first[rel] != second[rel]] == []
    assert any("/filter/" in rel for rel in first)
