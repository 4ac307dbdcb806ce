"""Per-article results on disk, keyed by everything that changes them.

One SQLite file: a key is the hash of (code + data files + file path + file bytes), so a
new version of the code or the registries simply misses. A corrupt file is deleted and
rebuilt, never trusted. An article's HEAVY values (its text, its export records) are kept in
a table of their own, read only when a page or a download shows them (see model.HEAVY).

Beside the entries, each seed file's key is remembered with its stat signature (size, times,
inode): a file whose signature is unchanged is not read and hashed again (at 10,000 files,
~0.35 s of every build). Git's index does the same, and guards the same race: a file changed
within a clock tick of being read could keep its signature, so a signature that recent is
not remembered (see `signature`).
"""
from __future__ import annotations

import collections
import functools
import hashlib
import itertools
import os
import pickle
import sqlite3
import time
from pathlib import Path

from . import __version__, snapshot
from .lexicon import DATA
from .model import HEAVY, Article

PACKAGE = Path(__file__).parent
COLUMNS = [name.strip("_") for name in HEAVY]  # of the heavy table, in HEAVY's order


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the package's code and data: any change invalidates every entry."""
    h = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yml", ".json") and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    h.update(str(DATA).encode())
    return h.hexdigest()


def files_fingerprint(paths: list[Path]) -> str:
    """The code's fingerprint and these files' paths and bytes, as one hash."""
    h = hashlib.sha256(code_fingerprint().encode())
    for path in paths:
        h.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def pack(value) -> tuple[bytes, tuple | None]:
    """An entry as stored: its pickle and, for an article, its HEAVY values apart, each
    pickled (None: not held), so that a build can load the rest alone (get_many). Not
    compressed: zlib (level 1) made the cache 4x smaller but cost 0.65 s of every warm build
    at 10,000 articles, to decompress it."""
    if not isinstance(value, Article):
        return pickle.dumps(value, protocol=5), None
    state = value.__dict__
    heavy = {name: state.pop(name) for name in HEAVY if name in state}
    try:
        blob = pickle.dumps(value, protocol=5)
    finally:
        state.update(heavy)
    return blob, tuple(pickle.dumps(heavy[name], protocol=5) if name in heavy else None for name in HEAVY)


def unpack(packed: tuple[bytes, tuple | None]):
    """The whole value that pack() stored."""
    blob, heavy = packed
    value = pickle.loads(blob)
    if heavy:
        value.__dict__.update((name, pickle.loads(v)) for name, v in zip(HEAVY, heavy) if v is not None)
    return value


def key(rel: str, data: bytes) -> str:
    return hashlib.sha256(f"{code_fingerprint()}\0{rel}\0".encode() + data).hexdigest()


RACY_NS = 2_000_000_000  # a file changed this recently is read again next time


def signature(path) -> str | None:
    """What tells a file changed without reading it, with the code's fingerprint (a key holds
    it). None when the file changed too recently for its signature to be trusted: a change in
    the same clock tick keeps the times (ext4 ticks every few ms), and, same size, the rest."""
    st = os.stat(path)
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
        return None
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino} {code_fingerprint()}"


class Cache:
    def __init__(self, path: Path | None):
        self.path = path
        self.db = self._open() if path else None
        self.snapshot = path.with_suffix(".snapshot") if path else None  # see snapshot.py
        self.from_snapshot: set[str] = set()  # the keys get_many took from it
        self.snapshot_entries = 0

    def _open(self) -> sqlite3.Connection | None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(2):
            try:
                db = sqlite3.connect(self.path)
                # A new file gets 64 KB pages: an entry's text and export (~17 KB) then fill one
                # page, not a chain of 4 KB overflow pages. At 10,000 articles, storing them took
                # ~0.3 s of CPU instead of ~0.55 (keys in arrival order), and reading them half as long.
                db.execute("PRAGMA page_size = 65536")
                db.execute("CREATE TABLE IF NOT EXISTS article (key TEXT PRIMARY KEY, blob BLOB)")
                db.execute(f"CREATE TABLE IF NOT EXISTS heavy (key TEXT PRIMARY KEY, {', '.join(f'{c} BLOB' for c in COLUMNS)})")
                db.execute("CREATE TABLE IF NOT EXISTS seen (rel TEXT PRIMARY KEY, signature TEXT, key TEXT)")
                db.execute("SELECT count(*) FROM article").fetchone()
                return db
            except sqlite3.DatabaseError:
                self.path.unlink(missing_ok=True)  # corrupt: start again
        return None

    def stored(self, keys: list[str]) -> set[str]:
        """Which of `keys` have an entry (none is read)."""
        return {k for (k,) in _select(self.db, "article", "key", keys)}

    def get_many(self, keys: list[str]) -> dict:
        """The entries of `keys` there are; an article without its HEAVY values, which it
        reads from this file on first use (see hydrate). Many are read from the snapshot."""
        if not self.db:
            return {}
        found = {}
        if len(keys) >= snapshot.SNAPSHOT_FROM:
            found, self.snapshot_entries = snapshot.load(self.snapshot, code_fingerprint(), set(keys))
            self.from_snapshot = set(found)
        rest = [k for k in keys if k not in found] if found else keys
        for k, blob in _select(self.db, "article", "key, blob", rest):
            try:
                found[k] = pickle.loads(blob)
            except Exception:  # unreadable entry: a miss
                continue
        where = str(self.path.resolve())
        for k, value in found.items():
            if isinstance(value, Article):
                value.__dict__["_stored"] = (where, k)
        return found

    def update(self, new, keep: list[str]) -> None:
        """Store the `new` (key, packed entry) pairs, an iterable consumed whole even without
        a cache file, and forget every entry not in `keep` (deleted files). Stored a few at a
        time as they come: the packed entries of a whole archive are never held at once."""
        if not self.db:
            collections.deque(new, maxlen=0)
            return
        new = iter(new)
        with self.db:
            while batch := list(itertools.islice(new, 64)):
                self.db.executemany("INSERT OR REPLACE INTO article (key, blob) VALUES (?, ?)",
                                    [(k, blob) for k, (blob, _) in batch])
                self.db.executemany(f"INSERT OR REPLACE INTO heavy VALUES (?{', ?' * len(COLUMNS)})",
                                    [(k, *heavy) for k, (_, heavy) in batch if heavy])
            keep = set(keep)  # the keys read back and compared here: a temporary table of them was ~3x slower
            gone = [(k,) for (k,) in self.db.execute("SELECT key FROM article") if k not in keep]
            for table in ("article", "heavy"):
                self.db.executemany(f"DELETE FROM {table} WHERE key = ?", gone)

    def seen(self) -> dict[str, tuple[str, str]]:
        """rel -> (signature, key) of each seed file as the last build read it."""
        return {rel: (sig, k) for rel, sig, k in self.db.execute("SELECT rel, signature, key FROM seen")} if self.db else {}

    def remember(self, now: dict[str, tuple[str, str]], before: dict[str, tuple[str, str]]) -> None:
        """Store `now` (as `seen` returns it) over `before`, writing only what differs."""
        if self.db:
            with self.db:
                self.db.executemany("DELETE FROM seen WHERE rel = ?", [(rel,) for rel in before.keys() - now.keys()])
                self.db.executemany("INSERT OR REPLACE INTO seen VALUES (?, ?, ?)",
                                    [(rel, *v) for rel, v in now.items() if before.get(rel) != v])

    def close(self) -> None:
        if self.db:
            self.db.close()


def _select(db: sqlite3.Connection | None, table: str, columns: str, keys: list[str]):
    """The rows of `keys` (`columns` start with the key), in no set order. When they are
    most of the table, it is read whole and filtered here: at 10,000 articles, ~30 % faster
    than looking each key up (0.14 -> 0.10 s, median of 3)."""
    if db and 2 * len(keys) >= db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]:
        wanted = set(keys)
        yield from (row for row in db.execute(f"SELECT {columns} FROM {table}") if row[0] in wanted)
        return
    for i in range(0, len(keys) if db else 0, 500):
        chunk = keys[i:i + 500]
        yield from db.execute(f"SELECT {columns} FROM {table} WHERE key IN ({','.join('?' * len(chunk))})", chunk)


def hydrate(articles, names=HEAVY) -> None:
    """Read the HEAVY values `names` of the cached articles that do not hold them yet, with
    one query a cache file (an article page, the downloads). An entry gone from the cache
    since the build loaded the article (another build, the cache removed) fails the build."""
    wanted: dict[str, dict] = {}
    for a in articles:
        stored = a.__dict__.get("_stored")
        if stored and not all(name in a.__dict__ for name in names):
            wanted.setdefault(stored[0], {})[stored[1]] = a
    columns = ", ".join(COLUMNS[HEAVY.index(name)] for name in names)
    for path, by_key in sorted(wanted.items()):
        try:
            db = sqlite3.connect(Path(path).as_uri() + "?mode=ro", uri=True)  # never made anew
            try:
                for key, *values in _select(db, "heavy", f"key, {columns}", list(by_key)):
                    state = by_key.pop(key).__dict__
                    for name, v in zip(names, values):
                        if v is not None and name not in state:
                            state[name] = pickle.loads(v)
            finally:
                db.close()
        except sqlite3.Error as exc:
            raise RuntimeError(f"{path}: cannot read the cache ({exc}); build again") from None
        if by_key:
            lost = min(a.file for a in by_key.values())
            raise RuntimeError(f"{lost}: its entry left the cache during the build; build again")
