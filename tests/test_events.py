"""digest.extract.events: event types and casualty counts of the main event."""
from __future__ import annotations

import pytest

from digest.analyse import analyse
from digest.extract.events import casualties, event_types
from digest.ingest import parse


# --- event types ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("A drone strike hit a car in eastern Baghdad.", ["airstrike"]),
    ("US drone strikes killed two commanders.", ["airstrike"]),
    ("US warplanes struck militia positions near Albu Kamal.", ["airstrike"]),
    ("The Pentagon confirmed the air strike.", ["airstrike"]),
    ("Rockets and drones targeted the base.", ["rocket", "drone"]),
    ("Katyusha rockets landed near the embassy.", ["rocket"]),
    ("Mortar shells fell inside the compound.", ["rocket"]),
    ("Iran fired ballistic missiles at Erbil.", ["missile"]),
    ("A one-way attack drone hit the outpost.", ["drone"]),
    ("A roadside bomb struck a logistics convoy.", ["IED"]),
    ("The convoy was hit by two improvised explosive devices.", ["IED"]),
    ("Gunmen opened fire on the checkpoint.", ["small arms"]),
    ("Protesters stormed the embassy compound and set fire to a reception area.", ["storming"]),
    ("Officials met to discuss the withdrawal of foreign forces.", []),
])
def test_event_types(text, expected):
    assert event_types([text]) == expected


def test_drone_strike_is_an_airstrike_only():
    types = event_types(["A US drone strike killed a commander.", "The drone strike was the third this month."])
    assert types == ["airstrike"]
    assert "drone" not in types


def test_drone_strike_and_a_separate_drone_attack_are_both_counted():
    assert sorted(event_types(["The drone strike came hours after a drone attack on the base."])) == \
        ["airstrike", "drone"]


def test_each_type_listed_once_across_sentences():
    types = event_types(["Rockets hit the base.", "More rockets followed.", "Then a drone attacked."])
    assert types == ["rocket", "drone"]


# --- casualties ---------------------------------------------------------------------------------

def test_killing_three_and_wounding_more_than_forty():
    assert casualties(["A drone struck the outpost, killing three US soldiers and wounding more than 40, "
                       "officials said."]) == {"killed": 3, "wounded": 40}


@pytest.mark.parametrize("text, killed, wounded", [
    ("Five people were killed and 12 wounded.", 5, 12),
    ("The blast killed 1,200 people.", 1200, None),
    ("The strike killed at least 17 fighters.", 17, None),
    ("Rockets slammed into the base, wounding two coalition personnel.", None, 2),
    ("The attack injured some 25 civilians.", None, 25),
    ("An American contractor was killed.", 1, None),
    ("The attack caused no casualties.", None, None),
    ("Several soldiers were wounded.", None, None),       # no number stated
    ("Two personnel sustained minor injuries.", None, None),
])
def test_casualty_counts(text, killed, wounded):
    assert casualties([text]) == {"killed": killed, "wounded": wounded}


def test_first_sentence_with_a_count_wins():
    out = casualties(["The attack killed four soldiers.", "A later strike killed nine."])
    assert out["killed"] == 4


@pytest.mark.parametrize("text, expected", [
    ("The rocket left a large crater near the runway.", {"killed": None, "wounded": None}),
    ("The strike left 2 people wounded.", {"killed": None, "wounded": 2}),
])
def test_left_is_not_killed(text, expected):
    assert casualties([text]) == expected


def test_a_year_is_not_a_casualty_count():
    text = "In December 2019 an American contractor was killed in a rocket attack near Kirkuk."
    assert casualties([text])["killed"] == 1


# --- through analyse: only the main event counts ----------------------------------------------------

def run(body: str):
    front = "---\ntitle: Drone kills three US soldiers in Jordan\nsource: The Tigris Ledger\npublished: 2024-01-28\n---\n"
    return analyse(parse((front + body).encode("utf-8"), "story.md"))


def test_main_event_types_and_casualties():
    art = run("A one-way attack drone struck Tower 22, a US outpost in Jordan, on Sunday, killing three US "
              "soldiers and wounding more than 40, US officials said.\n"
              "The Islamic Resistance in Iraq claimed the drone attack in a statement on Telegram.\n"
              "On October 17, 2023, rockets fired at Ain al-Asad air base killed a contractor, officials said.\n")
    assert art.event_types == ("drone",)
    assert (art.killed, art.wounded) == (3, 40)
    assert [b["date"]["value"] for b in art.background] == ["2023-10-17"]
    assert art.background[0]["event_types"] == ["rocket"]


def test_drone_strike_article_is_an_airstrike():
    art = run("A US drone strike hit a car in eastern Baghdad on Sunday, killing two commanders of an "
              "Iran-backed militia, officials said.\n"
              "Witnesses said the drone strike set the vehicle ablaze on a busy street near the university.\n")
    assert art.event_types == ("airstrike",)
    assert art.killed == 2
