"""One-off converter: Natural Earth country outlines (TopoJSON from the npm package
`world-atlas`) -> digest/data/outline.json, the small bundled outline that digest/geo.py
draws under the event map. Not used at build or test time; kept so the file can be remade.

How it was run (from the project root):

    cd /tmp && mkdir -p wa && cd wa && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    cd /work/main && python3 tools/make_outline.py /tmp/wa/package/countries-50m.json \
        > digest/data/outline.json

What it does: decodes the quantized, delta-encoded arcs of the `countries` object, keeps
Iraq, Syria and Jordan whole (the "focus" countries) and the neighbours clipped to a box a
little larger than the map (lon 32..51, lat 27..40), simplifies every ring with
Douglas-Peucker (tolerance 0.01 degree, about 1 km: under a pixel on the map) and rounds
coordinates to 3 decimals. Standard library only.
"""
from __future__ import annotations

import json
import sys

VERSION = "2.0.2"
SCALE = "1:50m"
FOCUS = ("Iraq", "Syria", "Jordan")
NEIGHBOURS = ("Turkey", "Iran", "Saudi Arabia", "Kuwait", "Lebanon", "Israel", "Palestine",
              "Egypt", "Cyprus", "N. Cyprus")
MAP_BOX = (34.0, 29.0, 49.0, 38.0)  # lon_min, lat_min, lon_max, lat_max (digest/geo.py)
CLIP = (32.0, 27.0, 51.0, 40.0)
TOLERANCE = 0.01
# Hand-placed label anchors (lon, lat), inside each country and inside the map box.
LABELS = {
    "Iraq": (43.4, 33.1), "Syria": (38.6, 34.9), "Jordan": (36.9, 30.8),
    "Turkey": (38.8, 37.65), "Iran": (47.7, 34.6), "Saudi Arabia": (41.0, 29.6),
    "Kuwait": (47.6, 29.45), "Lebanon": None, "Israel": None, "Palestine": None,
    "Egypt": None, "Cyprus": None, "N. Cyprus": None,
}


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs, indexes: list[int]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for i in indexes:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return out


def polygons(geom: dict, arcs) -> list[list[list[tuple[float, float]]]]:
    if geom["type"] == "Polygon":
        return [[ring(arcs, r) for r in geom["arcs"]]]
    if geom["type"] == "MultiPolygon":
        return [[ring(arcs, r) for r in poly] for poly in geom["arcs"]]
    return []


def clip(points, box):
    """Sutherland-Hodgman clip of a closed ring to an axis-aligned box."""
    x0, y0, x1, y1 = box
    edges = [
        (lambda p: p[0] >= x0, lambda a, b: _cross_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _cross_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _cross_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _cross_y(a, b, y1)),
    ]
    out = list(points)
    for inside, cross in edges:
        src, out = out, []
        for i, cur in enumerate(src):
            prev = src[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
        if not out:
            break
    return out


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(points, tol):
    """Douglas-Peucker, iterative; keeps the first and last point."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        (ax, ay), (bx, by) = points[i], points[j]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, idx = -1.0, -1
        for k in range(i + 1, j):
            px, py = points[k]
            d = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if d > best:
                best, idx = d, k
        if idx > 0 and best > tol:
            keep[idx] = True
            stack += [(i, idx), (idx, j)]
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(points, tol):
    if points and points[0] == points[-1]:
        points = points[:-1]
    if len(points) < 4:
        return points
    # split the closed ring at its far point so both halves keep their shape
    far = max(range(len(points)), key=lambda k: (points[k][0] - points[0][0]) ** 2 + (points[k][1] - points[0][1]) ** 2)
    a = simplify(points[:far + 1], tol)
    b = simplify(points[far:] + [points[0]], tol)
    return a[:-1] + b[:-1]


def main(path: str) -> None:
    topo = json.load(open(path, encoding="utf-8"))
    arcs = decode_arcs(topo)
    countries = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom.get("properties", {}).get("name")
        if name not in FOCUS + NEIGHBOURS:
            continue
        rings = []
        for poly in polygons(geom, arcs):
            for r in poly:
                pts = r if name in FOCUS else clip(r, CLIP)
                pts = simplify_ring(pts, TOLERANCE)
                pts = [[round(x, 3), round(y, 3)] for x, y in pts]
                pts = [p for k, p in enumerate(pts) if k == 0 or p != pts[k - 1]]
                if len(pts) >= 3:
                    rings.append(pts)
        if rings:
            countries.append({"name": name, "id": geom.get("id"), "focus": name in FOCUS,
                              "label": list(LABELS[name]) if LABELS.get(name) else None, "rings": rings})
    countries.sort(key=lambda c: (not c["focus"], c["name"]))
    out = {
        "_source": {
            "package": "world-atlas (npm)", "version": VERSION, "file": "countries-50m.json",
            "data": f"Natural Earth Admin 0 countries, {SCALE} medium scale, version 4.1.0",
            "licence": "Natural Earth data: public domain. world-atlas packaging: ISC.",
            "processing": "tools/make_outline.py: neighbours clipped to lon 32..51, lat 27..40; "
                          "Douglas-Peucker 0.01 degree; 3 decimals. Coordinates are [lon, lat].",
        },
        "map_box": list(MAP_BOX),
        "countries": countries,
    }
    json.dump(out, sys.stdout, separators=(",", ":"), sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
