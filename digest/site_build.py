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
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import sys

from mkdocs.commands import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page
from markdown import inlinepatterns, treeprocessors, util

# pages; below, forking costs more than it saves (the variable lets tests force either way)
PARALLEL_FROM = int(os.environ.get("DIGEST_SITE_PARALLEL_FROM", "200"))
# MkDocs as it is, on one core (but for how files are written): the reference for tests
STOCK = bool(os.environ.get("DIGEST_SITE_STOCK"))
_populate, _build_page, _get_navigation = build._populate_page, build._build_page, build.get_navigation
_job: dict = {}  # what the forked workers read: config, files, nav, env, dirty
_done: dict = {}  # src_uri -> what a worker kept of the page it built


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
    return out


def _run_workers(config, files) -> None:
    """On MkDocs' first page: build all pages outside the navigation in forked workers."""
    nav, dirty = _job["nav"], _job["dirty"]
    in_nav = {page.file.src_uri for page in nav.pages}
    pages = [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_included)
             if f.src_uri not in in_nav and (not dirty or f.is_modified())]
    # a plugin's page events would run in a worker, out of MkDocs' order: plugins mean serial
    plugged = any(config.plugins.events.values())
    if len(pages) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or plugged:
        return
    # the navigation's pages first, here: every worker then renders the same navigation
    # (titles, say) that a serial build renders once all pages are converted
    for page in nav.pages:
        _populate(page, config, files, dirty)
        _job["populated"].add(page.file.src_uri)
    env = config.theme.get_env()
    _cache_partials(env, nav)
    _job.update(config=config, files=files, env=env)
    jobs = os.cpu_count() or 1
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        # small chunks, so the workers finish together; the parent replays in MkDocs' order
        chunks = [pages[i::jobs * 32] for i in range(jobs * 32)]
        for result in pool.imap_unordered(_work, chunks):
            _done.update((r[0], r[1:]) for r in result)


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


_Inline = treeprocessors.InlineProcessor
_apply_pattern = _Inline._InlineProcessor__applyPattern
_inline_run = _Inline.run


def _handle_inline(self, data, patternIndex=0):
    """InlineProcessor.__handleInline, with the same result: a pattern whose regular expression
    finds nothing from startIndex on is skipped without the call that would find that out
    (half of Python-Markdown's time on a digest page went to those calls)."""
    if isinstance(data, util.AtomicString):
        return data
    patterns = self._digest_patterns
    count = len(patterns)
    startIndex = 0
    while patternIndex < count:
        pattern, regex = patterns[patternIndex]
        if regex is not None and regex.search(data, startIndex) is None:
            # what __applyPattern returns for a new-style pattern that does not match
            patternIndex, startIndex = patternIndex + 1, 0
            continue
        data, matched, startIndex = _apply_pattern(self, pattern, data, patternIndex, startIndex)
        if not matched:
            patternIndex += 1
    return data


def _run_inline(self, tree, ancestors=None):
    # the patterns in priority order, once per document (the registry sorts on each lookup)
    self._digest_patterns = [(p, p.getCompiledRegExp() if isinstance(p, inlinepatterns.InlineProcessor) else None)
                             for p in self.inlinePatterns]
    return _inline_run(self, tree, ancestors)


def _speedups() -> None:
    """Python-Markdown made faster, output unchanged (DIGEST_SITE_STOCK=1 leaves it as is)."""
    _Inline._InlineProcessor__handleInline = _handle_inline
    _Inline.run = _run_inline


DIRTY_WARNING = "A 'dirty' build is being performed"


def main(argv: list[str]) -> int:
    config_file, site_dir, *flags = argv
    dirty = "--dirty" in flags or "--only" in flags
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
        _speedups()
    try:
        build.build(load_config(config_file=config_file, site_dir=site_dir, strict=True), dirty=dirty)
    except (Abort, ConfigurationError) as exc:
        print(f"ERROR - {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
