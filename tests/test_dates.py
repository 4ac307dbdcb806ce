"""digest.extract.dates (date expressions) and digest.extract.dating (which date is which).

Weekdays used below, from the calendar: 5 Nov 2023 Sunday, 11 May 2023 Thursday,
25 Feb 2021 Thursday, 22 Feb 2021 Monday, 19 Feb 2021 Friday, 8 Feb 2024 Thursday,
2 Aug 2024 Friday, 3 Mar 2024 Sunday, 16 Feb 2020 Sunday.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from digest.clean import clean
from digest.extract.dates import find, from_url
from digest.extract.dating import date_articles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def one(text: str):
    found = find(text)
    assert len(found) == 1, found
    return found[0]


def ymd(m):
    return (m.year, m.month, m.day)


# --- find: one expression at a time --------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Posted 2020-02-16T14:38:27+00:00 by staff", (2020, 2, 16)),
    ("2021-03-03T10:00:00Z", (2021, 3, 3)),
    ("2019-12-31", (2019, 12, 31)),
])
def test_iso_timestamps(text, expected):
    m = one(text)
    assert (m.kind, ymd(m)) == ("iso", expected)
    assert m.alt is None


@pytest.mark.parametrize("text, expected", [
    ("29 Dec 2020 | 03:49 PM UTC", (2020, 12, 29)),
    ("31 December 2019, 14:00", (2019, 12, 31)),
    ("29th January 2024", (2024, 1, 29)),
    ("the 3rd of March 2024", (2024, 3, 3)),
])
def test_day_month_year(text, expected):
    m = one(text)
    assert (m.kind, ymd(m)) == ("dmy", expected)


def test_month_day_year():
    m = one("Sept. 11, 2001")
    assert (m.kind, ymd(m)) == ("mdy", (2001, 9, 11))


def test_weekday_before_the_date_is_attached_to_it():
    m = one("Thursday, 25 February 2021")
    assert ymd(m) == (2021, 2, 25)
    assert m.weekday == 3  # Thursday


def test_weekday_after_the_date_is_attached_to_it():
    m = one("| 3 March 2024, Sunday |")
    assert ymd(m) == (2024, 3, 3)
    assert m.weekday == 6  # Sunday


def test_weekday_after_a_word_is_attached_to_the_date():
    m = one("Updated Sunday | 3 March 2024")
    assert (ymd(m), m.weekday) == ((2024, 3, 3), 6)


def test_dotted_numeric_date_with_only_one_reading():
    m = one("28.12.2019")
    assert (m.kind, ymd(m), m.alt) == ("num", (2019, 12, 28), None)


def test_dashed_numeric_date_keeps_both_readings():
    m = one("05-11-2023")
    assert m.kind == "num" and m.year == 2023
    assert {(m.month, m.day), m.alt} == {(11, 5), (5, 11)}


@pytest.mark.parametrize("text, month, day", [("on Dec. 29 rockets fell", 12, 29),
                                              ("On January 12, a convoy", 1, 12),
                                              ("Oct. 7.", 10, 7)])
def test_month_day_without_year(text, month, day):
    m = one(text)
    assert (m.kind, m.year, m.month, m.day) == ("md", None, month, day)


def test_last_month_name():
    m = one("since last October")
    assert (m.kind, m.year, m.month, m.day) == ("lastmon", None, 10, None)


@pytest.mark.parametrize("text, kind, month", [("in early March", "mon", 3), ("mid-October", "mon", 10),
                                               ("in March 2024", "my", 3)])
def test_month_only(text, kind, month):
    m = one(text)
    assert (m.kind, m.month, m.day) == (kind, month, None)


@pytest.mark.parametrize("text, weekday", [("attacked on Sunday", 6), ("Friday morning", 4),
                                           ("Monday night", 0), ("last Friday", 4)])
def test_relative_weekdays(text, weekday):
    m = one(text)
    assert (m.kind, m.weekday, m.year, m.month, m.day) == ("rel", weekday, None, None, None)
    assert text.endswith(m.text)


def test_yesterday():
    m = one("Rockets fell yesterday.")
    assert (m.kind, m.word) == ("day", "yesterday")


@pytest.mark.parametrize("text", ["it may rain", "they march on the capital", "troops march 5 miles",
                                  "2020-13-45", "5,000 people", "about 2,500 troops", "Tower 22"])
def test_not_dates(text):
    assert find(text) == []


def test_several_dates_in_order_with_offsets():
    text = "Between Nov. 24 and Dec. 1, 2023, and again on 28.12.2023, attacks continued."
    found = find(text)
    assert [(m.month, m.day) for m in found] == [(11, 24), (12, 1), (12, 28)]
    assert found[1].year == 2023
    for m in found:
        assert text[m.pos:m.pos + len(m.text)] == m.text


# --- dates in URLs ---------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("https://news.example/2021/02/16/rockets-hit-erbil", (2021, 2, 16)),
    ("https://news.example/archives/2022/06/01/story-title", (2022, 6, 1)),
    ("https://news.example/20240207-drones", (2024, 2, 7)),
])
def test_url_dates(url, expected):
    (m,) = from_url(url)
    assert ymd(m) == expected
    assert m.alt is None


def test_url_year_month_only():
    (m,) = from_url("https://news.example/2023/10/drone-attack")
    assert (m.kind, m.year, m.month, m.day) == ("url-month", 2023, 10, None)


def test_url_slug_prefix_keeps_both_readings():
    (m,) = from_url("https://news.example/news/08022024-drones-hit-base")
    assert m.year == 2024
    assert {(m.month, m.day), m.alt} == {(2, 8), (8, 2)}


@pytest.mark.parametrize("url", ["", "https://news.example/news/story-123", "https://2021.example/a"])
def test_url_without_a_date(url):
    assert from_url(url) == []


# --- date_articles, driven through clean() as analyse.py does --------------------------------

HEADLINE = "Rockets hit base hosting US troops in Iraq"
REST = ("The base has been targeted several times this year by Iran-aligned armed groups "
        "that want foreign forces to leave.")


def dating(*lines: str, meta: dict | None = None, kind: str = "txt"):
    c = clean("\n".join(lines) + "\n")
    return date_articles(c.title, c.before_title, c.after_title, c.paragraphs, c.is_list, meta or {}, kind,
                         c.meta_lines)


def attack(when: str) -> str:
    return f"Two rockets struck a base hosting US troops in western Iraq {when}, causing no casualties, officials said."


@pytest.mark.parametrize("weekday, expected", [("on Sunday", "2023-11-05"), ("on Thursday", "2023-05-11")])
def test_day_month_order_decided_by_a_weekday_in_the_text(weekday, expected):
    d = dating(HEADLINE, "05-11-2023", attack(weekday), REST)
    assert (d.published.value, d.published.precision) == (expected, "day")
    assert d.published.inferred
    assert d.event.value == expected
    assert d.month == expected[:7]


def test_weekday_printed_with_the_date_beats_one_in_the_text():
    d = dating(HEADLINE, "Thursday, 05-11-2023", attack("on Sunday"), REST)
    assert d.published.value == "2023-05-11"
    assert d.event.value == "2023-05-07"  # the Sunday before Thursday 11 May


@pytest.mark.parametrize("weekday, expected", [("on Thursday", "2024-02-08"), ("on Friday", "2024-08-02")])
def test_url_slug_order_decided_by_weekday(weekday, expected):
    d = dating(HEADLINE, attack(weekday), REST, meta={"url": "https://news.example/news/08022024-drones"})
    assert d.published.value == expected
    assert d.event.value == expected


def test_ambiguous_order_without_evidence_is_not_guessed():
    d = dating(HEADLINE, "05-11-2023", attack("in the night"), REST)
    assert (d.published.value, d.published.precision) == ("2023", "year")
    assert d.month is None
    assert "2023" in d.undated_reason
    assert any("could be" in w for w in d.warnings)


@pytest.mark.parametrize("when, expected", [("on Monday", "2021-02-22"), ("on Monday night", "2021-02-22"),
                                            ("last Friday", "2021-02-19"), ("yesterday", "2021-02-24"),
                                            ("on Thursday", "2021-02-25"), ("last Thursday", "2021-02-18")])
def test_relative_day_resolved_against_the_dateline(when, expected):
    d = dating(HEADLINE, "Thursday, 25 February 2021", attack(when), REST)
    assert (d.published.value, d.published.inferred) == ("2021-02-25", False)
    assert (d.event.value, d.event.precision, d.event.inferred) == (expected, "day", True)
    assert "2021-02-25" in d.event.evidence


def test_relative_day_resolved_against_front_matter_date():
    d = dating(HEADLINE, attack("on Monday"), REST, meta={"published": "2021-02-25"})
    assert d.event.value == "2021-02-22"


def test_relative_day_without_a_dateline_is_never_resolved_against_today():
    d = dating(HEADLINE, attack("on Monday night"), REST)
    assert d.event.value is None
    assert d.month is None
    assert "on Monday night" in d.undated_reason
    assert str(dt.date.today().year) not in (d.event.evidence or "")


def test_year_inferred_from_an_explicit_year_in_the_article():
    d = dating(HEADLINE, "Militias attacked US forces on April 21, officials said, two months after "
                         "they halted attacks in February 2024 under pressure.", REST)
    assert d.published.value is None
    assert (d.event.value, d.event.precision, d.event.inferred) == ("2024-04-21", "day", True)
    assert "February 2024" in d.event.evidence
    assert d.month == "2024-04"
    assert any("inferred" in w for w in d.warnings)


def test_year_inferred_rolls_over_after_an_earlier_explicit_month():
    d = dating(HEADLINE, "A convoy came under attack on January 12, the first such attack since "
                         "the new government took office in October 2022.", REST)
    assert d.event.value == "2023-01-12"
    assert d.event.inferred


def test_yearless_date_just_before_a_new_year_dateline():
    d = dating(HEADLINE, attack("on Dec. 29"), REST, meta={"published": "2020-01-02"})
    assert d.event.value == "2019-12-29"


def test_last_month_name_is_before_the_dateline():
    d = dating(HEADLINE, attack("last October"), REST, meta={"published": "2023-01-15"})
    assert (d.event.value, d.event.precision) == ("2022-10", "month")


BANNER = ("| 3 March 2024, Sunday |", "The Desert Courier")


def test_banner_above_the_headline_is_not_the_dateline():
    d = dating(*BANNER, HEADLINE, "By John Smith", attack("on Friday"), REST)
    assert d.published.value is None
    assert d.event.value is None  # 'on Friday' has nothing to be resolved against
    assert d.month is None


def test_banner_only_bounds_the_year_of_a_yearless_date():
    d = dating(*BANNER, HEADLINE, "By John Smith", attack("on February 28"), REST)
    assert d.published.value is None
    assert d.event.value == "2024-02-28"
    assert d.event.inferred


def test_donation_bar_month_is_not_the_date():
    d = dating("0 $", "2,500 $", "JUNE 2023", HEADLINE, "Support The Desert Courier", attack("on Friday"), REST)
    assert d.published.value is None
    assert d.month is None


def test_no_evidence_gives_no_month_and_a_reason():
    d = dating(HEADLINE, attack("overnight"), REST)
    assert (d.published.value, d.event.value, d.month) == (None, None, None)
    assert d.undated_reason
    assert any(w.startswith("undated") for w in d.warnings)


def test_yearless_date_too_far_after_the_dateline_is_last_year():
    d = dating(HEADLINE, attack("on March 20"), REST, meta={"published": "2021-03-01"})
    # March 20 cannot be after 1 March 2021 (+7 days slack), so it is the previous year's
    assert d.event.value == "2020-03-20"


def test_explicit_event_date_after_publication_is_dropped():
    d = dating(HEADLINE, attack("on 20 March 2021"), REST, meta={"published": "2021-03-01"})
    assert d.event.value is None
    assert d.month == "2021-03"  # filed by its publication date
    assert any("after the publication date" in w for w in d.warnings)


def test_key_takeaway_list_items_are_not_the_event():
    d = dating(HEADLINE, attack("with no date given"), "Key Takeaways:",
               "• Syria: Drones attacked a base hosting US forces on January 4, 2024 near the border.",
               meta={"published": "2024-01-10"})
    assert d.event.value is None
    assert d.month == "2024-01"  # filed by its publication date


# --- the seeds ---------------------------------------------------------------------------------

def seed_dating(stem: str):
    (path,) = SEEDS.glob(f"{stem}_*.txt")
    return dating(path.read_text(encoding="utf-8"))


def test_seed_iso_dateline_and_on_sunday_morning():
    d = seed_dating("001")
    assert (d.published.value, d.published.precision) == ("2020-02-16", "day")
    assert d.event.value == "2020-02-16"  # "On Sunday morning", and 16 Feb 2020 is a Sunday
    assert d.month == "2020-02"


def test_seed_day_first_dateline():
    d = seed_dating("002")
    assert d.published.value == "2023-11-05"
    assert d.month == "2023-11"


def test_seed_donation_banner_is_not_the_publication_date():
    d = seed_dating("000")
    assert d.published.value is None
    assert d.month == "2023-01"  # "On January 12"; never June 2023


def test_seed_year_from_february_2024():
    d = seed_dating("003")
    assert d.published.value is None
    assert d.month == "2024-04"
    assert d.event.inferred


def test_seed_without_any_year_is_undated():
    d = seed_dating("004")
    assert d.published.value is None
    assert d.month is None
    assert "Friday" in d.undated_reason


def test_long_s_and_other_case_folds_read_as_plain_letters():
    """re.I matches "ſ" as "s": such a date must be read, not crash the article."""
    from digest.extract.dates import find
    found = find("On ſunday, 3 ſeptember 2023, rockets hit the base.")
    assert [(m.year, m.month, m.day, m.weekday) for m in found if m.day] == [(2023, 9, 3, 6)]
