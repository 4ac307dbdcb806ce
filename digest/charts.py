"""Build-time SVG charts: an actor x month heat map, its table alternative, and a sparkline.

Pure functions with deterministic output (no clock, no randomness, sorted iteration). Each
SVG is returned on one line with no blank lines, so it can sit in a Markdown page as raw
HTML. Python-Markdown only passes a raw block through when it starts with a block-level tag,
and <svg> is not one: wrap the SVG with `figure()` (or your own <figure>), at the start of a
line, with blank lines around it. Links inside raw HTML are not rewritten by MkDocs, so
hrefs must be final relative URLs (e.g. "../actors/x/" with use_directory_urls).

Every piece of text that comes from data (names, titles, hrefs) is XML-escaped here: article
text is untrusted. Colours work on the light and the dark (slate) theme: text and outlines
use currentColor, cells use one sequential palette with their own text colour.
"""
from __future__ import annotations

import hashlib
import html
import math
import re
from urllib.parse import quote

from .escape import md

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "system-ui,-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif"
# ColorBrewer OrRd, 5 classes (sequential); the ink to print on each.
PALETTE = ("#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000")
INK = ("#1b1b1b", "#1b1b1b", "#1b1b1b", "#ffffff", "#ffffff")
EMPTY = 'fill="currentColor" fill-opacity="0.07"'
MAX_COLUMNS = 60
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_FULL = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


# ---------------------------------------------------------------- escaping helpers

def text(value) -> str:
    """Untrusted value -> XML character data (&, < and > escaped, as xml.sax.saxutils.escape
    does; importing that imports urllib and ssl, ~10 ms a build)."""
    return html.escape(_BAD_CHARS.sub("", " ".join(str(value).split())), quote=False)


def attr(value) -> str:
    """Untrusted value -> a double-quoted XML attribute value, quotes included."""
    return '"' + text(value).replace('"', "&quot;") + '"'


def safe_href(href) -> str | None:
    """A link target fit for an <a href>: relative, http(s) or mailto; else None."""
    if not href:
        return None
    h = _BAD_CHARS.sub("", str(href)).strip().replace(" ", "%20")
    if not h or any(c.isspace() for c in h):
        return None
    m = _SCHEME.match(h)
    if m and m.group(1).lower() not in ("http", "https", "mailto"):
        return None
    return h or None


def uid(prefix: str, *parts) -> str:
    """A stable id for aria-labelledby, unique per chart content (several charts per page)."""
    return f"{prefix}-{hashlib.sha1(repr(parts).encode('utf-8')).hexdigest()[:10]}"


def open_svg(width: float, height: float, title: str, desc: str, key: str, extra: str = "") -> str:
    t, d = f"{key}-t", f"{key}-d"
    return (f'<svg xmlns="{SVG_NS}" role="img" aria-labelledby="{t} {d}" width="{_n(width)}" '
            f'height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'style="max-width:100%;height:auto" font-family="{FONT}"{extra}>'
            f'<title id="{t}">{text(title)}</title><desc id="{d}">{text(desc)}</desc>')


def figure(svg: str, caption: str | None = None) -> str:
    """The SVG inside a <figure> (a block-level tag for Python-Markdown), on one line."""
    cap = f"<figcaption>{text(caption)}</figcaption>" if caption else ""
    return f'<figure class="digest-chart">{svg}{cap}</figure>'


def _n(x: float) -> str:
    """A number for SVG: at most one decimal, no trailing zeros."""
    s = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# ---------------------------------------------------------------- months

def month_index(key) -> int | None:
    m = _MONTH.match(str(key)) if key is not None else None
    return int(m.group(1)) * 12 + int(m.group(2)) - 1 if m else None


def month_key(i: int) -> str:
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def month_label(key: str, full: bool = False) -> str:
    if len(key) == 4:
        return key
    y, m = key.split("-")
    return f"{(MONTH_FULL if full else MONTH_ABBR)[int(m) - 1]} {y}"


def month_range(keys) -> list[str]:
    """Every month from the first to the last valid "YYYY-MM" in keys (gaps filled)."""
    idx = sorted({i for i in (month_index(k) for k in keys) if i is not None})
    return [month_key(i) for i in range(idx[0], idx[-1] + 1)] if idx else []


def _columns(months) -> tuple[list[str], bool]:
    """Heat-map columns: every month in range, or years when that is more than MAX_COLUMNS."""
    cols = month_range(months)
    if len(cols) <= MAX_COLUMNS:
        return cols, False
    return [str(y) for y in range(int(cols[0][:4]), int(cols[-1][:4]) + 1)], True


def _grid(rows, months, counts) -> tuple[list[str], bool, list[tuple[str, str]], dict]:
    """Columns, whether by year, the row list, and {(name, column): count} summed."""
    cols, by_year = _columns(months)
    colset = set(cols)
    grid: dict[tuple[str, str], int] = {}
    names = {str(n) for n, _ in rows}
    for (name, month), c in sorted(counts.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        if month_index(month) is None or str(name) not in names:
            continue
        col = month[:4] if by_year else month
        if col in colset and c:
            grid[(str(name), col)] = grid.get((str(name), col), 0) + int(c)
    return cols, by_year, [(str(n), h) for n, h in rows], grid


def _levels(top: int) -> list[int]:
    """Lower bounds of the colour classes for counts 1..top (at most 5 classes)."""
    if top <= 5:
        return list(range(1, max(top, 1) + 1))
    return sorted({1, *(math.ceil(top ** (k / 5)) for k in range(1, 5))})


def _shade(count: int, lows: list[int]) -> int:
    """Palette index for a count, spreading fewer classes across the whole palette."""
    level = max(i for i, lo in enumerate(lows) if count >= lo)
    n = len(lows)
    return round(level * (len(PALETTE) - 1) / (n - 1)) if n > 1 else 2


def _legend_labels(lows: list[int], top: int) -> list[str]:
    out = []
    for i, lo in enumerate(lows):
        hi = lows[i + 1] - 1 if i + 1 < len(lows) else top
        out.append(str(lo) if hi <= lo else f"{lo}–{hi}")
    return out


def _truncate(name: str, limit: int) -> str:
    name = " ".join(name.split())
    return name if len(name) <= limit else name[:limit - 1].rstrip() + "…"


def _text_w(s: str, size: float) -> float:
    """Rough rendered width of a string in a sans-serif font."""
    return sum(size * (0.33 if c in "il.,'’:;|!()[] " else 0.72 if c.isupper() or c in "mwMW" else 0.56)
               for c in s)


# ---------------------------------------------------------------- heat map

def actor_month_svg(rows: list[tuple[str, str]], months: list[str],
                    counts: dict[tuple[str, str], int], title: str) -> str:
    """Actors (rows, top to bottom as given) x months heat map; each cell has a tooltip."""
    cols, by_year, rows, grid = _grid(rows, months, counts)
    key = uid("am", title, cols, rows, sorted(grid.items()))
    top = max(grid.values(), default=0)
    lows = _levels(top)
    label_chars = 30
    names = [_truncate(n, label_chars) for n, _ in rows]
    label_w = max([_text_w(n, 12) for n in names] + [60]) + 14
    cw = 34 if by_year else 18
    ch = 18
    head = 20 if by_year else 34
    total_w = 44
    width = label_w + len(cols) * cw + 8 + total_w
    grid_h = len(rows) * ch
    legend_y = head + grid_h + 14
    height = legend_y + 30
    legend_w = label_w + 36 + sum(34 + _text_w(lab, 10) for lab in _legend_labels(lows, top)) if top else 0
    width = max(width, legend_w + 4)
    span = (f"from {month_label(cols[0], True)} to {month_label(cols[-1], True)}" if cols
            else "with no dated articles")
    desc = (f"Heat map of articles per {'year' if by_year else 'month'} for {plural(len(rows), 'actor')}, "
            f"{span}. Darker cells mean more articles; a number in a cell is its count. "
            + ("The period is longer than 60 months, so the columns are whole years. " if by_year else "")
            + "A table with the same numbers follows the chart.")
    out = [open_svg(width, height, title, desc, key)]

    # column headers
    out.append('<g fill="currentColor" font-size="11" text-anchor="middle">')
    x0 = label_w
    for c, col in enumerate(cols):
        cx = x0 + c * cw + (cw - 2) / 2
        if by_year:
            out.append(f'<text x="{_n(cx)}" y="14">{col}</text>')
            continue
        y, m = int(col[:4]), int(col[5:])
        next_jan = 12 - m + 1  # columns until the next January
        if m == 1 or (c == 0 and next_jan >= 3):
            out.append(f'<text x="{_n(x0 + c * cw)}" y="13" text-anchor="start" font-weight="600">{y}</text>')
        out.append(f'<text x="{_n(cx)}" y="28" font-size="9" fill-opacity="0.75">{MONTH_ABBR[m - 1][0]}</text>')
    out.append(f'<text x="{_n(x0 + len(cols) * cw + 8 + total_w / 2)}" y="{head - 6}" font-size="10">Total</text>')
    out.append("</g>")

    # rows: label (linked), cells, total
    for r, ((name, href), short) in enumerate(zip(rows, names)):
        y = head + r * ch
        label = (f'<text x="{_n(label_w - 8)}" y="{_n(y + 12.5)}" text-anchor="end" font-size="12" '
                 f'fill="currentColor"><title>{text(name)}</title>{text(short)}</text>')
        link = safe_href(href)
        out.append(f'<a href={attr(link)}>{label}</a>' if link else label)
        row_total = 0
        for c, col in enumerate(cols):
            n = grid.get((name, col), 0)
            row_total += n
            x = x0 + c * cw
            tip = f"{name}, {month_label(col, True)}: {plural(n, 'article')}"
            fill = f'fill="{PALETTE[_shade(n, lows)]}"' if n else EMPTY
            out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{cw - 2}" height="{ch - 2}" rx="2" {fill}>'
                       f'<title>{text(tip)}</title></rect>')
            if n and n < 100:
                ink = INK[_shade(n, lows)]
                out.append(f'<text x="{_n(x + (cw - 2) / 2)}" y="{_n(y + 12)}" font-size="9.5" '
                           f'text-anchor="middle" fill="{ink}" pointer-events="none">{n}</text>')
        out.append(f'<text x="{_n(x0 + len(cols) * cw + 8 + total_w / 2)}" y="{_n(y + 12.5)}" font-size="11" '
                   f'text-anchor="middle" fill="currentColor">{row_total}</text>')

    # legend
    lx = label_w
    out.append(f'<g font-size="10" fill="currentColor">'
               f'<text x="{_n(lx - 8)}" y="{_n(legend_y + 12)}" text-anchor="end">Articles</text>'
               f'<rect x="{_n(lx)}" y="{_n(legend_y)}" width="16" height="16" rx="2" {EMPTY}/>'
               f'<text x="{_n(lx + 20)}" y="{_n(legend_y + 12)}">0</text>')
    lx += 36
    for i, lab in enumerate(_legend_labels(lows, top) if top else []):
        colour = PALETTE[_shade(lows[i], lows)]
        out.append(f'<rect x="{_n(lx)}" y="{_n(legend_y)}" width="16" height="16" rx="2" fill="{colour}"/>'
                   f'<text x="{_n(lx + 20)}" y="{_n(legend_y + 12)}">{lab}</text>')
        lx += 20 + _text_w(lab, 10) + 14
    out.append("</g></svg>")
    return "".join(out)


def actor_month_table(rows: list[tuple[str, str]], months: list[str],
                      counts: dict[tuple[str, str], int]) -> str:
    """The heat map as a Markdown table; months (or years) nobody was active in are left out."""
    cols, by_year, rows, grid = _grid(rows, months, counts)
    active = [c for c in cols if any(grid.get((n, c), 0) for n, _ in rows)]
    if not rows or not active:
        return "No dated articles."
    head = ["Actor", *(month_label(c) for c in active), "Total"]
    lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(active) + 1)]
    for name, href in rows:
        link = safe_href(href)
        cell = f"[{md(name)}]({_md_href(link)})" if link else md(name)
        vals = [grid.get((name, c), 0) for c in active]
        lines.append("| " + " | ".join([cell, *map(str, vals), str(sum(vals))]) + " |")
    return "\n".join(lines) + "\n"


def _md_href(href: str) -> str:
    """A link target that cannot end a Markdown link or a table cell early."""
    return quote(href, safe="/#?=&.-_~%:+,;@!$*")


# ---------------------------------------------------------------- sparkline

def sparkline_svg(months: list[str], counts: dict[str, int], title: str) -> str:
    """One actor's articles per month as small bars, every month from first to last."""
    keys = list(months) + [k for k, v in counts.items() if v]
    cols = month_range(keys)
    vals = [max(0, int(counts.get(c, 0) or 0)) for c in cols]
    key = uid("sp", title, cols, vals)
    top = max(vals, default=0)
    n = len(cols)
    pitch = min(14.0, max(3.0, 480 / n)) if n else 14.0
    bar = pitch - (2 if pitch >= 6 else 1)
    chart_h, top_pad, bottom = 44, 16, 18
    width = max(200.0, 8 + n * pitch + 8)
    height = top_pad + chart_h + bottom
    if not n:
        desc = "No dated articles."
    else:
        peak = cols[vals.index(top)]
        active = sum(1 for v in vals if v)
        desc = (f"Articles per month from {month_label(cols[0], True)} to {month_label(cols[-1], True)} "
                f"({plural(n, 'month')}): {plural(sum(vals), 'article')} in {plural(active, 'active month')}"
                + (f"; the most was {top} in {month_label(peak, True)}." if top else "."))
    out = [open_svg(width, height, title, desc, key)]
    base = top_pad + chart_h
    out.append(f'<line x1="4" x2="{_n(width - 4)}" y1="{_n(base + 0.5)}" y2="{_n(base + 0.5)}" '
               f'stroke="currentColor" stroke-opacity="0.35"/>')
    for i, (c, v) in enumerate(zip(cols, vals)):
        x = 8 + i * pitch
        h = chart_h * v / top if top and v else 0
        tip = text(f"{month_label(c, True)}: {plural(v, 'article')}")
        if v:
            out.append(f'<rect x="{_n(x)}" y="{_n(base - h)}" width="{_n(bar)}" height="{_n(h)}" '
                       f'fill="{PALETTE[3]}"><title>{tip}</title></rect>')
        else:  # zero months are drawn as a faint stub, with a tooltip all the same
            out.append(f'<rect x="{_n(x)}" y="{_n(base - 2)}" width="{_n(bar)}" height="2" '
                       f'fill="currentColor" fill-opacity="0.3"><title>{tip}</title></rect>')
    if n:
        first, last = month_label(cols[0]), month_label(cols[-1])
        span = n * pitch - (pitch - bar)
        out.append(f'<g font-size="10" fill="currentColor">')
        if n > 1 and span >= _text_w(first, 10) + _text_w(last, 10) + 12:
            out.append(f'<text x="8" y="{_n(base + 13)}">{first}</text>'
                       f'<text x="{_n(8 + span)}" y="{_n(base + 13)}" text-anchor="end">{last}</text>')
        else:
            out.append(f'<text x="8" y="{_n(base + 13)}">{first}{" – " + last if n > 1 else ""}</text>')
        out.append(f'<text x="8" y="11" fill-opacity="0.8">peak {top} · {month_label(cols[vals.index(top)])}</text></g>')
    out.append("</svg>")
    return "".join(out)
