"""The one place that writes the generated pages: only changed files, stale ones removed.

Generated files are listed in docs/.generated so hand-written pages are never touched; each
line is a path, and for a memoised page a tab and the key of its inputs (digest/memo.py).
"""
from __future__ import annotations

import os
from pathlib import Path

from .memo import KEPT, WRITTEN, files_under, is_file

MANIFEST = ".generated"


class Chunks(list):
    """A page given as UTF-8 pieces (the data downloads: 124 MB at 10,000 articles), written
    and compared piece by piece instead of joined into one string first."""


def as_text(value) -> str:
    return b"".join(value).decode("utf-8") if isinstance(value, Chunks) else value


def generated(docs: Path) -> dict[str, str]:
    """The pages the last write put into `docs`, each with its memo key ("" if none)."""
    manifest = docs / MANIFEST
    lines = manifest.read_text(encoding="utf-8").split("\n") if manifest.exists() else []
    return dict((line.split("\t", 1) + [""])[:2] for line in lines if line)


def put(rel: str, value, base: Path, out: Path) -> bool:
    """Write one page (text or Chunks) into `out`, the build's private stage, unless `base`
    holds these bytes already; True if written. A file already in `out` is replaced through a
    new file: it may be a hard link to the live one (a staged copy), which keeps the old
    text. Forked renderers call it too (render.py), so it writes nothing else."""
    return _put(rel, value, base, out, _create)


def _put(rel: str, value, base: Path, out: Path, write) -> bool:
    data = value if isinstance(value, Chunks) else [value.encode("utf-8")]
    if _holds(base / rel, data):
        return False
    write(out / rel, data)
    return True


def write_pages(pages: dict, docs: Path, staged: Path | None = None) -> dict:
    """`pages`: path -> text, Chunks, KEPT (docs/ holds it already: memo.Pages) or WRITTEN
    (written into `staged` by the renderers: moved into docs, not written again). Stale
    generated pages are removed and the manifest rewritten. Returns the counts."""
    docs.mkdir(parents=True, exist_ok=True)
    manifest = docs / MANIFEST
    old = generated(docs)  # read again (~5 ms at 10,000 pages): docs/ as it is at the commit
    stats = {"written": 0, "unchanged": 0, "removed": 0}
    present = files_under(docs)  # most of 11,000 pages are KEPT: checked against one listing
    moved = _move_new_folders(pages, docs, staged) if staged else set()
    for rel in sorted(pages):
        value = pages[rel]
        if value is KEPT:
            if not is_file(present, docs, rel):
                raise RuntimeError(f"{docs / rel}: removed during the build; build again")
        elif value is WRITTEN:
            if rel.partition("/")[0] not in moved:
                (docs / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged / rel, docs / rel)
        elif _put(rel, value, docs, docs, _replace):  # docs/ has readers: never a half-written page
            value = WRITTEN
        stats["written" if value is WRITTEN else "unchanged"] += 1
    for rel in sorted(set(old) - set(pages)):
        path = docs / rel
        if path.is_file():
            path.unlink()
            stats["removed"] += 1
            prune_empty(path.parent, docs)
    keys = getattr(pages, "memo_keys", {})
    atomic_text(manifest, "".join(f"{rel}\t{keys[rel]}\n" if rel in keys else f"{rel}\n" for rel in sorted(pages)))
    return stats


def _move_new_folders(pages: dict, docs: Path, staged: Path) -> set[str]:
    """The top folders of WRITTEN pages that `docs` does not have yet, each moved into it
    whole: in the stage such a folder holds only pages this build wrote. A first build at
    10,000 articles moves 11,000 pages; one rename each took ~0.3 s."""
    tops = {rel.partition("/")[0] for rel, value in pages.items() if value is WRITTEN and "/" in rel}
    moved = set()
    for top in sorted(tops):
        if not os.path.lexists(docs / top) and (staged / top).is_dir():
            os.replace(staged / top, docs / top)
            moved.add(top)
    return moved


def _holds(path: Path, data: list[bytes]) -> bool:
    """Whether the file holds exactly these bytes (read piece by piece, not all at once)."""
    try:
        if path.stat().st_size != sum(map(len, data)):
            return False
        with open(path, "rb") as fh:
            return all(fh.read(len(piece)) == piece for piece in data)
    except OSError:
        return False


def prune_empty(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents up to `root` while they are empty."""
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def atomic_text(path: Path, text: str) -> None:
    """Write through a new file: readers never see half of it, and a hard link to the old
    file (a staged copy of the live site) keeps the old text."""
    _replace(path, [text.encode("utf-8")])


def _create(path: Path, data: list[bytes]) -> None:
    """A page into the private stage. One that is not there yet is written in place: no
    reader, no link to the live site, and no temporary file to rename (the renderers create
    ~11,000 pages at 10,000 articles). One that is there (maybe a hard link to the live
    file: open "x" never follows or truncates it) is replaced through a new file."""
    try:
        fh = open(path, "xb")
    except FileNotFoundError:  # its folder is new
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(path, "xb")
    except FileExistsError:
        return _replace(path, data)
    try:
        with fh:
            _write(fh, data)
    except BaseException:
        path.unlink(missing_ok=True)  # no half-written page under its own name
        raise


def _replace(path: Path, data: list[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        _write(fh, data)
    os.replace(tmp, path)


RESERVE_FROM = 1 << 20  # bytes: the data downloads (120 MB at 10,000 articles), not the pages


def _write(fh, data: list[bytes]) -> None:
    """Write the pieces into a new file, a big one's blocks reserved first. ext4 (its default
    auto_da_alloc) allocates a file's delayed blocks when it is renamed over another, in the
    rename itself: for the JSON download at 10,000 articles, 0.13 s of every build's commit,
    0.02 s with the blocks reserved as it is written (and the writing no slower)."""
    size = sum(map(len, data))
    if size >= RESERVE_FROM and hasattr(os, "posix_fallocate"):
        try:
            os.posix_fallocate(fh.fileno(), 0, size)
        except OSError:  # a file system that cannot: written as it is
            pass
    fh.writelines(data)
