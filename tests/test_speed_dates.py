"""dates.find skips the patterns whose words a text lacks (dates._gates): a speed-up that must
never change what is found. Compared here against running every pattern on every text."""
from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.extract import dates

# Date words in odd spellings and cases, and the non-ASCII letters re.I folds to ASCII ones
# ("ſ" is an s, "K" (Kelvin) a k, "İ" and "ı" are i), among ordinary words and digits.
PIECES = [
    "Monday", "TUESDAY", "wednesday", "Friday", "ſunday", "ſaturday", "Frıday", "FRİDAY", "on", "last", "this",
    "morning", "night", "last night", "tonight", "yesterday", "toDAY", "yeſterday", "thiſ morning", "laſt night",
    "Jan", "January", "Feb.", "March", "march", "May", "may", "June", "Jul", "Aug.", "Sept.", "ſeptember", "ſep",
    "Oct", "Nov", "December", "of", "in", "since", "during", "year", "early", "mid", "late",
    "2024", "1999", "2019-12-31", "2019-12-31T10:00Z", "3/4/2021", "12.11.2020", "٢٠٢٤", "20٢٤", "19", "20",
    "3rd", "21st", "31", "7", "percent", "troops", "attack", "the", "said", "Baghdad", "Erbil", "’", "“", "—", "•", "©",
]
SEPARATORS = [" ", ", ", ". ", "-", " | ", "\n", "", "\u00a0"]

texts = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=12).map(
    lambda parts: "".join(p + s for p, s in parts))


def outcome(text: str):
    """find's result, or its exception (a month or weekday spelt with "ſ" is not in
    _MON or WEEKDAYS)."""
    try:
        return dates.find(text)
    except (KeyError, ValueError) as exc:
        return repr(exc)


def ungated(text: str):
    with mock.patch.object(dates, "_gates", lambda t, low: set(dates._GATES)):
        return outcome(text)


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_gates_never_change_what_is_found(text):
    assert outcome(text) == ungated(text)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(sorted(set("".join(PIECES) + "0123456789 ,.-/:ſKİı٢٤"))), max_size=40))
def test_gates_on_scrambled_text(text):
    assert outcome(text) == ungated(text)


def test_every_pattern_has_its_gates():
    assert set(dates._NEEDS) == {kind for kind, _ in dates.PATTERNS}
    assert set(dates._HINTS) == set(dates._GATES)


def test_non_ascii_case_folding_is_not_missed():
    for text in ["ſunday, 3 March 2024", "on ſaturday", "ſept. 4, 2021", "laſt night", "FRİDAY 12 May 2023"]:
        assert outcome(text) == ungated(text)
        assert outcome(text), text


def test_every_month_and_day_word_alone():
    months = [m for name in dates.MONTHS for m in (name.title(), name[:3].title(), name[:3].title() + ".", name.upper())] + ["Sept", "Sept."]
    words = dates.WEEKDAYS + ["yesterday", "today", "tonight", "this morning", "last night"]
    for text in [f"It happened {m} 4, 2021 there." for m in months] + [f"in {m}" for m in months] + \
            [f"It happened {w.title()} there." for w in words] + ["in 2021", "on 4/5/2021", "2021-02-03"]:
        assert outcome(text) == ungated(text), text
        assert outcome(text), text


@settings(max_examples=2000, deadline=None)
@given(texts)
def test_lowercase_search_yields_the_ignore_case_matches(text):
    for kind, words in dates._RX:
        assert words._lower is not None, kind
        assert [(m.span(), m.groupdict()) for m in words.finditer(text)] == \
            [(m.span(), m.groupdict()) for m in words.rx.finditer(text)], kind


@settings(max_examples=500, deadline=None)
@given(st.lists(texts, max_size=6))
def test_find_each_is_find_of_each(many):
    def each(xs):
        try:
            return dates.find_each(xs)
        except (KeyError, ValueError) as exc:
            return repr(exc)
    expected = [outcome(t) for t in many]
    got = each(many)
    if not any(isinstance(x, str) for x in expected):
        assert got == expected
