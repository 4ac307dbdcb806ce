"""The evaluation gate: extractor scores on tests/eval/ must not fall below the pinned floors
in tests/eval_floors.yml (nor error counts rise above their ceilings). Plus ROUGE unit tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from digest.evaluate import COUNTS, FIELDS, FLOORS, check, evaluate, lcs, load_floors, rouge1, rouge_l

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def report():
    return evaluate(ROOT)


@pytest.fixture(scope="module")
def floors():
    return load_floors(ROOT / FLOORS)


def test_every_measured_key_is_pinned(report, floors):
    unpinned = [k for k in [*FIELDS, *COUNTS] if k not in floors]
    assert not unpinned, f"no floor/ceiling in {FLOORS} for: {', '.join(unpinned)}"
    unknown = [k for k in floors if k not in FIELDS and k not in COUNTS]
    assert not unknown, f"{FLOORS} pins keys that are not measured: {', '.join(unknown)}"


@pytest.mark.parametrize("key", [*FIELDS, *COUNTS])
def test_floor_holds(report, floors, key):
    bound = floors.get(key)
    if bound is None:
        pytest.skip(f"{key} is not pinned")
    value = report.scores[key] if key in report.scores else report.counts[key]
    if "min" in bound:
        assert value >= bound["min"], f"{key}: score {value} is below its floor {bound['min']}"
    if "max" in bound:
        assert value <= bound["max"], f"{key}: {value} is above its ceiling {bound['max']}"


def test_check_agrees(report, floors):
    assert check(report, floors) == []


def test_report_shape(report):
    assert report.articles == len(list((ROOT / "tests/eval/gold").glob("*.yml")))
    assert all(0.0 <= v <= 1.0 and round(v, 4) == v for v in report.scores.values())
    assert set(report.baselines) == {"digest", "lead3", "textrank"}
    assert report.baselines["digest"] == {"rouge1_f1": report.scores["rouge1_f1"],
                                          "rougeL_f1": report.scores["rougeL_f1"]}


def test_check_reports_floor_and_ceiling(report):
    assert check(report, {"month_accuracy": {"min": 1.01}}) == [
        f"month_accuracy: score {report.scores['month_accuracy']} is below its floor 1.01"]
    assert check(report, {"wrong_month": {"max": -1}}) == [
        f"wrong_month: {report.counts['wrong_month']} is above its ceiling -1"]


# --- ROUGE on hand-computed examples -------------------------------------------

def test_lcs():
    assert lcs("a b c d".split(), "a c d".split()) == 3
    assert lcs("a b c".split(), "c b a".split()) == 1
    assert lcs([], ["a"]) == 0
    assert lcs("the cat sat on the mat".split(), "the cat was on the mat".split()) == 5


def test_rouge1():
    # cand 6 tokens, ref 6 tokens, clipped overlap the,the,cat,on,mat = 5 -> P = R = 5/6
    assert rouge1("The cat sat on the mat.", "the cat was on the mat") == pytest.approx(5 / 6)
    # cand "a a b" vs ref "a b b": overlap min(2,1)+min(1,2) = 2 -> P = R = 2/3
    assert rouge1("a a b", "a b b") == pytest.approx(2 / 3)
    # cand 2 tokens, ref 4, overlap 2: P = 1, R = 1/2, F = 2/3
    assert rouge1("rockets struck", "Rockets struck the base") == pytest.approx(2 / 3)
    assert rouge1("", "anything") == 0.0
    assert rouge1("same words", "Same, words!") == 1.0


def test_rouge_l():
    # LCS("police killed the gunman", "police kill the gunman") = police, the, gunman = 3; P = R = 3/4
    assert rouge_l("police killed the gunman", "police kill the gunman") == pytest.approx(3 / 4)
    # LCS("the gunman kill police", "police kill the gunman") = 2 (the gunman); P = R = 2/4
    assert rouge_l("the gunman kill police", "police kill the gunman") == pytest.approx(1 / 2)
    # cand 3 tokens, ref 5, LCS 3: P = 1, R = 3/5, F = 2*0.6/1.6 = 0.75
    assert rouge_l("a c e", "a b c d e") == pytest.approx(0.75)
    assert rouge_l("x y", "a b") == 0.0


def test_summaries_score_at_least_lead3(report):
    """The issue's bar: our summaries beat the lead-3 baseline on ROUGE-L."""
    assert report.baselines["digest"]["rougeL_f1"] >= report.baselines["lead3"]["rougeL_f1"]
