"""Grouping reports into incidents: one entry per attack across outlets, disagreements said."""
import datetime as dt
import pickle
from dataclasses import replace
from pathlib import Path

from digest.analyse import analyse
from digest.group import events, sort_key, unique_event_ids
from digest.ingest import read
from digest.model import UNKNOWN_DATE, DateValue

EVAL = Path(__file__).parent / "eval" / "articles"


def article(name):
    return analyse(read(EVAL / name, EVAL))


def test_two_outlets_reporting_one_attack_make_one_incident():
    same_day = article("19_embassy_rockets_sameday.html")
    next_day = article("20_embassy_rockets_nextday.txt")
    assert same_day.source != next_day.source
    evts = unique_event_ids(events([same_day, next_day]))
    main = [e for e in evts if not e.background]
    assert len(main) == 1
    assert set(main[0].articles) == {same_day.id, next_day.id}
    assert len(main[0].outlets) == 2


def test_reports_a_day_apart_are_one_incident_and_two_days_apart_are_two():
    """Whichever report comes first, by day or in the list (events() looks only at the day
    before a report: no later day is grouped yet)."""
    a, b = article("19_embassy_rockets_sameday.html"), article("20_embassy_rockets_nextday.txt")
    for day_a, day_b, incidents in [("2024-01-05", "2024-01-06", 1), ("2024-01-06", "2024-01-05", 1),
                                    ("2024-01-05", "2024-01-07", 2), ("2024-01-07", "2024-01-05", 2)]:
        x = replace(a, event_date=DateValue(day_a, "day", day_a))
        y = replace(b, event_date=DateValue(day_b, "day", day_b))
        for order in ([x, y], [y, x]):
            main = [e for e in events(order) if not e.background]
            assert len(main) == incidents, (day_a, day_b)
            assert sorted(aid for e in main for aid in e.articles) == sorted([a.id, b.id])


def test_attacks_on_one_base_day_after_day_do_not_chain_into_one_incident():
    """Each report joins an incident within a day of that incident's first report, not of its
    latest: ten daily attacks on one base are five incidents of two days, not one of ten."""
    a = article("19_embassy_rockets_sameday.html")
    days = [f"2024-01-{d:02d}" for d in range(5, 15)]
    daily = [replace(a, id=f"{a.id}-{d}", event_date=DateValue(d, "day", d)) for d in days]
    main = [e for e in events(daily) if not e.background]
    assert len(main) == 5
    for e in main:
        first, last = min(e.articles), max(e.articles)
        assert (dt.date.fromisoformat(last[-10:]) - dt.date.fromisoformat(first[-10:])).days <= 1
    assert sorted(aid for e in main for aid in e.articles) == sorted(x.id for x in daily)


def test_different_attacks_stay_apart():
    embassy = article("19_embassy_rockets_sameday.html")
    tower = article("15_tabloid_tower22_casualties.txt")
    evts = [e for e in events([embassy, tower]) if not e.background]
    assert len(evts) == 2


def test_disagreement_on_casualties_and_claim_is_said():
    a = article("19_embassy_rockets_sameday.html")
    b = replace(article("20_embassy_rockets_nextday.txt"), killed=2)
    a = replace(a, killed=0)
    (main,) = [e for e in events([a, b]) if not e.background]
    assert any(d.startswith("killed:") and "0" in d and "2" in d for d in main.disagreements)


def test_event_ids_are_stable_when_unrelated_articles_are_added():
    a = article("19_embassy_rockets_sameday.html")
    before = {e.id for e in unique_event_ids(events([a]))}
    after = {e.id for e in unique_event_ids(events([a, article("15_tabloid_tower22_casualties.txt")]))}
    assert before <= after


def test_the_sort_key_kept_with_an_article_is_the_one_its_fields_give():
    a = article("19_embassy_rockets_sameday.html")
    first = sort_key(a)
    assert first == (False, a.event_date.value, a.id) and sort_key(a) is first  # made once
    undated = replace(a, event_date=UNKNOWN_DATE, published=UNKNOWN_DATE)  # a new article: its own key
    assert sort_key(undated) == (True, "", a.id) and sort_key(a) == first
    assert pickle.loads(pickle.dumps(undated)) == undated
