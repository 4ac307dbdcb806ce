"""Read seed files: bytes -> text + front matter (or trafilatura for HTML)."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import yaml

from .errors import InputError
from .model import RawArticle

SUFFIXES = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html"}
FRONT_KEYS = {"title": str, "source": str, "url": str, "published": str, "added": str}
MAX_BYTES = 5_000_000  # bigger inputs are truncated (with a warning), not fatal
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def discover(seeds: Path) -> list[Path]:
    """Every readable article under `seeds`, in a stable order."""
    if not seeds.is_dir():
        raise InputError(str(seeds), "seeds folder not found")
    found = [p for p in seeds.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
             and not any(part.startswith(".") for part in p.relative_to(seeds).parts)]
    return sorted(found, key=lambda p: p.relative_to(seeds).as_posix())


def read(path: Path, seeds: Path) -> RawArticle:
    rel = path.relative_to(seeds).as_posix()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(rel, f"cannot read file ({exc.strerror})") from None
    return parse(data, rel)


def parse(data: bytes, rel: str) -> RawArticle:
    """Turn a file's bytes into a RawArticle; raise InputError for unusable input."""
    warnings: list[str] = []
    sha = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_BYTES:
        warnings.append(f"file is {len(data):,} bytes: only the first {MAX_BYTES:,} were read")
        data = data[:MAX_BYTES]
    text = decode(data, rel)
    kind = SUFFIXES.get(Path(rel).suffix.lower(), "txt")
    if not text.strip():
        raise InputError(rel, "file is empty")
    if kind == "html":
        text, meta = _from_html(text, rel)
    else:
        text, meta = split_front_matter(text, rel, warnings)
    if not text.strip():
        raise InputError(rel, "no article text")
    return RawArticle(rel, text, meta, sha, kind, tuple(warnings))


def decode(data: bytes, rel: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data[:4096]:
            raise InputError(rel, "binary data (NUL bytes), not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if len(_CONTROL.findall(text[:4096])) > 8:
        raise InputError(rel, "binary data (control characters), not text")
    text = _CONTROL.sub("", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, rel: str, warnings: list[str]) -> tuple[str, dict]:
    m = _FRONT.match(text)
    if not m:
        return text, {}
    try:
        meta = yaml.safe_load(m.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise InputError(rel, f"front matter is not valid YAML{where}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError(rel, "front matter is not a mapping of keys to values")
    return text[m.end():], _check_front(meta, warnings)


def _check_front(meta: dict, warnings: list[str]) -> dict:
    clean = {}
    for key, value in meta.items():
        key = str(key)
        if key not in FRONT_KEYS:
            warnings.append(f"front matter key '{key}' is unknown and was ignored")
        elif isinstance(value, (dt.date, dt.datetime)):
            clean[key] = value.isoformat()
        elif isinstance(value, str) and value.strip():
            clean[key] = value.strip()
        elif value is not None:
            warnings.append(f"front matter '{key}' should be text, not {type(value).__name__}; ignored")
    return clean


def _from_html(html: str, rel: str) -> tuple[str, dict]:
    import trafilatura  # imported here: plain-text archives never pay for it

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not (doc.text or "").strip():
        raise InputError(rel, "HTML page has no main text that trafilatura could find")
    meta = {k: v for k, v in (("title", doc.title), ("source", doc.sitename),
                              ("url", doc.url), ("published", doc.date)) if v}
    return doc.text, meta
