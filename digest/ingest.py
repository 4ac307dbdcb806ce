"""Read seed files: bytes -> text + front matter (or trafilatura for HTML).

Every way a file can be unusable ends in one InputError naming the file and the reason;
everything that can be repaired is repaired and noted in RawArticle.warnings:

- encodings: UTF-8 (BOM or not), UTF-16/32 with a BOM, else Windows-1252 when the file has
  no UTF-8 sequence at all; a UTF-8 file with broken bytes is an error naming the offset;
- mojibake: UTF-8 that was once read as Windows-1252 ("Kataâ€™ib") is put back (_MOJIBAKE);
- size: only the first MAX_BYTES are read, cut at a character (and preferably line) boundary;
- front matter: invalid YAML is an error; wrong types, unknown keys and non-http(s) URLs
  are dropped with a warning; text values lose control characters and line breaks.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .errors import InputError
from .model import RawArticle

SUFFIXES = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html"}
FRONT_KEYS = {"title": str, "source": str, "url": str, "published": str, "added": str}
MAX_BYTES = 1_000_000  # ~150,000 words, far beyond any article; bigger inputs are truncated, not fatal
MAX_FRONT = 64_000  # characters of front matter YAML, comments aside (PyYAML parses ~100 kB/s)
MAX_VALUE = 1_000  # characters of one front matter value
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)??(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_C0 = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # control characters, not \t \n \f \r
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f]")  # and C1 controls (not NEL)
_YAML_COMMENT = re.compile(r"^[ \t]*#.*\n?", re.M)
_LINE_BREAKS = re.compile(r"\r\n?|[\x0c\x85\u2028\u2029]")
_BREAK_CHARS = "\r\x0c\x85\u2028\u2029"  # every _LINE_BREAKS match holds one
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
                       rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
                       rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"


def discover(seeds: Path) -> list[tuple[str, str]]:
    """Every readable article under `seeds` as (POSIX path relative to `seeds`, os path), in a
    stable order. Paths as str: 10,000 Path objects cost ~0.05 s of every build.

    Symbolic links that lead out of `seeds` are not followed: a seed folder from elsewhere
    must not be able to publish a local file (seeds/x.txt -> /etc/passwd)."""
    if not seeds.is_dir():
        raise InputError(str(seeds), "seeds folder not found")
    root = seeds.resolve()
    found = [(rel, entry.path) for rel, entry in entries(str(seeds))
             if not entry.is_symlink() or Path(entry.path).resolve().is_relative_to(root)]
    return sorted(found)


def entries(folder: str, prefix: str = "", suffixes=SUFFIXES):
    """(POSIX path relative to the top, DirEntry) of each file whose suffix is in `suffixes`
    (None: every file), hidden ones skipped and linked folders not entered. os.scandir, not
    Path.rglob: 10,000 files in ~0.05 s, not 0.36 s."""
    with os.scandir(folder) as it:
        for entry in it:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                yield from entries(entry.path, f"{prefix}{entry.name}/", suffixes)
            elif entry.is_file() and (suffixes is None or os.path.splitext(entry.name)[1].lower() in suffixes):
                yield f"{prefix}{entry.name}", entry


def read(path: Path, seeds: Path) -> RawArticle:
    rel = path.relative_to(seeds).as_posix()
    sha, head, size = hashlib.sha256(), b"", 0
    try:
        with path.open("rb") as f:  # memory stays bounded: only the first MAX_BYTES are kept
            while chunk := f.read(1 << 20):
                sha.update(chunk)
                if len(head) <= MAX_BYTES:
                    head += chunk[:MAX_BYTES + 1 - len(head)]
                size += len(chunk)
    except OSError as exc:
        raise InputError(rel, f"cannot read file ({exc.strerror})") from None
    return parse(head, rel, size=size, sha256=sha.hexdigest())


def parse(data: bytes, rel: str, *, size: int | None = None, sha256: str | None = None) -> RawArticle:
    """Turn a file's bytes into a RawArticle; raise InputError for unusable input.

    When `data` is only the start of a bigger file (see read), `size` and `sha256` describe
    the whole file."""
    warnings: list[str] = []
    sha = sha256 or hashlib.sha256(data).hexdigest()
    size = max(size or 0, len(data))
    if size > MAX_BYTES:
        warnings.append(f"file is {size:,} bytes: only the first {MAX_BYTES:,} were read")
    text = decode(data, rel, warnings)
    kind = SUFFIXES.get(Path(rel).suffix.lower(), "txt")
    if not text.strip():
        raise InputError(rel, "file is empty")
    if kind == "html":
        text, meta = _from_html(text, rel, warnings)
    else:
        text, meta = split_front_matter(text, rel, warnings)
        if kind == "md":
            text = _strip_comments(text)
    if not text.strip():
        raise InputError(rel, "no article text")
    return RawArticle(rel, text, meta, sha, kind, tuple(warnings))


def decode(data: bytes, rel: str, warnings: list[str] | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16/32 with BOM, else Windows-1252; repairs mojibake.

    Only the first MAX_BYTES are decoded, cut where no character is split."""
    notes = [] if warnings is None else warnings
    truncated = len(data) > MAX_BYTES
    codec = next((c for bom, c in _BOMS if data.startswith(bom)), None)
    if codec:
        width = 4 if "32" in codec else 2
        data = data[:MAX_BYTES - MAX_BYTES % width]
        text = data[width:].decode(codec, errors="replace")
        if truncated:
            text = text.rstrip("\ufffd")
    else:
        if (at := data.find(b"\x00", 0, MAX_BYTES)) != -1:
            raise InputError(rel, f"binary data (NUL byte at offset {at:,}), not text")
        if truncated:
            cut = MAX_BYTES
            while cut > MAX_BYTES - 4 and 0x80 <= data[cut] < 0xC0:  # never split a UTF-8 character
                cut -= 1
            data = data[:cut]
        text = _decode_8bit(data, rel, notes)
    if len(_C0.findall(text[:4096])) > 8:
        raise InputError(rel, "binary data (control characters), not text")
    if any(c in text for c in _BREAK_CHARS):  # a search of the whole text costs more than five `in`s
        text = _LINE_BREAKS.sub("\n", text)
    text, fixed = fix_mojibake(text)
    if fixed:
        notes.append(f"repaired {fixed} mojibake sequence(s) (UTF-8 that was read as Windows-1252)")
    text = _CONTROL.sub("", text).replace("\ufeff", "")
    if truncated:  # end at a line, or at least not mid-word
        tail = text[-2000:]
        if "\n" in tail:
            text = text[:text.rindex("\n") + 1]
        elif (space := max(tail.rfind(" "), tail.rfind("\t"))) != -1:
            text = text[:len(text) - len(tail) + space]
    return text


def _decode_8bit(data: bytes, rel: str, notes: list[str]) -> str:
    """UTF-8, or a legacy 8-bit file (Windows-1252, a superset of Latin-1's letters)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first = exc.start
    if first >= len(data) - 3 and 0xC2 <= data[first] <= 0xF4:
        try:  # the file stops inside its last character (a cut-off download): drop that character
            text = data[:first].decode("utf-8-sig")
            notes.append("file ends in the middle of a UTF-8 character: the partial character was dropped")
            return text
        except UnicodeDecodeError:
            pass
    valid = len(_UTF8_SEQ.findall(data))
    invalid = data.decode("utf-8", errors="replace").count("\ufffd") - data.count("\ufffd".encode())
    if valid > invalid:  # mostly UTF-8: guessing would garble either the UTF-8 or the rest
        raise InputError(rel, f"invalid UTF-8: {invalid:,} undecodable byte(s), the first (0x{data[first]:02x}) "
                              f"at offset {first:,}; save the file as UTF-8")
    notes.append("not UTF-8: read as Windows-1252")
    if any(b in _CP1252_UNDEFINED for b in set(data)):
        notes.append("bytes that Windows-1252 does not define were replaced by \ufffd")
    return data.decode("cp1252", errors="replace")


# --- mojibake: UTF-8 bytes once decoded as Windows-1252 -------------------------------------
# Targeted, not general (ftfy): only the sequences scraped news text shows in practice, each
# replaced only when the Windows-1252 bytes it stands for decode as UTF-8:
#   "â€" + one char       -> U+2000-U+203F punctuation: ’ ‘ “ ” – — … • (bytes E2 80 xx)
#   "â‚¬", "â„¢"           -> € ™
#   "Â" "Ã" + one char    -> U+0080-U+00FF: no-break space, « » ° £ é ü ñ ç (bytes C2/C3 xx)
#   "â€" alone            -> ” (E2 80 9D: 0x9D is undefined in Windows-1252, so it was lost)
# Why these: the second characters are Windows-1252's 0x80-0xBF (punctuation and symbols), so
# real text practically never has "â€", "Ã©" or "Â°"; valid Arabic, accented or typographic
# text is never touched. (Ä/Å + symbol, i.e. ł š ž, are left out: "PÅ”" is real Swedish.)
_TO_BYTE = {}
for _b in range(0x80, 0x100):
    try:
        _TO_BYTE[bytes([_b]).decode("cp1252")] = _b
    except UnicodeDecodeError:
        _TO_BYTE[chr(_b)] = _b  # 0x81 0x8D 0x8F 0x90 0x9D: kept as C1 characters by lenient decoders
_CONT = "[" + re.escape("".join(c for c, b in _TO_BYTE.items() if b < 0xC0)) + "]"
_MOJIBAKE = re.compile(f"â€{_CONT}|â‚¬|â„¢|[ÂÃ]{_CONT}|â€")


def _unmangle(m: re.Match) -> str:
    s = m.group(0)
    if s == "â€":
        return "\u201d"
    try:
        return bytes(_TO_BYTE[c] for c in s).decode("utf-8")
    except (UnicodeDecodeError, KeyError):
        return s


def fix_mojibake(text: str) -> tuple[str, int]:
    """Repair the common UTF-8-read-as-Windows-1252 sequences; returns (text, repairs made).

    Up to three passes, for text that went through the mistake twice ("Ã¢â‚¬â„¢" -> "’")."""
    total = 0
    for _ in range(3):
        if "â" not in text and "Â" not in text and "Ã" not in text:
            break
        count = 0

        def sub(m: re.Match) -> str:
            nonlocal count
            out = _unmangle(m)
            count += out != m.group(0)
            return out

        text = _MOJIBAKE.sub(sub, text)
        total += count
        if not count:
            break
    return text, total


# --- front matter ---------------------------------------------------------------------------

def split_front_matter(text: str, rel: str, warnings: list[str]) -> tuple[str, dict]:
    m = _FRONT.match(text) if text.startswith("---") else None
    if not m:
        return text, {}
    block = m.group(1) or ""
    if len(_YAML_COMMENT.sub("", block)) > MAX_FRONT:
        raise InputError(rel, f"front matter is too long ({len(block):,} characters; at most {MAX_FRONT:,} "
                              "not counting comments)")
    try:
        meta = _load_yaml(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)  # where it began
        where = f" (line {mark.line + 2})" if mark else ""
        problem = getattr(exc, "problem", None)
        raise InputError(rel, f"front matter is not valid YAML{where}"
                              f"{': ' + _one_line(problem) if problem else ''}") from None
    except Exception as exc:  # PyYAML's constructors raise plain errors too: `published: 2021-02-30`
        what = "nested too deeply" if isinstance(exc, RecursionError) else \
            f"{_one_line(exc)}" if isinstance(exc, ValueError) else f"{type(exc).__name__}: {_one_line(exc)}"
        raise InputError(rel, f"front matter is not valid YAML ({what})") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError(rel, "front matter is not a mapping of keys to values")
    return text[m.end():], _check_front(meta, warnings)


# libyaml (yaml.CSafeLoader) parses front matter ~10x faster than PyYAML's own parser, but its
# composer recurses in C: collections nested ~30,000 deep ("[[[[...", "- - - ...") crash the
# interpreter, and the length limit lets that many through. Below this many characters that can
# open a collection, the nesting cannot come near that.
FAST_YAML_BELOW = 1_000
_NESTING = re.compile(r"[\[{\-?:]")


def _load_yaml(block: str):
    """The front matter's YAML, by libyaml when it is safe to; PyYAML's own parser otherwise,
    and for any error, so that messages name the line and the problem as it words them."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None and len(_NESTING.findall(block)) < FAST_YAML_BELOW:
        try:
            return yaml.load(block, Loader=fast)
        except Exception:
            pass
    return yaml.safe_load(block)


def _one_line(value, limit: int = 80) -> str:
    text = " ".join(_CONTROL.sub("", str(value)).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _check_front(meta: dict, warnings: list[str]) -> dict:
    clean = {}
    for key, value in meta.items():
        key = _one_line(key, 40)
        if key not in FRONT_KEYS:
            warnings.append(f"front matter key '{key}' is unknown and was ignored")
            continue
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif not isinstance(value, str):
            if value is not None:
                warnings.append(f"front matter '{key}' should be text, not {type(value).__name__}; ignored")
            continue
        value = " ".join(_CONTROL.sub("", value).split())
        if not value:
            continue
        if len(value) > MAX_VALUE:
            warnings.append(f"front matter '{key}' is {len(value):,} characters long: cut to {MAX_VALUE:,}")
            value = value[:MAX_VALUE]
        if key == "url" and not is_web_url(value):
            warnings.append(f"front matter 'url' is not an http(s) address; ignored: {_one_line(value, 60)}")
            continue
        clean[key] = value
    return clean


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host, and nothing a link could be broken out with."""
    if any(c.isspace() or c in "<>\"'`\\" for c in url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an invalid IPv6 host "http://[x"
        return False


def _strip_comments(text: str) -> str:
    """Drop <!-- HTML comments --> from Markdown (invisible there), in linear time."""
    out, pos = [], 0
    while (start := text.find("<!--", pos)) != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break
        out.append(text[pos:start])
        pos = end + 3
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _from_html(html: str, rel: str, warnings: list[str]) -> tuple[str, dict]:
    import trafilatura  # imported here: plain-text archives never pay for it
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)  # parsed once: bare_extraction works on a copy
        meta = _html_meta(tree) if tree is not None else {}  # first, as bare_extraction's own
        doc = tree is not None and trafilatura.bare_extraction(
            tree, with_metadata=False, include_comments=False, include_tables=False)
    except (AssertionError, ValueError, TypeError) as exc:  # lxml asserts on some broken trees
        raise InputError(rel, f"HTML page could not be read ({type(exc).__name__} in trafilatura)") from None
    if not doc or not (doc.text or "").strip():
        raise InputError(rel, "HTML page has no main text that trafilatura could find")
    return doc.text, _check_front(meta, warnings)


def _html_meta(tree) -> dict:
    """The title, site name, URL and date that trafilatura.extract_metadata finds, made by its
    own steps for those four fields alone: its author, category, tag and licence searches,
    which digest does not use, were ~1.1 of the ~4.2 ms each page took (see BENCHMARKS.md).
    tests/test_ingest.py checks the fields against extract_metadata's."""
    from htmldate import find_date
    from trafilatura.metadata import (META_URL, Document, examine_meta, extract_meta_json, extract_sitename,
                                      extract_title, extract_url)

    found = examine_meta(tree)
    try:
        found = extract_meta_json(tree, found)
    except Exception:  # as extract_metadata: bugs in trafilatura's JSON-LD reading
        pass
    doc = Document()
    doc.title = found.title or extract_title(tree)
    doc.url = found.url or extract_url(tree)
    doc.date = find_date(tree, extensive_search=False, original_date=True, url=doc.url)
    doc.sitename = found.sitename or extract_sitename(tree)
    if doc.sitename:
        doc.sitename = doc.sitename.lstrip("@")
        if doc.sitename and "." not in doc.sitename and not doc.sitename[0].isupper():
            doc.sitename = doc.sitename.title()
    elif doc.url and (m := META_URL.match(doc.url)):
        doc.sitename = m[1]
    doc.clean_and_trim()
    return {k: v for k, v in (("title", doc.title), ("source", doc.sitename), ("url", doc.url),
                              ("published", doc.date)) if v}
