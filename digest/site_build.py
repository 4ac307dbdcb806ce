"""MkDocs in a child process: `python -m digest.site_build CONFIG SITE [--dirty | --only LIST]`.

`--only LIST`: build just the pages named in the file LIST (one docs path per line) into the
empty SITE: a one-article build makes its few pages beside the live site, and
digest/pipeline.py merges them in. Why not `mkdocs build --dirty`: it decides by file times
against the site it writes into, and logs a warning that --strict counts as a failure, so an
incremental build could never be strict; here only that one warning is dropped.

And MkDocs builds pages on one core, so the whole per-page work (read, convert, render the
theme's template, write) is done by forked workers, one per core, before MkDocs' own loop
gets to the pages; the parent keeps of each page only what it still needs (the anchors it
has and the links it makes, for the anchor check) and replays what a page logged, where
--strict counts it. Every worker is a fork of the parent after the navigation was made and
its pages read and converted, so each page sees the same site as in a serial build.

`--cache PATH`: converted pages are kept across builds in the SQLite file PATH, so a page whose
conversion inputs did not change skips Python-Markdown (80 % of a page's time). An entry holds
what Page.render makes (HTML, toc, title, anchors, links to anchors) and what it logged, replayed
on reuse so --strict still fails on it. Its key hashes what the conversion reads: the page's
Markdown, path and URL, the settings and package versions that shape the HTML, and the code
(this file, fast_markdown.py); the entry also lists the files the page's links looked up
(links are rewritten and checked against them), and is used only if each is as it was (a new
article leaves the pages that do not link to it cached). Workers only read it; the parent
writes once the pages are built. A page converted again replaces its older entry, so
one-article builds, which never see most pages, do not grow the file without end; a full
build also forgets entries it did not use.
"""
from __future__ import annotations

import copy
import hashlib
import json
import logging
import multiprocessing
import os
import pickle
import sqlite3
import sys
import zlib
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from mkdocs.commands import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page

from . import fast_markdown
from .config import processes

# pages; below, forking costs more than it saves (the variable lets tests force either way)
PARALLEL_FROM = int(os.environ.get("DIGEST_SITE_PARALLEL_FROM", "200"))
# MkDocs as it is, on one core (but for how files are written): the reference for tests
STOCK = bool(os.environ.get("DIGEST_SITE_STOCK"))
_populate, _build_page, _get_navigation = build._populate_page, build._build_page, build.get_navigation
_job: dict = {}  # what the forked workers read: config, files, nav, env, dirty
_done: dict = {}  # src_uri -> what a worker kept of the page it built
_render = Page.render


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list = []

    def emit(self, record):
        if record.exc_info:  # the traceback as text: a traceback object does not pickle
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args, record.exc_info = record.getMessage(), None, None
        self.records.append(record)


def _work(uris: list[str]) -> list[tuple]:
    """In a worker: build these pages (read, convert, template, write), each with what it logged."""
    config, files, nav, env, dirty = (_job[k] for k in ("config", "files", "nav", "env", "dirty"))
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    root = logging.getLogger("mkdocs")
    records = _Records()
    root.handlers, root.propagate = [records], False
    out = []
    for uri in uris:
        file = files.get_file_from_path(uri)
        page = file.page or Page(None, file, config)  # MkDocs makes pages outside the nav lazily
        error = None
        try:
            _populate(page, config, files, dirty)
            _build_page(page, config, doc_files, nav, env, dirty, excluded=file.inclusion.is_excluded())
        except Exception as exc:  # noqa: BLE001 - raised again in the parent, after its log
            error = exc
        links = {to.src_uri: anchors for to, anchors in (page.links_to_anchors or {}).items()}
        out.append((uri, page.present_anchor_ids, links, records.records, error))
        records.records = []
        page.markdown = page.content = None  # written: this worker needs the page no more
        page.toc = []
    return out, _cache_results()


def _run_workers(config, files) -> None:
    """On MkDocs' first page: build all pages outside the navigation in forked workers."""
    nav, dirty = _job["nav"], _job["dirty"]
    in_nav = {page.file.src_uri for page in nav.pages}
    pages = [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_included)
             if f.src_uri not in in_nav and (not dirty or f.is_modified())]
    # a plugin's page events would run in a worker, out of MkDocs' order: plugins mean serial
    plugged = any(config.plugins.events.values())
    jobs = processes(0)  # one per core
    if len(pages) < PARALLEL_FROM or jobs < 2 or plugged:
        return
    # the navigation's pages first, here: every worker then renders the same navigation
    # (titles, say) that a serial build renders once all pages are converted
    for page in nav.pages:
        _populate(page, config, files, dirty)
        _job["populated"].add(page.file.src_uri)
    env = config.theme.get_env()
    _cache_partials(env, nav)
    _job.update(config=config, files=files, env=env)
    _conv["results"].append(_cache_results())  # the parent's own, before workers inherit them
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        # small chunks, so the workers finish together; the parent replays in MkDocs' order
        chunks = [pages[i::jobs * 32] for i in range(jobs * 32)]
        for result, cached in pool.imap_unordered(_work, chunks):
            _done.update((r[0], r[1:]) for r in result)
            _conv["results"].append(cached)


# Theme partials that depend on the page only through relative URLs when the page is not in
# the navigation: Material's navigation and tabs, the same for all of a folder's pages.
PARTIALS = ("partials/nav.html", "partials/tabs.html")


def _cache_partials(env, nav) -> None:
    """Render each of PARTIALS once per folder of pages outside the navigation (a quarter of
    the template's time went to the navigation); same output, as the links are made relative
    to the page's folder, and no navigation link points below a page outside it."""
    nav_uris = {page.file.src_uri for page in nav.pages}
    targets = [page.url for page in nav.pages]
    for name in PARTIALS:
        try:
            template = env.get_template(name)
        except Exception:  # noqa: BLE001 - a theme without it: nothing to cache
            continue
        template.root_render_func = _cached_render(name, template.root_render_func, nav_uris, targets)


def _cached_render(name, render, nav_uris, targets):
    rendered: dict = {}

    def root(context):
        page = context.get("page")
        url = getattr(page, "url", None)
        if (page is None or url is None or page.file.src_uri in nav_uris
                or any(t.startswith(url) for t in targets)):
            yield from render(context)
            return
        key = (url.rstrip("/").rpartition("/")[0], context.get("base_url"))
        if key not in rendered:
            rendered[key] = "".join(render(context))
        yield rendered[key]
    return root


def _parallel_populate(page: Page, config, files, dirty: bool = False) -> None:
    """build._populate_page: a page a worker built only gets its anchors and links back."""
    if "started" not in _job:
        _job["started"] = True
        _run_workers(config, files)
    uri = page.file.src_uri
    if uri in _job["populated"]:
        return
    found = _done.get(uri)
    if found is None:
        return _populate(page, config, files, dirty)
    page.present_anchor_ids, links, records, error = found
    page.links_to_anchors = {files.get_file_from_path(to): anchors for to, anchors in links.items()}
    for record in records:
        logging.getLogger(record.name).handle(record)
    if error is not None:
        raise error


def _parallel_build_page(page: Page, *args, **kwargs) -> None:
    if page.file.src_uri not in _done:
        _build_page(page, *args, **kwargs)


def _capture_navigation(files, config):
    _job["nav"] = nav = _get_navigation(files, config)
    return nav


# The cache of converted pages (see the module's docstring)
_conv: dict = {"path": None, "dbs": {}, "base": None, "all": None, "fresh": [], "used": [], "corrupt": False, "results": []}
LAYOUT = 2  # the file's tables (PRAGMA user_version); a file of another layout is made again
TABLES = ("CREATE TABLE IF NOT EXISTS page (key TEXT PRIMARY KEY, uri TEXT, blob BLOB);"
          "CREATE INDEX IF NOT EXISTS page_uri ON page (uri)")


class _Capture(logging.Handler):
    """What a conversion logs, kept with its result (copies: the record goes on to MkDocs)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list = []

    def emit(self, record):
        record = copy.copy(record)
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args, record.exc_info = record.getMessage(), None, None
        self.records.append(record)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def _base_key(config) -> str:
    """What every page's conversion depends on besides its Markdown, its file and the files it
    links to. Not the docs folder's path: each build's stage has another one."""
    h = hashlib.sha256(sys.version.encode())
    for dist in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions"):
        h.update(f"\0{dist}={_version(dist)}".encode())
    settings = {k: config[k] for k in ("markdown_extensions", "mdx_configs", "use_directory_urls", "validation")}
    # an extension given as an object: its repr (an address) never matches again
    h.update(json.dumps(settings, sort_keys=True, default=lambda o: dict(o) if isinstance(o, Mapping) else repr(o)).encode())
    for code in (__file__, fast_markdown.__file__):  # the code that shapes the HTML
        h.update(Path(code).read_bytes())
    return h.hexdigest()


def _shape(file) -> tuple | None:
    """What a conversion uses of a file it links to: whether it exists, its URL, if excluded."""
    return None if file is None else (file.url, file.inclusion.name)


def _all_files(files) -> str:
    if _conv["all"] is None:
        _conv["all"] = hashlib.sha256("\0".join(f"{f.src_uri}\0{_shape(f)}" for f in
                                                 sorted(files, key=lambda f: f.src_uri)).encode()).hexdigest()
    return _conv["all"]


class _Lookups:
    """The site's files as a conversion sees them, noting each one it looks up (MkDocs 1.6
    rewrites and checks links with get_file_from_path only); any other use makes the result
    depend on the whole list ("*")."""

    def __init__(self, files):
        self._files, self.seen = files, {}

    def get_file_from_path(self, path):
        file = self._files.get_file_from_path(path)
        self.seen[path] = _shape(file)
        return file

    def __getattr__(self, name):
        self.seen["*"] = _all_files(self._files)
        return getattr(self._files, name)

    def __iter__(self):
        self.seen["*"] = _all_files(self._files)
        return iter(self._files)

    def __len__(self):
        self.seen["*"] = _all_files(self._files)
        return len(self._files)


def _still(seen: dict, files) -> bool:
    """Every file a stored conversion looked up is as it was then."""
    return all((_all_files(files) if path == "*" else _shape(files.get_file_from_path(path))) == shape
               for path, shape in seen.items())


def _db() -> sqlite3.Connection:
    """This process' own connection: one opened before a fork is not used after it."""
    pid = os.getpid()
    if pid not in _conv["dbs"]:
        _conv["dbs"][pid] = sqlite3.connect(_conv["path"], timeout=60)
    return _conv["dbs"][pid]


def _lookup(key: str):
    try:
        row = _db().execute("SELECT blob FROM page WHERE key = ?", (key,)).fetchone()
    except sqlite3.DatabaseError:
        _conv["corrupt"] = True
        return None
    if row is None:
        return None
    try:  # zlib's checksum: a damaged entry is a miss, not HTML
        return pickle.loads(zlib.decompress(row[0]))
    except Exception:  # noqa: BLE001
        return None


def _convert_cached(page: Page, config, files) -> None:
    """Page.render, or what it made and logged the last time for the same inputs."""
    if _conv["base"] is None:
        _conv["base"] = _base_key(config)
    file = page.file
    key = hashlib.sha256(f"{_conv['base']}\0{file.src_uri}\0{_shape(file)}\0{page.markdown}".encode()).hexdigest()
    found = _lookup(key)
    if found is not None and _still(found[0], files):
        _, content, toc, title, anchors, links, records = found
        page.content, page.toc, page._title_from_render, page.present_anchor_ids = content, toc, title, anchors
        if links is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): a for uri, a in links.items()}
        for record in records:
            logging.getLogger(record.name).handle(record)
        _conv["used"].append(key)
        return
    capture, lookups = _Capture(), _Lookups(files)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(capture)
    try:
        _render(page, config, lookups)
    finally:
        logger.removeHandler(capture)
    links = page.links_to_anchors
    links = None if links is None else {to.src_uri: a for to, a in links.items()}
    entry = (lookups.seen, page.content, page.toc, page._title_from_render, page.present_anchor_ids, links,
             capture.records)
    _conv["fresh"].append((key, file.src_uri, zlib.compress(pickle.dumps(entry, protocol=5), 1)))


def _cache_results() -> tuple:
    """This process' new entries, the keys it reused, whether it found the file damaged."""
    out = (_conv["fresh"], _conv["used"], _conv["corrupt"])
    _conv.update(fresh=[], used=[], corrupt=False)
    return out


def _open_cache(path: Path) -> bool:
    """The cache file, made if missing; a damaged one is deleted and made again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(2):
        try:
            with sqlite3.connect(path) as db:
                if db.execute("PRAGMA user_version").fetchone()[0] != LAYOUT:
                    db.executescript(f"DROP TABLE IF EXISTS page; PRAGMA user_version = {LAYOUT}")
                db.executescript(TABLES)
                db.execute("SELECT count(*) FROM page").fetchone()
            db.close()
            return True
        except sqlite3.DatabaseError:
            _delete(path)
    return False


def _delete(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-journal")):
        p.unlink(missing_ok=True)


def _save_cache(prune: bool) -> dict:
    """In the parent, after the build: store the new entries; `prune` (a full build that
    succeeded) forgets the ones this build did not use. Returns the counts."""
    for db in _conv["dbs"].values():
        db.close()
    _conv["dbs"] = {}
    results = [*_conv["results"], _cache_results()]
    fresh = [entry for r in results for entry in r[0]]
    used = [key for r in results for key in r[1]]
    path = _conv["path"]
    if any(r[2] for r in results):
        _delete(path)  # damaged: rebuilt from what this build converted
        prune = False
    for _ in range(2):
        try:
            _open_cache(path)
            with sqlite3.connect(path, timeout=60) as db:
                db.executemany("INSERT OR REPLACE INTO page VALUES (?, ?, ?)", fresh)
                db.executemany("DELETE FROM page WHERE uri = ? AND key != ?", [(uri, k) for k, uri, _ in fresh])
                forgotten = 0
                if prune:
                    db.execute("CREATE TEMP TABLE keep (key TEXT PRIMARY KEY)")
                    db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", [(k,) for k, _, _ in fresh] + [(k,) for k in used])
                    forgotten = db.execute("DELETE FROM page WHERE key NOT IN (SELECT key FROM keep)").rowcount
            db.close()
            if forgotten > len(fresh) + len(used):  # most of the file is free space: give it back
                with sqlite3.connect(path) as db:
                    db.execute("VACUUM")
                db.close()
            break
        except sqlite3.DatabaseError:
            _delete(path)
    return {"converted": len(fresh), "reused": len(used)}


DIRTY_WARNING = "A 'dirty' build is being performed"


_stock_copy_file = File.copy_file


def _linked_copy_file(self: File, dirty: bool = False) -> None:
    """File.copy_file: a file of the docs folder is hard-linked into the site instead of
    copied (into an empty site folder: a full build's, or an incremental build's stage), as
    nothing writes into either file in place (write.py, pipeline.py). The 120 MB JSON download
    at 10,000 articles was copied on every build that changed it (0.045 s on ext4), and its new
    blocks then allocated when it replaced the live one: a one-article site build's commit
    took 0.16-0.18 s, and 0.10-0.12 s linked. Elsewhere (another file system, a theme's file)
    it is copied."""
    src = self.abs_src_path
    if self._content is None and src and src.startswith(_job["docs"]) and not (dirty and not self.is_modified()):
        try:
            os.makedirs(os.path.dirname(self.abs_dest_path), exist_ok=True)
            os.link(src, self.abs_dest_path)
            return
        except OSError:
            pass
    _stock_copy_file(self, dirty)


def main(argv: list[str]) -> int:
    config_file, site_dir, *flags = argv
    dirty = "--dirty" in flags or "--only" in flags
    cache = Path(flags[flags.index("--cache") + 1]) if "--cache" in flags else None
    if "--only" in flags:
        with open(flags[flags.index("--only") + 1], encoding="utf-8") as fh:
            only = set(fh.read().split("\n")) - {""}
        File.is_modified = lambda self: self.src_uri in only  # what a dirty build rebuilds and copies
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs.commands.build").addFilter(lambda r: DIRTY_WARNING not in r.getMessage())
    if not STOCK:
        _job.update(dirty=dirty, populated=set())
        build.get_navigation = _capture_navigation
        build._populate_page = _parallel_populate
        build._build_page = _parallel_build_page
        File.copy_file = _linked_copy_file
        fast_markdown.speed_up()
        if cache is not None and _open_cache(cache):
            _conv["path"] = cache
            Page.render = _convert_cached
    code = 0
    try:
        config = load_config(config_file=config_file, site_dir=site_dir, strict=True)
        _job["docs"] = os.path.join(config.docs_dir, "")  # what _linked_copy_file links
        build.build(config, dirty=dirty)
    except (Abort, ConfigurationError) as exc:
        print(f"ERROR - {exc}", file=sys.stderr)
        code = 1
    if _conv["path"] is not None:  # a failed build's conversions are as good: kept, not pruned
        print(json.dumps(_save_cache(prune=code == 0 and not dirty)))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
