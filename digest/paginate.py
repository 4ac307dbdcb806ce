"""Long lists split into pages a browser opens quickly: by year, then month, then numbered.

A page of 10,000 articles weighs megabytes; every generated page stays under ~500 KB of HTML
by holding at most a fixed number of entries (the limits are in render.py, measured per
page type). A list that fits stays on one page, so a small archive keeps simple pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby


@dataclass(frozen=True)
class Part:
    suffix: str        # "" (the whole list), "2023", "2023-11", "2023-11/page-2", "undated/page-2"
    period: str        # "2023", "2023-11", "undated" or "": what the part covers
    items: list


def split(items: list, limit: int, keys: list) -> list[Part]:
    """Parts of at most `limit` items. `keys[i]`, item i's key, is "YYYY-MM…" or None (undated);
    items come in key order, and each part keeps that order. Keys come as a list, not a
    function called per item: 100,000 actor rows per build."""
    if len(items) <= limit:
        return [Part("", "", list(items))]
    keys = [k or "undated" for k in keys]
    parts = []
    for year, i, j in _runs([k[:4] for k in keys], 0):
        if year == "unda":
            parts += _pages("undated", items[i:j], limit)
        elif j - i <= limit:
            parts.append(Part(year, year, items[i:j]))
        else:
            for month, m, n in _runs([k[:7] for k in keys[i:j]], i):
                parts += _pages(month, items[m:n], limit)
    return parts


def _runs(values: list, start: int):
    """(value, first index, end index) of each run of equal values, indices from `start`."""
    for value, run in groupby(values):
        end = start + len(list(run))
        yield value, start, end
        start = end


def _pages(period: str, items: list, limit: int) -> list[Part]:
    chunks = [items[i:i + limit] for i in range(0, len(items), limit)]
    return [Part(period if n == 1 else f"{period}/page-{n}", period, chunk) for n, chunk in enumerate(chunks, 1)]
