"""Score the extractors against the annotated corpus in tests/eval/ (see its README.md).

`evaluate(root)` reads every tests/eval/gold/*.yml, runs the article it names through
`digest.analyse.analyse` and returns a `Report`: per-field scores in 0..1, error counts
that must stay at or under a ceiling, ROUGE of the lead-3 and TextRank baselines for
comparison, and one line per wrong answer. `check(report, floors)` applies the pinned
floors of tests/eval_floors.yml; `digest eval` and tests/test_eval_gate.py both use it.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import yaml

from .model import UNKNOWN_DATE
from .text import tokens

GOLD_DIR = Path("tests/eval/gold")
FLOORS = Path("tests/eval_floors.yml")
CLAIM_ROLES = {"claimed", "blamed"}

# The gated scores, in display order, with a one-line description.
FIELDS = {
    "month_accuracy": "filing month (null = Undated)",
    "event_day_accuracy": "event date, where gold has day precision",
    "published_accuracy": "publication date, at gold precision",
    "claimed_precision": "claimed/blamed groups: precision",
    "claimed_recall": "claimed/blamed groups: recall",
    "claimed_f1": "claimed/blamed groups: F1",
    "actors_precision": "all actor names: precision",
    "actors_recall": "all actor names: recall",
    "actors_f1": "all actor names: F1",
    "role_accuracy": "roles of matched actors (same set)",
    "place_accuracy": "first predicted place is a gold place",
    "dateline_accuracy": "dateline place",
    "event_types_precision": "event types: precision",
    "event_types_recall": "event types: recall",
    "event_types_f1": "event types: F1",
    "clean_keep": "must_contain snippets kept in the body",
    "clean_drop": "must_not_contain snippets absent from body, summary, actors",
    "rouge1_f1": "summary ROUGE-1 F1",
    "rougeL_f1": "summary ROUGE-L F1",
}
COUNTS = {
    "wrong_month": "filed under a wrong month (not Undated): the worst error",
    "not_actor_violations": "predicted actors matching a not_actors string",
    "failed_articles": "articles that could not be read or analysed",
}


@dataclass
class Report:
    scores: dict[str, float]             # FIELDS keys, 0..1, rounded to 4 places
    counts: dict[str, int]               # COUNTS keys: lower is better
    baselines: dict[str, dict[str, float]]  # {"digest"|"lead3"|"textrank": {"rouge1_f1", "rougeL_f1"}}
    support: dict[str, int]              # how many items each score is computed over
    errors: list[str] = field(default_factory=list)  # "file: field: expected X, got Y"
    articles: int = 0

    def to_dict(self) -> dict:
        return {"articles": self.articles, "scores": self.scores, "counts": self.counts,
                "baselines": self.baselines, "support": self.support, "errors": self.errors}


# --- ROUGE ------------------------------------------------------------------

def _f1(overlap: int, n_cand: int, n_ref: int) -> float:
    if not overlap:
        return 0.0
    p, r = overlap / n_cand, overlap / n_ref
    return 2 * p * r / (p + r)


def rouge1(candidate: str, reference: str) -> float:
    """ROUGE-1 F1 on lowercase word tokens (clipped unigram overlap)."""
    c, r = Counter(tokens(candidate)), Counter(tokens(reference))
    return _f1(sum((c & r).values()), sum(c.values()), sum(r.values()))


def lcs(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence, by dynamic programming (one row kept)."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 (beta = 1) over the whole texts as token sequences."""
    c, r = tokens(candidate), tokens(reference)
    return _f1(lcs(c, r), len(c), len(r))


# --- helpers ----------------------------------------------------------------

def _fold(s: str) -> str:
    from .extract.matcher import fold
    return fold(s)


def _norm_ws(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _gold_date(v) -> str | None:
    """YAML reads 2021-03-03 as a date and 2022 as an int."""
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _resolve(matcher, name: str, attr=None) -> str:
    """Canonical form of a gold name: a match spanning the whole name, else the one value
    all matches agree on ("US Department of Defense (Pentagon)"), else the name itself."""
    hits = matcher.find(name)
    value = lambda h: getattr(h[3], attr) if attr else h[3]
    full = [h for h in hits if h[0] == 0 and h[1] == len(name)]
    if full:
        return value(full[0])
    values = {value(h) for h in hits}
    return values.pop() if len(values) == 1 else name


def _actor_key(name: str) -> str:
    from .extract.actors import registry
    return _fold(_resolve(registry()[0], name))


def _place_keys(name: str) -> set[str]:
    from .extract.places import gazetteer
    keys = {_fold(name), _fold(_resolve(gazetteer(), name, "name"))}
    keys |= {_fold(h[3].name) for h in gazetteer().find(name) if h[0] == 0 and h[1] == len(name)}
    return keys


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else float(tp + fn == 0)
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _show(v) -> str:
    if isinstance(v, (set, frozenset, list, tuple)):
        return "[" + ", ".join(sorted(str(x) for x in v)) + "]"
    return "null" if v is None else str(v)


def _empty_article():
    return SimpleNamespace(published=UNKNOWN_DATE, event_date=UNKNOWN_DATE, month=None, actors=(),
                           locations=(), dateline_place=None, event_types=(), summary="", body="")


def _run(path: Path):
    """(article, lead-3, TextRank) for one file, re-running clean + dating for the baselines."""
    from .analyse import analyse
    from .clean import clean
    from .extract.dating import date_articles
    from .ingest import read
    from .summarise import lead3, textrank

    raw = read(path, path.parent)
    art = analyse(raw)
    c = clean(raw.text)
    sents = date_articles(c.title, c.before_title, c.after_title, c.paragraphs, c.is_list, raw.meta, raw.kind).sentences
    return art, lead3(sents), textrank(sents)


# --- the scorer -------------------------------------------------------------

def evaluate(root: Path) -> Report:
    root = Path(root)
    gold_files = sorted((root / GOLD_DIR).glob("*.yml"))
    if not gold_files:
        raise FileNotFoundError(f"no gold files in {root / GOLD_DIR}")
    hits: Counter = Counter()   # correct answers per field
    total: Counter = Counter()  # items per field
    prf: dict[str, Counter] = {k: Counter() for k in ("claimed", "actors", "event_types")}
    counts = dict.fromkeys(COUNTS, 0)
    rouge = {k: {"rouge1_f1": 0.0, "rougeL_f1": 0.0} for k in ("digest", "lead3", "textrank")}
    errors: list[str] = []

    for gf in gold_files:
        gold = yaml.safe_load(gf.read_text(encoding="utf-8"))
        name = gold["file"]
        err = lambda fld, exp, got: errors.append(f"{name}: {fld}: expected {_show(exp)}, got {_show(got)}")
        try:
            art, lead, tr = _run(root / name)
        except Exception as exc:  # one broken article must not hide the others' scores
            counts["failed_articles"] += 1
            errors.append(f"{name}: analyse: {type(exc).__name__}: {exc}")
            art, lead, tr = _empty_article(), "", ""

        # dates
        g_month = _gold_date(gold["month"])
        total["month_accuracy"] += 1
        if art.month == g_month:
            hits["month_accuracy"] += 1
        else:
            err("month", g_month or "Undated", art.month or "Undated")
            if art.month is not None:
                counts["wrong_month"] += 1
        g_event = _gold_date(gold["event_date"])
        if g_event and len(g_event) == 10:
            total["event_day_accuracy"] += 1
            got = art.event_date.value if art.event_date.precision == "day" else None
            if got == g_event:
                hits["event_day_accuracy"] += 1
            else:
                err("event_date", g_event, art.event_date.value)
        g_pub = _gold_date(gold["published"])
        total["published_accuracy"] += 1
        p = art.published
        got = p.value[:len(g_pub)] if g_pub and p.value and len(p.value) >= len(g_pub) else p.value
        if got == g_pub:
            hits["published_accuracy"] += 1
        else:
            err("published", g_pub, p.value)

        # actors
        g_actors = {_actor_key(a["name"]): (a["name"], set(a["roles"])) for a in gold["actors"]}
        p_actors = {_actor_key(a.name): (a.name, set(a.roles)) for a in art.actors}
        for key, gset, pset in (
            ("claimed", {k for k, (_, r) in g_actors.items() if r & CLAIM_ROLES},
             {k for k, (_, r) in p_actors.items() if r & CLAIM_ROLES}),
            ("actors", set(g_actors), set(p_actors)),
        ):
            prf[key].update(tp=len(gset & pset), fp=len(pset - gset), fn=len(gset - pset))
            if gset != pset:
                err("claimed/blamed" if key == "claimed" else "actors",
                    {g_actors[k][0] for k in gset}, {p_actors[k][0] for k in pset})
        for k in sorted(set(g_actors) & set(p_actors)):  # sorted: the report reads the same every run
            total["role_accuracy"] += 1
            if g_actors[k][1] == p_actors[k][1]:
                hits["role_accuracy"] += 1
            else:
                err(f"roles of {g_actors[k][0]}", g_actors[k][1], p_actors[k][1])
        banned = [_fold(s) for s in gold["not_actors"]]
        for a in art.actors:
            bad = [b for b in banned if b and b in _fold(a.name)]
            if bad:
                counts["not_actor_violations"] += 1
                err("not_actors", f"no actor like {bad[0]!r}", a.name)

        # places
        if gold["places"]:
            total["place_accuracy"] += 1
            keys = set().union(*(_place_keys(g) for g in gold["places"]))
            first = art.locations[0].name if art.locations else None
            if first and _fold(first) in keys:
                hits["place_accuracy"] += 1
            else:
                err("first place", gold["places"], first)
        g_dl = gold["dateline_place"]
        total["dateline_accuracy"] += 1
        if (g_dl is None and art.dateline_place is None) or (
                g_dl and art.dateline_place and _fold(art.dateline_place) in _place_keys(g_dl)):
            hits["dateline_accuracy"] += 1
        else:
            err("dateline_place", g_dl, art.dateline_place)

        # event types
        g_types, p_types = set(gold["event_types"]), set(art.event_types)
        prf["event_types"].update(tp=len(g_types & p_types), fp=len(p_types - g_types), fn=len(g_types - p_types))
        if g_types != p_types:
            err("event_types", g_types, p_types)

        # cleaning
        body, summary = _norm_ws(art.body), _norm_ws(art.summary)
        for s in gold["must_contain"]:
            total["clean_keep"] += 1
            if _norm_ws(s) in body:
                hits["clean_keep"] += 1
            else:
                err("must_contain", repr(s), "missing from body")
        for s in gold["must_not_contain"]:
            total["clean_drop"] += 1
            s_n, s_f = _norm_ws(s), _fold(s)
            where = [w for w, ok in (("body", s_n in body), ("summary", s_n in summary),
                                     ("actors", any(s_f in _fold(a.name) for a in art.actors))) if ok]
            if where:
                err("must_not_contain", f"{s!r} dropped", "kept in " + "+".join(where))
            else:
                hits["clean_drop"] += 1

        # summaries
        ref = gold["summary"]
        for key, text in (("digest", art.summary), ("lead3", lead), ("textrank", tr)):
            rouge[key]["rouge1_f1"] += rouge1(text, ref)
            rouge[key]["rougeL_f1"] += rouge_l(text, ref)

    n = len(gold_files)
    scores = {k: hits[k] / total[k] if total[k] else 1.0 for k in
              ("month_accuracy", "event_day_accuracy", "published_accuracy", "role_accuracy",
               "place_accuracy", "dateline_accuracy", "clean_keep", "clean_drop")}
    for key, prefix in (("claimed", "claimed"), ("actors", "actors"), ("event_types", "event_types")):
        c = prf[key]
        scores[f"{prefix}_precision"], scores[f"{prefix}_recall"], scores[f"{prefix}_f1"] = _prf(c["tp"], c["fp"], c["fn"])
        total[f"{prefix}_precision"] = c["tp"] + c["fp"]
        total[f"{prefix}_recall"] = total[f"{prefix}_f1"] = c["tp"] + c["fn"]
    baselines = {k: {m: round(v / n, 4) for m, v in d.items()} for k, d in rouge.items()}
    scores["rouge1_f1"], scores["rougeL_f1"] = (rouge["digest"][m] / n for m in ("rouge1_f1", "rougeL_f1"))
    total["rouge1_f1"] = total["rougeL_f1"] = n
    return Report(scores={k: round(scores[k], 4) for k in FIELDS}, counts=counts, baselines=baselines,
                  support={k: total[k] for k in FIELDS}, errors=errors, articles=n)


# --- floors -----------------------------------------------------------------

def load_floors(path: Path) -> dict[str, dict]:
    """{key: {"min": x}} or {key: {"max": n}} from tests/eval_floors.yml, where a bare
    number is a floor and `{max: n}` a ceiling."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    out = {}
    for key, v in data.items():
        if isinstance(v, dict):
            if not set(v) <= {"min", "max"} or not v:
                raise ValueError(f"{path}: {key}: expected a number, {{min: x}} or {{max: n}}")
            out[key] = v
        elif isinstance(v, (int, float)):
            out[key] = {"min": v}
        else:
            raise ValueError(f"{path}: {key}: expected a number, {{min: x}} or {{max: n}}")
    return out


def value_of(report: Report, key: str):
    if key in report.scores:
        return report.scores[key]
    if key in report.counts:
        return report.counts[key]
    return None


def check(report: Report, floors: dict[str, dict]) -> list[str]:
    """One message per floor or ceiling that does not hold (empty list: the gate passes)."""
    failures = []
    for key, bound in floors.items():
        v = value_of(report, key)
        if v is None:
            failures.append(f"{key}: pinned in the floors file but not measured")
            continue
        if "min" in bound and v < bound["min"]:
            failures.append(f"{key}: score {v} is below its floor {bound['min']}")
        if "max" in bound and v > bound["max"]:
            failures.append(f"{key}: {v} is above its ceiling {bound['max']}")
    return failures
