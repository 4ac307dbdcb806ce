"""Load the knowledge kept as data (digest/data/*.yml) once per process."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"


@functools.lru_cache(maxsize=None)
def load(name: str, data_dir: str = str(DATA)) -> dict:
    with open(Path(data_dir) / name, encoding="utf-8") as fh:  # libyaml when present: 10x faster
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def any_of(patterns, flags=re.I) -> re.Pattern:
    """One compiled alternation matching a whole line against any of `patterns`."""
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\Z", flags)
