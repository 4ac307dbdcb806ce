"""digest.summarise: 2-3 verbatim sentences of the article, plus the lead-3 and TextRank baselines."""
from __future__ import annotations

from pathlib import Path

import pytest

from digest.analyse import analyse
from digest.extract.dating import Sentence
from digest.ingest import parse
from digest.summarise import MAX_CHARS, QUOTES, lead3, textrank
from digest.text import sentences as split

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
QUOTE_MARKS = QUOTES + "‘’'"


def decompose(summary: str, pool: list[str]) -> list[str] | None:
    """The sentences of `pool`, in order, that joined by spaces give `summary`."""
    def go(rest: str, start: int) -> list[str] | None:
        if not rest:
            return []
        for i in range(start, len(pool)):
            s = pool[i]
            if rest == s or rest.startswith(s + " "):
                tail = go(rest[len(s) + 1:], i + 1)
                if tail is not None:
                    return [s, *tail]
        return None
    return go(summary, 0)


def body_sentences(article) -> list[str]:
    return [s for p in article.body.split("\n\n") if not p.startswith("• ") for s in split(p)]


def check_summary(article) -> list[str]:
    parts = decompose(article.summary, body_sentences(article))
    assert parts is not None, f"summary is not made of body sentences: {article.summary!r}"
    assert 2 <= len(parts) <= 3
    assert len(parts) == 2 or len(article.summary) <= MAX_CHARS
    for s in parts:
        assert not s.lstrip().startswith(tuple(QUOTE_MARKS)), s
        assert not any(s in r for r in article.removed), f"summary sentence from removed text: {s!r}"
    return parts


@pytest.fixture(scope="module", params=sorted(p.name for p in SEEDS.glob("*.txt")))
def seed_article(request):
    return analyse(parse((SEEDS / request.param).read_bytes(), request.param))


def test_seed_summary_is_two_or_three_verbatim_body_sentences(seed_article):
    check_summary(seed_article)


def test_seed_summary_never_uses_comments():
    art = analyse(parse(next(SEEDS.glob("000_*.txt")).read_bytes(), "000.txt"))
    check_summary(art)
    for comment_words in ("tir of heavy weapons", "yankee terrorist", "top exceptional US service member"):
        assert comment_words not in art.summary


def test_seed_summary_leaves_out_the_quoted_statement():
    art = analyse(parse(next(SEEDS.glob("000_*.txt")).read_bytes(), "000.txt"))
    assert "Our battle with the [American] occupation" not in art.summary


def run(body: str):
    front = "---\ntitle: Militia claims rocket attack\nsource: The Tigris Ledger\npublished: 2024-01-28\n---\n"
    return analyse(parse((front + body).encode("utf-8"), "story.md"))


LEAD = "Rockets struck the Victory base near Baghdad airport on Sunday, causing no casualties, officials said."
CLAIM = "Kataib Hezbollah claimed the rocket attack in a statement posted on Telegram later that evening."
MORE = "The base has been targeted several times since October by Iran-aligned armed groups, officials said."


def test_double_quote_led_sentences_are_not_chosen():
    art = run(f"“We will strike the occupiers wherever they are and we will not stop,” the group said after "
              f"rockets hit the base on Sunday.\n{LEAD}\n{CLAIM}\n{MORE}\n")
    parts = check_summary(art)
    assert LEAD in parts


def test_single_quote_led_sentences_are_not_chosen():
    art = run(f"‘We will strike the occupiers wherever they are and we will not stop,’ the group said after "
              f"rockets hit the base on Sunday.\n{LEAD}\n{CLAIM}\n{MORE}\n")
    check_summary(art)


def test_summary_never_comes_from_a_comment_thread():
    art = run(f"{LEAD}\n{CLAIM}\n"
              "Leave a Reply\n"
              "Abu Karrar\n"
              "Rockets struck the base again on Sunday and killed many Americans, I saw the attack with my own eyes.\n"
              "Reply\n"
              "Kataib Hezbollah claimed the rocket attack on Sunday and they will attack every base again.\n")
    parts = check_summary(art)
    assert parts == [LEAD, CLAIM]


def test_summary_skips_key_takeaway_list_items():
    art = run(f"{LEAD}\n{CLAIM}\n{MORE}\nKey Takeaways:\n"
              "• Iraq: Rockets struck the Victory base near Baghdad airport on Sunday, causing no casualties.\n")
    check_summary(art)
    assert "Iraq: Rockets" not in art.summary


def test_long_sentences_keep_the_summary_short():
    long = " ".join(["Rockets struck the Victory base near Baghdad airport on Sunday"] +
                    ["and officials said the damage was being assessed by engineers"] * 6) + "."
    art = run(f"{long}\n{CLAIM}\n{long.replace('Rockets', 'Drones')}\n{MORE}\n")
    check_summary(art)


# --- baselines -------------------------------------------------------------------------------------

def sents(texts, listed=()):
    return [Sentence(i, t, i in listed, None, None) for i, t in enumerate(texts)]


TEXTS = [LEAD, CLAIM, MORE,
         "US officials said the rockets were fired from an orchard south of the airport on Sunday.",
         "The embassy said no staff were hurt.",
         "Iraq's prime minister ordered an investigation into the rocket attack on the base."]


def test_lead3_is_the_first_three_non_list_sentences():
    assert lead3(sents(TEXTS)) == " ".join(TEXTS[:3])
    assert lead3(sents(TEXTS, listed={1})) == " ".join([TEXTS[0], TEXTS[2], TEXTS[3]])


def test_lead3_of_a_short_text():
    assert lead3(sents(TEXTS[:2])) == " ".join(TEXTS[:2])
    assert lead3([]) == ""


@pytest.mark.parametrize("k", [1, 2, 3])
def test_textrank_returns_k_sentences_of_the_text_in_order(k):
    out = textrank(sents(TEXTS), k=k)
    parts = decompose(out, TEXTS)
    assert parts is not None and len(parts) == k


def test_textrank_leaves_out_an_unconnected_sentence_and_list_items():
    texts = TEXTS + ["Football: Zakho beat Duhok 2-1."]  # shares no word with any other sentence
    parts = decompose(textrank(sents(texts, listed={0}), k=3), texts)
    assert parts is not None and len(parts) == 3
    assert TEXTS[0] not in parts
    assert texts[-1] not in parts


def test_textrank_of_a_short_text_is_the_whole_text():
    assert textrank(sents(TEXTS[:2])) == " ".join(TEXTS[:2])


# --- event words looked for only where they can matter -----------------------------------------

def _unpruned(sentences, flags, names) -> str:
    """summarise() as first written: event words looked for in every pooled sentence."""
    from digest.extract.dating import EVENT_WORDS
    from digest.summarise import usable
    scored = []
    pool = [(i, s) for i, s in enumerate(sentences) if not s.is_list and usable(s.text)]
    for rank, (i, s) in enumerate(pool):
        score = 2.0 / (1 + rank)
        score += 1.0 if flags[i] else -0.5
        score += 0.8 * EVENT_WORDS.found(s.text) + 0.5 * (s.date is not None)
        score += 0.4 * min(3, sum(1 for n in names if n and n in s.text))
        scored.append((score, i, s.text))
    chosen = sorted(sorted(scored, key=lambda t: (-t[0], t[1]))[:3], key=lambda t: t[1])
    while len(chosen) > 2 and sum(len(t[2]) for t in chosen) > MAX_CHARS:
        chosen.remove(min(chosen, key=lambda t: (t[0], -t[1])))
    return " ".join(t[2] for t in chosen) if chosen else " ".join(s.text for s in sentences[:2])


def test_pruned_summary_is_the_unpruned_one():
    import random

    from digest.model import DateValue
    from digest.summarise import summarise
    rng = random.Random(7)
    day = DateValue("2024-03-03", "day", "x")
    pool = TEXTS + ["Officials met on Tuesday to discuss the budget for the coming fiscal year in Baghdad.",
                    "The ministry said the talks with the delegation would continue next week in Erbil."]
    for _ in range(300):
        texts = [rng.choice(pool) for _ in range(rng.randint(0, 9))]
        sentences = [Sentence(i, t, rng.random() < 0.1, day if rng.random() < 0.3 else None, None)
                     for i, t in enumerate(texts)]
        flags = [rng.random() < 0.6 for _ in texts]
        names = rng.sample(["Baghdad", "Erbil", "Kataib Hezbollah", "US", "", "embassy"], rng.randint(0, 4))
        assert summarise(sentences, flags, names) == _unpruned(sentences, flags, names)
