"""One frozen configuration, built once from the command line and passed to every stage."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Config:
    seeds: Path = Path("seeds")
    docs: Path = Path("docs")
    site: Path = Path("site")
    templates: Path = Path("templates")
    mkdocs_yml: Path = Path("mkdocs.yml")
    cache: Path | None = Path(".cache/digest/articles.sqlite")  # None: no cache
    site_name: str = "Iraq militia attacks digest"
    jobs: int = 0  # worker processes; 0 = one per core
    article_seconds: float = 10.0  # a slower article is skipped with a warning
    full: bool = False  # rebuild every HTML page and the whole search index

    @property
    def state(self) -> Path | None:
        """What the live site was built from, for the next incremental build."""
        return self.cache.parent / "site.json" if self.cache else None


def processes(jobs: int) -> int:
    """How many processes `jobs` means: 0 is one per core."""
    return jobs or os.cpu_count() or 1
