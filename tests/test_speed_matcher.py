"""Matcher.find's fast paths (names found by the Aho-Corasick automaton in lowercased text; the
acronyms' lookbehind checked by _not_after; ASCII folded with replace()) must find exactly what
the plain ignore-case regexes find."""
from __future__ import annotations

import copy
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.extract.actors import registry
from digest.extract.matcher import _FOLD, _POSSESSIVE, _WORD_OR_DASH, Matcher, _fold_text, _not_after
from digest.extract.places import gazetteer
from digest.text import lower_exact

MATCHERS = {"actors": registry()[0], "places": gazetteer()}
NAMES = sorted({name for m in MATCHERS.values() for name in list(m.by_key)[::7] + list(m.acronyms)})
CASES = [str, str.upper, str.lower, str.title, lambda s: s.swapcase()]
GLUE = [" ", "’s ", "'s ", "-", "–", " al-", "’", ", ", ".", "x", "_", "\n", " “", "é", "ı", "K", "ſ", "1", "ª", "\u0363", "•"]

pieces = st.tuples(st.sampled_from(NAMES), st.sampled_from(CASES), st.sampled_from(GLUE))
texts = st.lists(pieces, max_size=8).map(lambda parts: "".join(case(n) + g for n, case, g in parts))


def slow(matcher: Matcher) -> Matcher:
    """The same matcher without its fast paths."""
    plain = copy.copy(matcher)
    plain._automaton = None
    return plain


@settings(max_examples=1500, deadline=None)
@given(texts, st.sampled_from(sorted(MATCHERS)))
def test_fast_paths_find_what_ignore_case_finds(text, which):
    matcher = MATCHERS[which]
    assert matcher.find(text) == slow(matcher).find(text)


@settings(max_examples=1500, deadline=None)
@given(texts)
def test_not_after_is_a_lookbehind(text):
    rx = MATCHERS["actors"]._acr
    with_lookbehind = re.compile(r"(?<![\w-])" + rx.pattern)
    assert [m.span() for m in _not_after(_WORD_OR_DASH, rx, text)] == \
        [m.span() for m in with_lookbehind.finditer(text)]


def test_keys_that_re_folds_to_ascii_keep_the_ignore_case_search():
    assert Matcher({"Kılıç": 1})._automaton is None  # re.I matches "ı" with "i"
    assert Matcher({"Kilic": 1, "Łódź": 2})._automaton is not None
    turkish = Matcher({"Kılıç Ali": 1, "Ali Baba": 2})
    for text in ["Kilic Ali Baba", "KILIÇ ALI BABA", "Kılıç Ali Baba"]:
        assert turkish.find(text) == slow(turkish).find(text)


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="AB.C x-é", max_size=20))
def test_not_after_resumes_inside_a_rejected_match(text):
    acronyms = Matcher({"A.B": 1, "B.C": 2, "AB": 3, "BC": 4, "A.B.C": 5, "A.BC": 6})._acr
    with_lookbehind = re.compile(r"(?<![\w-])" + acronyms.pattern)
    assert [m.span() for m in _not_after(_WORD_OR_DASH, acronyms, text)] == \
        [m.span() for m in with_lookbehind.finditer(text)]
    assert [m.span() for m in _not_after(_WORD_OR_DASH, acronyms, "xA.BC")] == [(3, 5)]


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="ab s'’‘ʼ`´-‐‑–—é\n", max_size=30))
def test_fold_text_is_the_translation(text):
    blanked = _POSSESSIVE.sub("  ", text)
    folded, back = _fold_text(text)
    assert folded == blanked.translate(_FOLD)
    assert (back is None) == (len(folded) == len(text))


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="ab s'’‘ʼ`´-‐‑–—éıſK\ud800\n", max_size=30))
def test_folding_keeps_lower_exact(text):
    """find_each hands find the lower_exact of each text it joins, for the text folded."""
    assert lower_exact(_fold_text(text)[0]) == lower_exact(text)


def test_text_the_automaton_cannot_encode_is_searched_by_the_regex():
    """A lone surrogate (no UTF-8 for it) sends the text to the regex, which still finds names."""
    places = MATCHERS["places"]
    text = "Rockets hit Baghdad \ud800 and Erbil."
    assert [h[2] for h in places.find(text)] == ["Baghdad", "Erbil"]
    assert places.find(text) == slow(places).find(text)
