"""Full-text search with Pagefind: a main bundle rebuilt rarely, a small one rebuilt every time.

Pagefind has no incremental mode, and indexing 10,000 article pages takes about half a
minute. So, as in a log-structured merge tree, the main bundle holds the article pages as they
were when it was made; the "recent" bundle holds the articles added since and the hub pages
(actors: their counts change with every article), and the browser merges the two. The main
bundle is remade when one of its pages changed or went away (it would show stale text), when
"recent" outgrows RECENT_LIMIT articles, and whenever the whole site was rebuilt.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .write import atomic_text

MAIN, RECENT = "pagefind", "pagefind-recent"
BUNDLES_JS = "assets/search-bundles.js"  # tells the search page which bundles exist
RECENT_LIMIT = 500  # articles; indexing them takes ~1.5 s on this machine
# The pages to index: those whose template writes `pagefind: true` in their front matter
# (templates/theme/main.html reads it): articles and actors' main pages, not their parts.
SEARCHABLE = re.compile(r"(articles|actors)/[^/]+\.md")


def searchable(pages: dict) -> dict[str, str]:
    """Page -> a key that changes with its content (memo key, else a hash of the text)."""
    keys = getattr(pages, "memo_keys", {})
    return {rel: keys.get(rel) or hashlib.sha256(text.encode()).hexdigest()[:24] for rel, text in pages.items()
            if SEARCHABLE.fullmatch(rel) and rel != "actors/index.md"}


def html_of(rel: str) -> str:
    """docs path -> the HTML file MkDocs writes for it (use_directory_urls)."""
    stem = rel[:-3]
    return "index.html" if stem == "index" else (stem[:-5] if stem.endswith("/index") else stem) + "/index.html"


def index(site: Path, pages: dict[str, str], held: dict[str, str] | None) -> dict[str, str]:
    """Index `site`; `held` is what its main bundle holds (None: remake it). Returns the new
    main bundle's pages, to pass back next time."""
    wanted = searchable(pages)
    articles = {rel: h for rel, h in wanted.items() if rel.startswith("articles/")}
    hubs = sorted(set(wanted) - set(articles))
    fresh = sorted(set(articles) - set(held or {}))
    stale = held is None or any(articles.get(rel) != h for rel, h in held.items())
    if stale or len(fresh) > RECENT_LIMIT:
        held, fresh = articles, []
        _bundle(site, sorted(articles), MAIN)
    _bundle(site, fresh + hubs, RECENT)
    bundles = [b for b in (MAIN, RECENT) if (site / b / "pagefind-entry.json").exists()]
    atomic_text(site / BUNDLES_JS, f"window.digestSearchBundles = {json.dumps([b + '/' for b in bundles])};\n")
    return held


def _bundle(site: Path, rels: list[str], name: str) -> None:
    """One Pagefind bundle of exactly these pages (none: no bundle)."""
    out = site / name
    shutil.rmtree(out, ignore_errors=True)  # in a staged site these are hard links: the live files stay
    if not rels:
        return
    with tempfile.TemporaryDirectory(prefix=".digest-pagefind-", dir=site.parent) as tmp:
        for rel in rels:  # a tree of hard links to just these pages, at their own paths
            src, dst = site / html_of(rel), Path(tmp) / html_of(rel)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.hardlink_to(src)
        cmd = [str(_pagefind()), "--site", tmp, "--output-path", str(out.resolve()), "--silent"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        last = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        raise RuntimeError(f"search indexing failed, previous site kept: {last[0]}")


def _pagefind() -> Path:
    from pagefind_bin import get_executable  # the binary shipped in the pagefind-bin wheel
    return get_executable()

