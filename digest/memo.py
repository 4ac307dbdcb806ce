"""Pages whose inputs have not changed since the last build are not rendered again.

docs/ already holds them: its manifest (docs/.generated) records, beside each generated page,
the key of the inputs it was rendered from. A page's key hashes what its template reads
(article ids with their file hashes, incident ids with their articles, page parts) and a salt
of the code and the templates, so a change anywhere in those re-renders it. At 10,000
articles this turns a one-article rebuild from rendering ~11,000 pages into a few dozen.
"""
from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

from .cache import files_fingerprint
from .ingest import entries

KEPT = object()  # a page value meaning "unchanged: keep the file docs/ has"
WRITTEN = object()  # "changed, and written into the stage already" (render_all with `out`)


class Pages(dict):
    """path -> Markdown text, write.Chunks, KEPT or WRITTEN; `memo_keys` holds the input key of each
    memoised page, `search_keys` a key of what the search index reads of a page, where that
    is less than the page shows (search.searchable)."""

    def __init__(self):
        super().__init__()
        self.memo_keys: dict[str, str] = {}
        self.search_keys: dict[str, str] = {}


class Memo:
    def __init__(self, templates: Path, previous: dict[str, str] | None = None, docs: Path | None = None):
        self.salt = files_fingerprint(template_files(templates))
        self._salted = hashlib.blake2b(self.salt.encode(), digest_size=12)  # each key: a copy, fed the inputs
        self.previous = previous or {}
        self.docs = docs and str(docs)  # os.path, not pathlib: 11,000 pages are checked per build
        self.present: set[str] | None = None  # the files docs/ holds, listed at the first hit

    def key(self, inputs) -> str:
        """A hash of `inputs` (plain values: str, int, bool, None, tuples and lists; no sets,
        whose order varies between processes). marshal's version 2, which has no references,
        writes equal values alike and is ~2x faster than repr (21,500 keys a build at 10,000
        articles: 0.108 -> 0.047 s); what it refuses (a str or tuple subclass) goes by repr. The
        salt is hashed once, not with every key (2.0-2.4 -> 1.6 us a key)."""
        try:
            data = b"m" + marshal.dumps(inputs, 2)
        except ValueError:
            data = b"r" + repr(inputs).encode()
        h = self._salted.copy()
        h.update(data)
        return h.hexdigest()

    def hit(self, path: str, key: str) -> bool:
        if self.docs is None or self.previous.get(path) != key:
            return False
        if self.present is None:
            self.present = files_under(self.docs)
        return is_file(self.present, self.docs, path)


def template_files(templates: Path) -> list[Path]:
    """Every file of the templates folder, in path order: what the memo's salt and the site's
    fingerprint hash (a partial or an image changes pages as a template does)."""
    return sorted(p for p in templates.rglob("*") if p.is_file())


def files_under(folder) -> set[str]:
    """The POSIX paths, relative to `folder`, of the files under it (generated pages are never
    hidden): one os.scandir a folder, where a stat a page (11,500 at 10,000 articles) took ~3.5x
    longer."""
    try:
        return {rel for rel, _ in entries(str(folder), suffixes=None)}
    except OSError:  # not there (yet), or gone meanwhile: each page is asked of the file system
        return set()


def is_file(present: set[str], folder, rel: str) -> bool:
    """Whether `folder`/`rel` is a file, `present` being files_under(folder): asked of the
    file system only for a path not listed (under a linked folder, which the listing skips)."""
    return rel in present or os.path.isfile(os.path.join(folder, rel))
