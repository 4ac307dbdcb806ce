"""digest/geo.py and the bundled outline: a static event map, no network."""
import json
import xml.etree.ElementTree as ET
from importlib import resources

from digest.geo import BOX, MAP_H, MAP_W, map_svg, outline, project, split_points

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>"
INJECT = '" onload="x'
POINTS = [
    {"name": "Baghdad", "lat": 33.31, "lon": 44.37, "precision": "town", "count": 4, "href": "../baghdad/"},
    {"name": "Ain al-Asad", "lat": 33.8, "lon": 42.44, "precision": "site", "count": 1, "href": "../asad/"},
    {"name": "Anbar", "lat": 33.4, "lon": 42.0, "precision": "region", "count": 2, "href": "../anbar/"},
    {"name": "Iraq", "lat": 33.0, "lon": 44.0, "precision": "country", "count": 9, "href": "../iraq/"},
    {"name": "Red Sea", "lat": 20.0, "lon": 38.0, "precision": "region", "count": 1, "href": "../red-sea/"},
    {"name": "Nowhere", "lat": None, "lon": None, "precision": "town", "count": 1, "href": "../n/"},
    {"name": HOSTILE, "lat": 36.19, "lon": 44.01, "precision": "town", "count": 2, "href": INJECT},
]


def test_outline_bundled_and_in_box():
    raw = resources.files("digest").joinpath("data/outline.json")
    assert len(raw.read_bytes()) < 150_000
    data = json.loads(raw.read_text("utf-8"))
    src = data["_source"]
    assert "world-atlas" in src["package"] and src["version"] and "public domain" in src["licence"]
    by_name = {c["name"]: c for c in outline()["countries"]}
    for name in ("Iraq", "Syria", "Jordan"):
        c = by_name[name]
        assert c["focus"] and c["rings"]
        pts = [p for ring in c["rings"] for p in ring]
        assert len(pts) > 30
        assert all(BOX[0] <= lon <= BOX[2] and BOX[1] <= lat <= BOX[3] for lon, lat in pts), name
    assert {"Turkey", "Iran", "Saudi Arabia", "Kuwait"} <= set(by_name)


def test_split_points():
    drawable, rest = split_points(POINTS)
    assert [p["name"] for p in drawable] == ["Baghdad", HOSTILE, "Anbar", "Ain al-Asad"]
    assert {p["name"]: p["reason"] for p in rest} == {
        "Iraq": "country", "Red Sea": "outside map", "Nowhere": "no coordinates"}
    assert "reason" not in POINTS[3]  # the caller's dicts are not changed


def test_map_svg():
    svg = map_svg(POINTS, "Events <map>")
    assert "\n\n" not in svg
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    t, d = root.get("aria-labelledby").split()
    assert root.find(f"{NS}title").get("id") == t and root.find(f"{NS}desc").get("id") == d
    assert root.find(f"{NS}title").text == "Events <map>"
    links = list(root.iter(NS + "a"))
    assert len(links) == 4
    assert sum(1 for a in links for _ in a.iter(NS + "circle")) == 4
    tips = {a.find(NS + "title").text for a in links}
    assert tips == {"Baghdad: 4 events", "Ain al-Asad: 1 event", f"{HOSTILE}: 2 events",
                    "Anbar (approximate location, region level): 2 events"}
    assert "Iraq: 9 events" not in svg and "Red Sea" not in svg
    assert {a.get("href") for a in links} == {"../baghdad/", "../asad/", "../anbar/", '"%20onload="x'}
    assert len(root.findall(f".//{NS}path")) == len(outline()["countries"])
    assert "not drawn" in root.find(f"{NS}desc").text


def test_map_escapes_hostile_text():
    svg = map_svg(POINTS, HOSTILE)
    assert "<script" not in svg.lower() and 'onload="' not in svg
    for el in ET.fromstring(svg).iter():
        assert not any(k.lower().startswith("on") for k in el.attrib)
    bad = map_svg([{"name": "x", "lat": 33, "lon": 44, "precision": "town", "count": 1,
                    "href": "javascript:alert(1)"}], "t")
    assert "javascript" not in bad


def test_map_deterministic():
    assert map_svg(POINTS, "t") == map_svg(list(reversed(POINTS)), "t")
    assert map_svg([], "t") == map_svg([], "t")
    ET.fromstring(map_svg([], "t"))


def test_projection_corners():
    assert project(BOX[0], BOX[3]) == (0, 0)
    x, y = project(BOX[2], BOX[1])
    assert abs(x - MAP_W) < 1e-6 and abs(y - MAP_H) < 1e-6
