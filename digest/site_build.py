"""MkDocs in a child process: `python -m digest.site_build CONFIG SITE [--dirty]`.

Why not `mkdocs build`: its --dirty logs a warning that --strict counts as a failure, so an
incremental build could never be strict; and MkDocs writes by opening existing files in place,
which would write through the hard links that make the staged copy of the live site cheap.
So here every output file is replaced (a new inode), and only that one warning is dropped.

And MkDocs converts Markdown on one core (80 % of its time on a digest site), so the pages
are converted by forked workers, one per core, before MkDocs asks for them; what a
conversion logs is replayed in this process, where --strict counts it.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import sys

from mkdocs import utils
from mkdocs.commands import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page

# pages; below, forking costs more than it saves (the variable lets tests force either way)
PARALLEL_FROM = int(os.environ.get("DIGEST_SITE_PARALLEL_FROM", "200"))
_render = Page.render
_job: dict = {}  # what the forked workers read: config, files
_done: dict = {}  # src_uri -> the converted page, filled on the first render


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list = []

    def emit(self, record):
        record.msg, record.args = record.getMessage(), None  # picklable
        self.records.append(record)


def _convert(uris: list[str]) -> list[tuple]:
    """In a worker: read and convert these pages, with what they logged."""
    config, files = _job["config"], _job["files"]
    root = logging.getLogger("mkdocs")
    records = _Records()
    root.handlers, root.propagate = [records], False
    out = []
    for uri in uris:
        file = files.get_file_from_path(uri)
        page = file.page or Page(None, file, config)  # MkDocs makes pages outside the nav lazily
        page.read_source(config)
        _render(page, config, files)
        links = {to.src_uri: anchors for to, anchors in (page.links_to_anchors or {}).items()}
        out.append((uri, page.content, page.toc, page._title_from_render, page.present_anchor_ids, links,
                    records.records))
        records.records = []
    return out


def _parallel_render(self: Page, config, files) -> None:
    """Page.render, from the workers' results (converted all at once on the first call)."""
    if not _job.get("converted"):
        _job["converted"] = True
        pages = [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_included)
                 if not _job["dirty"] or f.is_modified()]
        if len(pages) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            _job.update(config=config, files=files)
            jobs = os.cpu_count() or 1
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                chunks = [pages[i::jobs * 8] for i in range(jobs * 8)]
                for result in pool.imap(_convert, chunks):
                    _done.update((r[0], r[1:]) for r in result)
    found = _done.pop(self.file.src_uri, None)
    if found is None:
        return _render(self, config, files)
    self.content, self.toc, self._title_from_render, self.present_anchor_ids, links, records = found
    self.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in links.items()}
    for record in records:
        logging.getLogger(record.name).handle(record)

DIRTY_WARNING = "A 'dirty' build is being performed"


def _fresh(write):
    """Wrap a MkDocs writer so it unlinks the target first: a hard-linked file stays intact."""
    def wrapper(*args):
        target = args[-1]
        if os.path.isfile(target) or os.path.islink(target):
            os.unlink(target)
        return write(*args)
    return wrapper


def main(argv: list[str]) -> int:
    config_file, site_dir, *flags = argv
    dirty = "--dirty" in flags
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs.commands.build").addFilter(lambda r: DIRTY_WARNING not in r.getMessage())
    _job["dirty"] = dirty
    Page.render = _parallel_render
    utils.write_file = _fresh(utils.write_file)
    utils.copy_file = _fresh(utils.copy_file)
    gz = os.path.join(site_dir, "sitemap.xml.gz")  # gzipped by MkDocs with a plain open()
    if os.path.exists(gz):
        os.unlink(gz)
    try:
        build.build(load_config(config_file=config_file, site_dir=site_dir, strict=True), dirty=dirty)
    except (Abort, ConfigurationError) as exc:
        print(f"ERROR - {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
