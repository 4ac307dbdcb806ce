"""The build, as a list of stages: discover, read+analyse (parallel), render, write, site."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .analyse import analyse
from .config import Config
from .errors import InputError
from .ingest import discover, read
from .model import Article
from .render import render_all
from .write import write_pages

PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves


@dataclass
class Result:
    articles: list[Article]
    skipped: list[str] = field(default_factory=list)  # "file: reason"
    stats: dict = field(default_factory=dict)


def process(path: Path, seeds: Path) -> Article | str:
    """One file -> Article, or the one-line reason it was skipped."""
    try:
        return analyse(read(path, seeds))
    except InputError as exc:
        return exc.message
    except Exception as exc:  # a bug must cost one article, not the build
        return f"{path.relative_to(seeds).as_posix()}: could not be analysed ({type(exc).__name__}: {exc})"


def _process_star(args):
    return process(*args)


def gather(cfg: Config, progress=None) -> Result:
    files = discover(cfg.seeds)
    jobs = cfg.jobs or os.cpu_count() or 1
    work = [(p, cfg.seeds) for p in files]
    if len(files) >= PARALLEL_FROM and jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            outcomes = _track(pool.map(_process_star, work, chunksize=32), len(work), progress)
    else:
        outcomes = _track(map(_process_star, work), len(work), progress)
    articles = [o for o in outcomes if isinstance(o, Article)]
    skipped = [o for o in outcomes if isinstance(o, str)]
    return Result(_dedupe_ids(articles, skipped), skipped)


def _track(iterable, total, progress):
    out = []
    for item in iterable:
        out.append(item)
        if progress:
            progress(len(out), total)
    return out


def _dedupe_ids(articles: list[Article], skipped: list[str]) -> list[Article]:
    """Two files whose names slugify alike: the later one is skipped, by name."""
    seen: dict[str, Article] = {}
    for a in sorted(articles, key=lambda a: a.file):
        if a.id in seen:
            skipped.append(f"{a.file}: its page id '{a.id}' is already used by {seen[a.id].file}; rename one file")
        else:
            seen[a.id] = a
    return sorted(seen.values(), key=lambda a: a.id)


def generate(cfg: Config, progress=None) -> Result:
    result = gather(cfg, progress)
    pages = render_all(result.articles, cfg.templates, cfg.site_name)
    result.stats = write_pages(pages, cfg.docs)
    return result


def build_site(cfg: Config) -> None:
    """Render docs/ into the site with MkDocs (strict: a broken link fails the build)."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(cfg.mkdocs_yml),
           "-d", str(cfg.site.resolve())]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        lines = [l for l in (proc.stderr + proc.stdout).splitlines() if l.strip()]
        raise RuntimeError("mkdocs build failed: " + (" | ".join(lines[-5:]) or f"exit {proc.returncode}"))
