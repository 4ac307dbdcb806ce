"""Pages whose inputs have not changed since the last build are not rendered again.

docs/ already holds them: its manifest (docs/.generated) records, beside each generated page,
the key of the inputs it was rendered from. A page's key hashes what its template reads
(article ids with their file hashes, incident ids with their articles, page parts) and a salt
of the code and the templates, so a change anywhere in those re-renders it. At 10,000
articles this turns a one-article rebuild from rendering ~11,000 pages into a few dozen.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .cache import files_fingerprint

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
        self.salt = files_fingerprint(sorted(p for p in templates.rglob("*") if p.is_file()))
        self.previous = previous or {}
        self.docs = docs and str(docs)  # os.path, not pathlib: 11,000 pages are checked per build

    def key(self, inputs) -> str:
        return hashlib.blake2b(repr((self.salt, inputs)).encode(), digest_size=12).hexdigest()

    def hit(self, path: str, key: str) -> bool:
        return self.docs is not None and self.previous.get(path) == key and os.path.isfile(os.path.join(self.docs, path))
