"""MkDocs in a child process: `python -m digest.site_build CONFIG SITE [--dirty]`.

Why not `mkdocs build`: its --dirty logs a warning that --strict counts as a failure, so an
incremental build could never be strict; and MkDocs writes by opening existing files in place,
which would write through the hard links that make the staged copy of the live site cheap.
So here every output file is replaced (a new inode), and only that one warning is dropped.
"""
from __future__ import annotations

import logging
import os
import sys

from mkdocs import utils
from mkdocs.commands import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

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
