"""Pagefind's bundles made byte-identical from run to run, for the same pages.

Pagefind writes each filter's values, and the list of filters, in hash-map order, which
changes from run to run: its maintainer made the fragments stable in 1.3, and said that the
filter and metadata indexes still change (Pagefind issue #638). So two builds of the same
site differed in their filter files, metadata file and entry hash. This rewrites those
files with the filters and their values sorted by name, and names them by their new bytes:
the same data, in an order that depends on the pages alone.

Hand-written: the files are CBOR (RFC 8949) after a 12-byte marker, gzipped, and hold only
unsigned integers, text strings and arrays, so the few lines below read and write them
(anything else raises ValueError); a CBOR library would be a dependency for this alone. The
layout read is Pagefind 1.5's, which pyproject.toml pins: [version, pages, index chunks,
filters [[name, file]], sorts, meta fields] in the metadata file, [name, [[value, pages]]]
in a filter file. tests/test_pagefind_order.py builds the site twice and compares every byte.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

MARKER = b"pagefind_dcd"
FILTERS = 3  # the filters' place in the metadata file's array


def stabilise(bundle: Path) -> None:
    """Rewrite `bundle`'s filter and metadata files (and its entry) in sorted order."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for lang, info in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read(meta_path)
        meta[FILTERS] = sorted(_sorted_filter(bundle / "filter", lang, name, file) for name, file in meta[FILTERS])
        info["hash"] = _rewrite(meta_path, meta, bundle / "pagefind.{}.pf_meta", lang, 10)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _sorted_filter(folder: Path, lang: str, name: str, file: str) -> list[str]:
    path = folder / f"{file}.pf_filter"
    data = read(path)
    data[1] = sorted(data[1], key=lambda value_pages: value_pages[0])
    return [name, _rewrite(path, data, folder / "{}.pf_filter", lang, 7)]


def _rewrite(path: Path, value, pattern: Path, lang: str, digits: int) -> str:
    """Write `value` to a file named after a hash of its bytes (as Pagefind names its files, by
    its own hash); remove `path` if that is another name. The new name."""
    data = gzip.compress(MARKER + encode(value), compresslevel=9, mtime=0)
    name = f"{lang}_{hashlib.sha256(data).hexdigest()[:digits]}"
    new = Path(str(pattern).format(name))
    new.write_bytes(data)
    if new != path:
        path.unlink()
    return name


def read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MARKER):
        raise ValueError(f"{path.name}: not a Pagefind data file")
    value, end = decode(data, len(MARKER))
    if end != len(data):
        raise ValueError(f"{path.name}: {len(data) - end} bytes after the data")
    return value


def decode(data: bytes, at: int = 0):
    """(value, offset after it) of the CBOR item at `at`."""
    major, n, at = _head(data, at)
    if major == 0:
        return n, at
    if major == 3:
        return data[at:at + n].decode("utf-8"), at + n
    if major == 4:
        items = []
        for _ in range(n):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {major} at byte {at}: not in Pagefind's files")


def _head(data: bytes, at: int) -> tuple[int, int, int]:
    first = data[at]
    major, info, at = first >> 5, first & 31, at + 1
    if info < 24:
        return major, info, at
    if info > 27:
        raise ValueError(f"CBOR length code {info} at byte {at - 1}: not in Pagefind's files")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[at:at + size], "big"), at + size


def encode(value) -> bytes:
    """CBOR of `value` (int >= 0, str, list), with the shortest heads, as Pagefind writes."""
    if isinstance(value, bool) or not isinstance(value, (int, str, list)) or (isinstance(value, int) and value < 0):
        raise ValueError(f"cannot write {type(value).__name__} {value!r}")
    if isinstance(value, int):
        return _encode_head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _encode_head(3, len(raw)) + raw
    return _encode_head(4, len(value)) + b"".join(map(encode, value))


def _encode_head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError(f"{n} does not fit CBOR's 8-byte length")
