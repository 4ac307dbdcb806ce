"""Shortcuts on the hot path must answer exactly as the plain regexes: text.Words (lowercased
ASCII searched case-sensitively), clean._tidy (substitutions skipped where they change
nothing), the word tests in front of actors.DISCOVER and the date patterns (text.holding_each, and
text.Hints: one automaton for all the words), text._last_word (searched
from the last run of non-blanks), summarise._quote_share (skipped without a quotation mark) and
summarise._names_held (one search of the texts joined for each name)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.clean import BLANKS, MD_MARK, _tidy
from digest.extract.actors import DISCOVER
from digest.extract.context import ANAPHORA, BACKGROUND
from digest.extract.dating import EVENT_WORDS
from digest.extract.events import _rules
from digest.summarise import _QUOTED, _names_held, _quote_share
from digest.text import _LAST_WORD, Hints, Words, _last_word, holding_each

WORDS = {"events": EVENT_WORDS, "background": BACKGROUND, "anaphora": ANAPHORA,
         **{f"type {name}": words for name, words in _rules()[0]}}
VOCAB = ["attack", "Attacked", "STRIKES", "IEDs", "ied", "hit", "Hit", "came under", "killed", "the", "this",
         "strike", "ago", "Last Year", "previously reported", "dozens of", "air strike", "Drone", "UAVs",
         "Katyusha rockets", "roadside bomb", "U.S. jets", "stormed", "opened fire", "ſtorm", "AttacK",
         "İED", "ıed", "hıt", "x", "1", "_", "é", "’s", "“", "•"]
SEPARATORS = [" ", "", "-", ", ", ". ", "\n", "\u00a0"]
texts = st.lists(st.tuples(st.sampled_from(VOCAB), st.sampled_from(SEPARATORS)), max_size=10).map(
    lambda parts: "".join(w + s for w, s in parts))


@settings(max_examples=2000, deadline=None)
@given(texts, st.sampled_from(sorted(WORDS)))
def test_words_found_is_an_ignore_case_search(text, which):
    words = WORDS[which]
    assert words._lower is not None  # all of these take the fast path
    assert words.found(text) == bool(words.rx.search(text))
    assert words.found(text.upper()) == bool(words.rx.search(text.upper()))


def test_words_keeps_re_i_for_patterns_lowercasing_would_change():
    for pattern in [r"IED", r"\x41", r"(?-i:abc)", r"\W+", r"\Bx", "é"]:
        assert Words(pattern)._lower is None, pattern
    assert Words(r"(?-i:abc)").found("ABC") is False
    assert Words(r"\x41b").found("ab") is True


LINE = st.text(alphabet=" \t\u00a0#*ab.-\u2003", max_size=20)


@settings(max_examples=2000, deadline=None)
@given(LINE)
def test_tidy_is_the_two_substitutions(line):
    assert _tidy(line) == MD_MARK.sub("", BLANKS.sub(" ", line)).strip()


NAMES = ["the Sons of Thunder", "Ashab al-Kahf", "Saraya Awliya al-Dam", "Iran", "The Group"]
CONTEXT = ["a group calling itself", "militia named", "organisation known as", "outfit dubbed", ", ",
           "claimed responsibility", "has claimed responsibility", "militia", "armed group", "faction", "the", "."]
discover_texts = st.lists(st.sampled_from(NAMES + CONTEXT), max_size=8).map(" ".join)


@settings(max_examples=1000, deadline=None)
@given(discover_texts)
def test_discover_word_tests_never_skip_a_match(text):
    for needs, rx in DISCOVER:
        if rx.search(text):
            assert any(word in text for word in needs)


CHUNK = st.text(alphabet="ab1_. !?\"'”’)]\t\n\u00a0\u2003\u3000é", max_size=30)


@settings(max_examples=3000, deadline=None)
@given(CHUNK)
def test_last_word_is_the_whole_chunk_search(chunk):
    fast, full = _last_word(chunk), _LAST_WORD.search(chunk)
    assert (fast and (fast.span(), fast.group(1))) == (full and (full.span(), full.group(1)))


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="ab .“”\"«»‘’'x", max_size=40))
def test_quote_share_skips_only_sentences_without_quotes(s):
    assert _quote_share(s) == sum(len(x) for x in _QUOTED.findall(s)) / max(len(s), 1)


def _noise_loop(line: str):
    """clean.noise_reason's one alternation, written as the loop over concepts it replaces."""
    from digest.clean import _patterns
    line_pats, _, byline = _patterns()
    return next((c for c, pat in line_pats.items() if pat.match(line)), None) or ("byline" if byline.match(line) else None)


NOISE_LINES = ["Share this article", "Sign up now!", "By John Smith", "Written by: A B, Reuters", "Comments (3)",
               "Donate now", "support independent journalism today", "$5.00", "March 2024", "Follow us on Twitter",
               "Rockets hit the base", "Subscribe", "email address*", "Related Articles", "Jane Doe - Editor", ""]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(NOISE_LINES + ["x", " ", "now", ":", "by", "\n"]), max_size=4).map("".join))
def test_noise_alternation_is_the_loop_over_concepts(line):
    from digest.clean import _noise
    rx, reasons = _noise()
    m = rx.match(line)
    assert (reasons[m.lastgroup] if m else None) == _noise_loop(line)
    for sample in NOISE_LINES:
        m = rx.match(sample)
        assert (reasons[m.lastgroup] if m else None) == _noise_loop(sample)


CASUALTY_WORDS = [w for ws in _rules()[1].values() for w in ws]
casualty_texts = st.lists(st.tuples(st.sampled_from(VOCAB + ["3", "12", "two", "Three", "dozens", "were", "killing",
                                                             "Killed", "dead", "wounded", "injuring", "at least",
                                                             "people", "soldiers", "ſeven", "İ"]),
                                    st.sampled_from(SEPARATORS)), max_size=10).map(lambda p: "".join(w + s for w, s in p))


@settings(max_examples=1500, deadline=None)
@given(casualty_texts, st.integers(0, len(CASUALTY_WORDS) - 1))
def test_casualty_search_is_the_ignore_case_search(text, which):
    words = CASUALTY_WORDS[which]
    first, plain = next(words.finditer(text), None), words.rx.search(text)
    assert (first and (first.span(), first.group("n"))) == (plain and (plain.span(), plain.group("n")))


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.text(alphabet="ady x", max_size=12), max_size=6),
       st.lists(st.lists(st.sampled_from(["day", "a", "dd", "y x", "xx"]), min_size=1, max_size=3), max_size=3))
def test_holding_each_is_the_test_of_each_text(texts, groups):
    assert holding_each(texts, groups) == [{i for i, t in enumerate(texts) if any(w in t for w in words)}
                                           for words in groups]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.text(alphabet="ady x\ud800", max_size=12), max_size=6),
       st.lists(st.lists(st.sampled_from(["day", "a", "dd", "y x", "xx", "ay"]), min_size=1, max_size=3), max_size=3))
def test_hints_find_what_holding_each_finds(texts, groups):
    # "\ud800": a lone surrogate, which the automaton (UTF-8) cannot take
    assert Hints(groups).holding(texts) == holding_each(texts, groups)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.text(alphabet="ab Ix\n", max_size=12), max_size=6),
       st.lists(st.text(alphabet="ab Ix\n", min_size=1, max_size=4), max_size=4))
def test_names_held_is_the_count_in_each_text(texts, names):
    assert _names_held(texts, names) == [sum(map(t.__contains__, names)) for t in texts]
