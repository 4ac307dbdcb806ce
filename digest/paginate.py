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


def split(items: list, limit: int, key) -> list[Part]:
    """Parts of at most `limit` items. `key(item)` is "YYYY-MM…" or None (undated); items
    come in key order, and each part keeps that order."""
    if len(items) <= limit:
        return [Part("", "", list(items))]
    parts = []
    for year, group in groupby(items, lambda x: (key(x) or "undated")[:4]):
        group = list(group)
        if year == "unda":
            parts += _pages("undated", group, limit)
        elif len(group) <= limit:
            parts.append(Part(year, year, group))
        else:
            for month, in_month in groupby(group, lambda x: key(x)[:7]):
                parts += _pages(month, list(in_month), limit)
    return parts


def _pages(period: str, items: list, limit: int) -> list[Part]:
    chunks = [items[i:i + limit] for i in range(0, len(items), limit)]
    return [Part(period if n == 1 else f"{period}/page-{n}", period, chunk) for n, chunk in enumerate(chunks, 1)]
