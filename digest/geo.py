"""A static SVG map of event locations over a bundled outline of Iraq, Syria and Jordan.

The outline (digest/data/outline.json, Natural Earth via the npm package world-atlas, see
digest/data/OUTLINE_SOURCE.md) is read from the package data: no network at build time.
Equirectangular projection of lon 34..49, lat 29..38, with the standard parallel at the
box's middle latitude so shapes are not stretched. Points known only to country level are
never drawn as if they were exact; neither are points outside the box or without
coordinates: `split_points` hands them back for the caller to list in a table.

Output is deterministic and on one line; wrap it with `digest.charts.figure` to place it in
Markdown (see digest/charts.py for why).
"""
from __future__ import annotations

import functools
import json
import math
from importlib import resources

from .charts import _n, _text_w, attr, open_svg, plural, safe_href, text, uid

BOX = (34.0, 29.0, 49.0, 38.0)  # lon_min, lat_min, lon_max, lat_max
PX_PER_DEG = 52.0
COS = math.cos(math.radians((BOX[1] + BOX[3]) / 2))
MAP_W = (BOX[2] - BOX[0]) * PX_PER_DEG * COS
MAP_H = (BOX[3] - BOX[1]) * PX_PER_DEG
LEGEND_H = 48
DOT = "#d7301f"
HALO = "stroke:var(--md-default-bg-color,#ffffff)"
EXACT = ("site", "town")
MAX_LABELS = 14


@functools.lru_cache(maxsize=1)
def outline() -> dict:
    """The bundled country outlines: {"_source", "map_box", "countries": [{name, focus, label, rings}]}."""
    return json.loads(resources.files(__package__).joinpath("data/outline.json").read_text("utf-8"))


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon - BOX[0]) * PX_PER_DEG * COS, (BOX[3] - lat) * PX_PER_DEG


def _coord(value) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _count(p: dict) -> int:
    try:
        return max(1, int(p.get("count") or 1))
    except (TypeError, ValueError):
        return 1


def _order(p: dict):
    return (-_count(p), str(p.get("name", "")), str(p.get("lat")), str(p.get("lon")), str(p.get("href")))


def split_points(points: list[dict]) -> tuple[list[dict], list[dict]]:
    """(drawable, not drawn). Drawable: site, town or region precision with coordinates
    inside the box. The rest comes back as copies with a "reason": "country" (known only
    to country level), "outside map", "no coordinates" or "unknown precision"."""
    drawable, rest = [], []
    for p in sorted(points, key=_order):
        lat, lon = _coord(p.get("lat")), _coord(p.get("lon"))
        precision = p.get("precision")
        if precision == "country":
            reason = "country"
        elif precision not in EXACT + ("region",):
            reason = "unknown precision"
        elif lat is None or lon is None:
            reason = "no coordinates"
        elif not (BOX[0] <= lon <= BOX[2] and BOX[1] <= lat <= BOX[3]):
            reason = "outside map"
        else:
            drawable.append(p)
            continue
        rest.append({**p, "reason": reason})
    return drawable, rest


def _radius(count: int) -> float:
    return min(16.0, 3.0 + 2.2 * math.sqrt(count))


def _path(rings) -> str:
    parts = []
    for ring in rings:
        pts = [project(lon, lat) for lon, lat in ring]
        parts.append("M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in pts) + "Z")
    return "".join(parts)


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def map_svg(points: list[dict], title: str) -> str:
    """The event map. points: {"name", "lat", "lon", "precision", "count", "href"}."""
    drawable, rest = split_points(points)
    key = uid("map", title, [(_order(p), p.get("precision")) for p in drawable], len(rest))
    width, height = MAP_W, MAP_H + LEGEND_H
    regions = [p for p in drawable if p["precision"] == "region"]
    desc = (f"Map of Iraq, Syria, Jordan and their neighbours with {plural(len(drawable), 'place')} "
            f"where events were reported; a bigger circle means more events."
            + (f" {plural(len(regions), 'place')} known only to region level "
               f"{'is' if len(regions) == 1 else 'are'} drawn as large faint circles: approximate."
               if regions else "")
            + (f" {plural(len(rest), 'place')} {'is' if len(rest) == 1 else 'are'} not drawn "
               f"(known only to country level, or outside the map area)." if rest else ""))
    out = [open_svg(width, height, title, desc, key)]
    # the map area is a nested <svg>: it clips the outlines without needing an id
    out.append(f'<svg x="0" y="0" width="{_n(MAP_W)}" height="{_n(MAP_H)}" overflow="hidden">'
               f'<rect width="{_n(MAP_W)}" height="{_n(MAP_H)}" fill="#4a90c2" fill-opacity="0.14"/>')
    countries = outline()["countries"]
    for focus in (False, True):
        style = ('fill="currentColor" fill-opacity="0.13" stroke="currentColor" stroke-opacity="0.65" '
                 'stroke-width="1.1"' if focus else
                 'fill="currentColor" fill-opacity="0.05" stroke="currentColor" stroke-opacity="0.3" '
                 'stroke-width="0.7"')
        for c in countries:
            if c["focus"] == focus:
                out.append(f'<path d="{_path(c["rings"])}" {style} stroke-linejoin="round" '
                           f'fill-rule="evenodd"><title>{text(c["name"])}</title></path>')
    taken = []  # boxes of text and exact dots, for label placement
    out.append('<g fill="currentColor" text-anchor="middle" pointer-events="none" letter-spacing="1.5">')
    for c in countries:
        if c.get("label"):
            x, y = project(*c["label"])
            size = 13 if c["focus"] else 10
            name = c["name"].upper()
            w = _text_w(name, size) + len(name) * 1.5
            weight = ' font-weight="600"' if c["focus"] else ""
            out.append(f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" '
                       f'fill-opacity="{0.6 if c["focus"] else 0.45}"{weight}>{text(name)}</text>')
            taken.append((x - w / 2, y - size, x + w / 2, y + 2))
    out.append("</g>")

    # region (approximate) circles first, then exact dots, big ones under small ones
    for p in regions + [p for p in drawable if p["precision"] in EXACT]:
        x, y = project(_coord(p["lon"]), _coord(p["lat"]))
        n = _count(p)
        if p["precision"] == "region":
            r = max(20.0, _radius(n) * 1.8)
            tip = f"{p.get('name', '')} (approximate location, region level): {plural(n, 'event')}"
            shape = (f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{DOT}" fill-opacity="0.16" '
                     f'stroke="{DOT}" stroke-opacity="0.8" stroke-width="1.2" stroke-dasharray="4 3"/>')
        else:
            r = _radius(n)
            tip = f"{p.get('name', '')}: {plural(n, 'event')}"
            shape = (f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{DOT}" fill-opacity="0.85" '
                     f'stroke-width="1.2" style="{HALO}"/>')
            taken.append((x - r, y - r, x + r, y + r))
        link = safe_href(p.get("href"))
        body = f"<title>{text(tip)}</title>{shape}"
        out.append(f"<a href={attr(link)}>{body}</a>" if link else f"<g>{body}</g>")

    # labels for the busiest places, where they fit without overlapping anything
    labels = []
    for p in drawable:
        if len(labels) >= MAX_LABELS:
            break
        x, y = project(_coord(p["lon"]), _coord(p["lat"]))
        r = max(20.0, _radius(_count(p)) * 1.8) if p["precision"] == "region" else _radius(_count(p))
        name = " ".join(str(p.get("name", "")).split())
        name = name if len(name) <= 24 else name[:23] + "…"
        w, h = _text_w(name, 11), 11
        for lx, ly, anchor in ((x + r + 3, y + 4, "start"), (x - r - 3, y + 4, "end"),
                               (x, y - r - 4, "middle"), (x, y + r + 12, "middle")):
            left = lx if anchor == "start" else lx - w if anchor == "end" else lx - w / 2
            box = (left - 1, ly - h, left + w + 1, ly + 3)
            if box[0] < 2 or box[2] > MAP_W - 2 or box[1] < 2 or box[3] > MAP_H - 2:
                continue
            if any(_overlaps(box, t) for t in taken):
                continue
            taken.append(box)
            labels.append(f'<text x="{_n(lx)}" y="{_n(ly)}" text-anchor="{anchor}">{text(name)}</text>')
            break
    if labels:
        out.append(f'<g font-size="11" fill="currentColor" pointer-events="none" paint-order="stroke" '
                   f'stroke-width="3" stroke-linejoin="round" style="{HALO}">' + "".join(labels) + "</g>")
    out.append(f'<rect width="{_n(MAP_W)}" height="{_n(MAP_H)}" fill="none" stroke="currentColor" '
               f'stroke-opacity="0.35"/></svg>')

    # legend
    y = MAP_H + 26
    top = max((_count(p) for p in drawable), default=1)
    sizes = sorted({1, top} | ({round(top / 2)} if top >= 6 else set()))
    out.append('<g font-size="11" fill="currentColor">')
    x = 8.0
    for s in sizes:
        r = _radius(s)
        out.append(f'<circle cx="{_n(x + r)}" cy="{_n(y)}" r="{_n(r)}" fill="{DOT}" fill-opacity="0.85"/>'
                   f'<text x="{_n(x + 2 * r + 4)}" y="{_n(y + 4)}">{plural(s, "event")}</text>')
        x += 2 * r + 10 + _text_w(plural(s, "event"), 11) + 12
    out.append(f'<circle cx="{_n(x + 11)}" cy="{_n(y)}" r="11" fill="{DOT}" fill-opacity="0.16" stroke="{DOT}" '
               f'stroke-opacity="0.8" stroke-dasharray="4 3"/><text x="{_n(x + 26)}" y="{_n(y + 4)}">'
               f'region (approximate)</text>')
    x += 26 + _text_w("region (approximate)", 11) + 16
    if rest:
        out.append(f'<text x="{_n(x)}" y="{_n(y + 4)}" fill-opacity="0.8">'
                   f'{plural(len(rest), "place")} not drawn: see the table</text>')
    out.append("</g></svg>")
    return "".join(out)
