"""`digest add`: bring one article (file, standard input or URL) into seeds/ as a normalised .md file.

The written file is YAML front matter (title, source, url, published, added) and the article
text. `added` is the one place wall-clock time is used: it comes from `today()` or the
caller, and the build never reads it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import socket
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import click
import yaml
from slugify import slugify

from .analyse import article_id
from .clean import clean
from .errors import InputError
from .ingest import SUFFIXES, discover, parse, read

FETCH_TIMEOUT = 10.0  # seconds, for the whole download (not per read)
FETCH_LIMIT = 5_000_000  # bytes; reading stops beyond this and the URL is refused
NEAR_DUPLICATE = 0.5  # Jaccard similarity of word 5-gram shingles
SHINGLE = 5
SLUG_MAX = 60
USER_AGENT = "digest-add/0.1 (Python urllib)"
_WORD = re.compile(r"\w+")
_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{4})(?![\d-])")
_HTML_SNIFF = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body|<!--|<meta|<title|<div|<article|<p[\s>])", re.I)


class AddError(click.ClickException):
    """A source that cannot be added, as one line."""


class DuplicateError(AddError):
    def __init__(self, existing: str):
        super().__init__(f"exact duplicate of {existing}: the same text is already in the archive; nothing written")
        self.existing = existing


def today() -> dt.date:
    """The clock `add` uses for `added:` when none is given (tests and --added replace it)."""
    return dt.date.today()


# --- similarity, shared with `digest check` ------------------------------------------------

def body_key(text: str) -> str:
    """sha256 of the whitespace-collapsed body: two files with this equal hold the same text."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def cleaned_body(text: str) -> str:
    """The article paragraphs that `digest.clean` keeps (what the site shows)."""
    return "\n\n".join(clean(text).paragraphs)


def shingles(text: str, n: int = SHINGLE) -> frozenset[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return frozenset()
    if len(words) < n:
        return frozenset({tuple(words)})
    return frozenset(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similar_pairs(sets: dict[str, frozenset], threshold: float = NEAR_DUPLICATE) -> list[tuple[str, str, float]]:
    """Every pair of keys whose shingle sets have Jaccard >= threshold (inverted index, not all pairs)."""
    index: dict[tuple, list[str]] = {}
    for key, s in sets.items():
        for sh in s:
            index.setdefault(sh, []).append(key)
    shared: dict[tuple[str, str], int] = {}
    for keys in index.values():
        if len(keys) > 1:
            for i, a in enumerate(keys):
                for b in keys[i + 1:]:
                    pair = (a, b) if a < b else (b, a)
                    shared[pair] = shared.get(pair, 0) + 1
    out = []
    for (a, b), inter in shared.items():
        sim = inter / (len(sets[a]) + len(sets[b]) - inter)
        if sim >= threshold:
            out.append((a, b, sim))
    return sorted(out)


# --- what is already in seeds/ -------------------------------------------------------------

@dataclass
class SeedIndex:
    """The exact-text keys, shingles and page ids of the files already in a seeds folder."""
    seeds: Path
    exact: dict[str, str] = field(default_factory=dict)  # body_key -> rel
    shingles: dict[str, frozenset] = field(default_factory=dict)  # rel -> shingles of the cleaned body
    ids: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, seeds: Path) -> "SeedIndex":
        idx = cls(seeds)
        if not seeds.is_dir():
            return idx
        for rel, path in discover(seeds):
            idx.ids.add(article_id(rel))
            try:
                raw = read(Path(path), seeds)
            except InputError:
                continue  # `digest check` reports it; it cannot be a duplicate of anything
            idx.remember(rel, raw.text)
        return idx

    def remember(self, rel: str, body: str) -> None:
        self.exact.setdefault(body_key(body), rel)
        self.shingles[rel] = shingles(cleaned_body(body))
        self.ids.add(article_id(rel))

    def show(self, rel: str) -> str:
        return (self.seeds / rel).as_posix()

    def near(self, body: str, threshold: float = NEAR_DUPLICATE) -> list[tuple[str, float]]:
        mine = shingles(cleaned_body(body))
        hits = [(rel, jaccard(mine, theirs)) for rel, theirs in self.shingles.items()]
        return sorted(((r, s) for r, s in hits if s >= threshold), key=lambda h: (-h[1], h[0]))


# --- reading a source ----------------------------------------------------------------------

def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def fetch(url: str, timeout: float | None = None, limit: int | None = None) -> tuple[bytes, str]:
    """GET `url` -> (bytes, content type). Raises AddError with one line on any failure."""
    timeout = FETCH_TIMEOUT if timeout is None else timeout
    limit = FETCH_LIMIT if limit is None else limit
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9"})
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise AddError(f"{url}: page is {int(length):,} bytes, over the {limit:,}-byte limit; not added")
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError
                chunk = resp.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise AddError(f"{url}: page is over the {limit:,}-byte limit (stopped reading); not added")
                chunks.append(chunk)
            ctype = resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise AddError(f"{url}: HTTP {exc.code} {exc.reason}; not added") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise AddError(f"{url}: no answer within {timeout:g} s (timed out); not added") from None
        raise AddError(f"{url}: cannot fetch ({exc.reason}); not added") from None
    except (TimeoutError, socket.timeout):
        raise AddError(f"{url}: no complete answer within {timeout:g} s (timed out); not added") from None
    except (OSError, ValueError) as exc:  # connection reset, malformed URL, bad HTTP from the server
        raise AddError(f"{url}: cannot fetch ({type(exc).__name__}: {exc}); not added") from None
    return b"".join(chunks), ctype


def _kind_of(ctype: str, data: bytes, url: str) -> str:
    mime = ctype.split(";")[0].strip().lower()
    if mime in ("text/html", "application/xhtml+xml"):
        return "html"
    if mime in ("text/markdown", "text/x-markdown"):
        return "md"
    if mime == "text/plain":
        return "html" if _HTML_SNIFF.match(data[:512]) else "txt"
    if not mime:
        return "html" if _HTML_SNIFF.match(data[:512]) else "txt"
    raise AddError(f"{url}: content type {mime} is not an HTML or text page; not added")


def _charset(ctype: str) -> str | None:
    m = re.search(r"charset=[\"']?([\w.:-]+)", ctype, re.I)
    return m.group(1).lower() if m else None


def load(source: str, stdin: bytes | None = None) -> tuple[bytes, str, str | None]:
    """SOURCE -> (bytes, a file name whose suffix tells the kind, the URL if fetched)."""
    if source == "-":
        data = stdin or b""
        return data, "stdin.html" if _HTML_SNIFF.match(data[:512]) else "stdin.md", None
    if is_url(source):
        data, ctype = fetch(source)
        kind = _kind_of(ctype, data, source)
        charset = _charset(ctype)
        if charset and charset not in ("utf-8", "utf8"):
            try:
                data = data.decode(charset).encode("utf-8")
            except (LookupError, UnicodeDecodeError):
                pass  # ingest.decode falls back to UTF-8 / Windows-1252
        return data, f"fetched.{kind}", source
    path = Path(source)
    if path.suffix.lower() not in SUFFIXES:
        raise AddError(f"{source}: not a .txt, .md or .html file, '-' or an http(s) URL")
    try:
        return path.read_bytes(), path.name, None
    except FileNotFoundError:
        raise AddError(f"{source}: file not found") from None
    except OSError as exc:
        raise AddError(f"{source}: cannot read file ({exc.strerror})") from None


# --- normalising and writing ---------------------------------------------------------------

@dataclass(frozen=True)
class Normalised:
    meta: dict  # title, source, url, published (when known)
    body: str

    def text(self, added: dt.date) -> str:
        front = {k: self.meta[k] for k in ("title", "source", "url", "published") if self.meta.get(k)}
        front["added"] = added.isoformat()
        head = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=False)
        return f"---\n{head}---\n\n{self.body}\n"


def normalise(data: bytes, name: str, url: str | None = None) -> Normalised:
    """Bytes of a .txt/.md/.html source -> front matter values and the article text (via digest.ingest)."""
    try:
        raw = parse(data, name)  # HTML goes through ingest._from_html (trafilatura) there
    except InputError as exc:
        raise AddError(exc.reason) from None
    lines = [line.rstrip() for line in raw.text.strip().split("\n")]
    if raw.kind == "html":  # trafilatura gives one paragraph a line: a blank line between reads as Markdown
        body = "\n\n".join(line for line in lines if line.strip())
    else:
        body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    meta = {k: str(v).strip() for k, v in raw.meta.items() if k in ("title", "source", "url", "published") and v}
    c = clean(body)
    if not meta.get("title"):
        first = c.paragraphs[0] if c.paragraphs else body.strip().split("\n")[0]
        meta["title"] = c.title or " ".join(first.split()[:12])
    if url and not meta.get("url"):
        meta["url"] = url
    if not meta.get("source"):
        host = urllib.parse.urlsplit(meta.get("url", "")).hostname or ""
        source = c.source or host.removeprefix("www.")
        if source:
            meta["source"] = source
    return Normalised(meta, body)


def file_name(meta: dict, taken_names: set[str], taken_ids: set[str]) -> str:
    """`{published or 'undated'}_{slug of title}.md`, with -2, -3... only if the name or its page id is taken."""
    m = _ISO_DAY.match(meta.get("published") or "")
    stem = f"{m.group(1) if m else 'undated'}_{slugify(meta.get('title') or '', max_length=SLUG_MAX, word_boundary=True) or 'article'}"
    n = 1
    while True:
        name = f"{stem}.md" if n == 1 else f"{stem}-{n}.md"
        if name not in taken_names and article_id(name) not in taken_ids:
            return name
        n += 1


def write_atomic(path: Path, text: str) -> None:
    """Temp file in the same folder (hidden, so a build running meanwhile ignores it), then os.replace."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".add-", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes it private; a seed is an ordinary file
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@dataclass(frozen=True)
class Added:
    path: Path
    near: list[tuple[str, float]]  # (shown path of an existing seed, similarity), best first


def add(source: str, index: SeedIndex, added: dt.date | None = None, stdin: bytes | None = None) -> Added:
    """Add one SOURCE to index.seeds. Raises AddError (DuplicateError for an exact duplicate)."""
    data, name, url = load(source, stdin)
    doc = normalise(data, name, url)
    existing = index.exact.get(body_key(doc.body))
    if existing:
        raise DuplicateError(index.show(existing))
    near = [(index.show(rel), sim) for rel, sim in index.near(doc.body)]
    index.seeds.mkdir(parents=True, exist_ok=True)
    taken = {p.name for p in index.seeds.iterdir()}
    target = index.seeds / file_name(doc.meta, taken, index.ids)
    try:
        write_atomic(target, doc.text(added or today()))
    except OSError as exc:
        raise AddError(f"cannot write {target.as_posix()} ({exc.strerror or exc})") from None
    index.remember(target.name, doc.body)
    return Added(target, near)
