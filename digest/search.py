"""Full-text search with Pagefind: a sharded main bundle rebuilt rarely, a small one rebuilt every time.

Pagefind has no incremental mode, and indexing 10,000 article pages in one run took half a
minute and 3.3 GB of memory. So, as in a log-structured merge tree, the main bundle holds the
article pages as they were when it was made; the "recent" bundle holds the articles added since
and the hub pages (actors: their counts change with every article), and the browser merges them.

The main bundle is made of shards of at most SHARD_PAGES articles (`pagefind-0/`, `pagefind-1/`,
…), each a Pagefind bundle of its own, indexed INDEXERS at a time: memory stays that of a few
shards whatever the archive's size, a changed or removed page re-indexes only its shard, and in the
browser Pagefind's per-search work, which grows with the square of a bundle's matching pages
(filter counts above all), stays bounded. A shard costs its own index chunk at a first search
(~25-40 KB at 10,000 articles), hence shards of thousands of pages, not hundreds. When "recent"
outgrows RECENT_LIMIT articles they go into the main bundle: the last shard is topped up, then
new shards are made. Every shard is remade whenever the whole site was rebuilt.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .pagefind_order import stabilise
from .write import atomic_text

MAIN, RECENT = "pagefind", "pagefind-recent"
BUNDLES_JS = "assets/search-bundles.js"  # tells the search page which bundles exist
RECENT_LIMIT = 500  # articles; indexing them takes ~1.5 s on this machine
SHARD_PAGES = 3000  # articles per main shard at most: ~1 GB of indexer memory, ~25 KB of index per first search
INDEXERS = 2  # Pagefind runs at a time, so memory is at most INDEXERS shards' worth
# The pages to index: those whose template writes `pagefind: true` in their front matter
# (templates/theme/main.html reads it): articles and actors' main pages, not their parts.
SEARCHABLE = re.compile(r"(articles|actors)/[^/]+\.md")
# What Pagefind leaves out (not indexed, not in excerpts): words that repeat on every page or
# only repeat the article's own text. Its time goes with the words it indexes: a third fewer
# words on an article page, a fifth less indexer CPU. Indexed on an article page are still its
# title, outlet, places (the names the gazetteer gives them), summary, actors' names and text;
# the filters come from the hidden list templates/theme/main.html writes. Pagefind's selectors
# cannot name an element by its text, so rows and columns go by position in
# templates/article.md.j2 (tests/test_site.py checks what an article page's record holds).
ARTICLE = "[data-digest-article] > "  # templates/theme/main.html marks article pages so
IGNORE = (
    "thead",  # column names ("Field | Value", "Actor | Kind | Role | Found in")
    ARTICLE + "table:first-of-type tr:not(:nth-child(1)):not(:nth-child(8))",  # fields but Outlet, Where
    ARTICLE + "table:nth-of-type(2) td:nth-child(n+2)",  # actors' kind, role, and the sentence quoted
    ARTICLE + "ul",  # the chronology's entries (other articles' titles) and the notes for the reader
)


def searchable(pages: dict) -> dict[str, str]:
    """Page -> a key that changes with what the index reads of it (its search key, else its
    memo key, else a hash of the text)."""
    keys = {**getattr(pages, "memo_keys", {}), **getattr(pages, "search_keys", {})}
    return {rel: keys.get(rel) or hashlib.sha256(text.encode()).hexdigest()[:24] for rel, text in pages.items()
            if SEARCHABLE.fullmatch(rel) and rel != "actors/index.md"}


def html_of(rel: str) -> str:
    """docs path -> the HTML file MkDocs writes for it (use_directory_urls)."""
    return url_of(rel) + "index.html"


def url_of(rel: str) -> str:
    """docs path -> its folder in the site, the page's URL ("" for the home page)."""
    stem = rel[:-3]
    return "" if stem == "index" else (stem[:-5] if stem.endswith("/index") else stem) + "/"


def index(site: Path, pages: dict[str, str], held: dict | None, live: Path | None = None) -> dict:
    """Index `site`; `held` is what its main bundle holds, as the last call returned it (None:
    remake it). `live`: for an incremental build, the live site, which has the pages and
    bundles `site` does not (only what changed is built into `site`). Returns what the main
    bundle now holds, to pass back next time."""
    wanted = searchable(pages)
    articles = {rel: h for rel, h in wanted.items() if rel.startswith("articles/")}
    hubs = sorted(set(wanted) - set(articles))
    shards = _shards(held)
    if shards is None:  # first build, whole site rebuilt, or a state this code did not write
        shards, remake = {}, set()
        for old in [site / MAIN, *site.glob(f"{MAIN}-[0-9]*")]:  # pagefind/: the unsharded bundle of older builds
            shutil.rmtree(old, ignore_errors=True)
    else:  # a shard whose pages changed or went away shows stale text: remake it without them
        remake = set()
        for name, pages_of in shards.items():
            now = {rel: articles[rel] for rel in pages_of if rel in articles}
            if now != pages_of or not _exists(f"{MAIN}-{name}/pagefind-entry.json", site, live):
                shards[name] = now
                remake.add(name)
    placed = {rel for pages_of in shards.values() for rel in pages_of}
    fresh = sorted(set(articles) - placed)
    if not shards or len(fresh) > RECENT_LIMIT:
        remake |= _place(shards, fresh, articles)
        fresh = []
    jobs = [(fresh + hubs, RECENT)]
    for name in sorted(remake, key=int):
        if shards[name]:
            jobs.append((sorted(shards[name]), f"{MAIN}-{name}"))
        else:
            del shards[name]
            shutil.rmtree(site / f"{MAIN}-{name}", ignore_errors=True)
    # INDEXERS runs at once: one Pagefind run leaves a core idle much of the time
    with ThreadPoolExecutor(max_workers=INDEXERS) as pool:
        for done in [pool.submit(_bundle, site, rels, name, live) for rels, name in jobs]:
            done.result()  # the first failure, if any
    bundles = [f"{MAIN}-{name}" for name in sorted(shards, key=int)] + [RECENT]
    bundles = [b for b in bundles if _exists(f"{b}/pagefind-entry.json", site, live)]
    atomic_text(site / BUNDLES_JS, f"window.digestSearchBundles = {json.dumps([b + '/' for b in bundles])};\n")
    return {"shards": shards}


def is_bundle(name: str) -> bool:
    """Whether a folder at the site's top is one of the search bundles."""
    return name in (MAIN, RECENT) or re.fullmatch(rf"{MAIN}-\d+", name) is not None


def listed(site: Path) -> set[str]:
    """The bundles the site's search page uses (names of folders at its top)."""
    try:
        text = (site / BUNDLES_JS).read_text(encoding="utf-8")
        return {b.rstrip("/") for b in json.loads(text[text.index("["):text.rindex("]") + 1])}
    except (OSError, ValueError):
        return set()


def _exists(rel: str, site: Path, live: Path | None) -> Path | None:
    """`site`/rel, else `live`/rel: the one that exists, or None."""
    for base in (site, live):
        if base is not None and (base / rel).exists():
            return base / rel
    return None


def _shards(held) -> dict[str, dict[str, str]] | None:
    """The main bundle's shards (name -> page -> key) from what index() returned, or None."""
    shards = held.get("shards") if isinstance(held, dict) else None
    if not isinstance(shards, dict) or not all(
            isinstance(k, str) and k.isdigit() and isinstance(v, dict) for k, v in shards.items()):
        return None
    return {name: dict(pages_of) for name, pages_of in shards.items()}


def _place(shards: dict[str, dict[str, str]], fresh: list[str], articles: dict[str, str]) -> set[str]:
    """Put `fresh` into the main bundle. With no shards yet: as few as SHARD_PAGES allows, of
    even sizes (10,002 pages: four of ~2,500, not three full ones and a tiny one). Else: the last
    shard topped up to SHARD_PAGES, then new shards. Returns the shards to index."""
    if not shards:
        count = -(-len(fresh) // SHARD_PAGES)
        for i in range(count):
            part = fresh[i * len(fresh) // count:(i + 1) * len(fresh) // count]
            shards[str(i)] = {rel: articles[rel] for rel in part}
        return set(shards)
    touched = set()
    last = max(shards, key=int)
    for rel in fresh:
        if len(shards[last]) >= SHARD_PAGES:
            last = str(int(last) + 1)
            shards[last] = {}
        shards[last][rel] = articles[rel]
        touched.add(last)
    return touched


def _bundle(site: Path, rels: list[str], name: str, live: Path | None = None) -> None:
    """One Pagefind bundle of exactly these pages (none: no bundle), into `site`; a page not
    built into `site` is taken from `live`."""
    out = site / name
    shutil.rmtree(out, ignore_errors=True)  # in a staged site these are hard links: the live files stay
    if not rels:
        return
    with tempfile.TemporaryDirectory(prefix=".digest-pagefind-", dir=site.parent) as tmp:
        for rel in rels:  # a tree of hard links to just these pages, at their own paths
            src, dst = _exists(html_of(rel), site, live) or site / html_of(rel), Path(tmp) / html_of(rel)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.hardlink_to(src)
        cmd = [str(_pagefind()), "--site", tmp, "--output-path", str(out.resolve()), "--silent"]
        cmd += [arg for selector in IGNORE for arg in ("--exclude-selectors", selector)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        last = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        raise RuntimeError(f"search indexing failed, previous site kept: {last[0]}")
    stabilise(out)  # Pagefind's filter files, in an order that changed from run to run


def _pagefind() -> Path:
    from pagefind_bin import get_executable  # the binary shipped in the pagefind-bin wheel
    return get_executable()

