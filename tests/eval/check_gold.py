#!/usr/bin/env python3
"""Sanity checks for the evaluation corpus in tests/eval/.

Usage (from anywhere):  python tests/eval/check_gold.py [-v]

Needs only the standard library and PyYAML.  Exits non-zero on any error.

Checks, for every tests/eval/gold/*.yml:
  * the file parses and has exactly the required keys;
  * `file` exists (path relative to the project root);
  * every must_contain and must_not_contain snippet occurs verbatim in the
    article, and so does every summary sentence (for the summary, runs of
    whitespace are collapsed because YAML folds it; for .html files the
    entity-decoded text is also tried);
  * dates are well formed (YYYY, YYYY-MM or YYYY-MM-DD; month is YYYY-MM)
    and `month` agrees with event_date / published;
  * event types and roles come from the allowed vocabularies, casualty counts
    are non-negative integers or null, list sizes are as specified;
  * every article in tests/eval/articles/ has a gold file, and every seed has
    a seed_NNN.yml gold file;
  * articles written for the corpus are 250-700 words long.
"""
from __future__ import annotations

import datetime as _dt
import html
import re
import sys
from pathlib import Path

import yaml

EVAL_DIR = Path(__file__).resolve().parent
ROOT = EVAL_DIR.parent.parent
GOLD_DIR = EVAL_DIR / "gold"
ARTICLES_DIR = EVAL_DIR / "articles"
SEEDS_DIR = ROOT / "seeds"

REQUIRED_KEYS = [
    "file", "published", "event_date", "month", "actors", "not_actors",
    "places", "dateline_place", "event_types", "killed", "wounded",
    "summary", "must_contain", "must_not_contain", "notes",
]
EVENT_TYPES = {"rocket", "drone", "IED", "missile", "airstrike", "small arms", "storming"}
ROLES = {"claimed", "blamed", "target", "mentioned"}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MONTH_RE = re.compile(r"^\d{4}-\d{2}$")
# split after . ! ? (optionally followed by a closing quote) before whitespace
SENT_SPLIT_RE = re.compile(r"(?<=[.!?][\"”’'])\s+|(?<=[.!?])\s+")


def norm_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def as_date_str(value):
    """YAML turns 2021-03-03 into a date and 2022 into an int: normalise."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def valid_date(s: str) -> bool:
    if not DATE_RE.match(s):
        return False
    parts = [int(p) for p in s.split("-")]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def expected_month(event_date, published):
    for d in (event_date, published):
        if d and len(d) >= 7:
            return d[:7]
    return None


def split_sentences(summary: str) -> list[str]:
    return [s for s in SENT_SPLIT_RE.split(norm_ws(summary)) if s]


def check_gold(path: Path, verbose: bool) -> list[str]:
    errs: list[str] = []
    warn: list[str] = []

    def err(msg):
        errs.append(f"{path.name}: {msg}")

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [f"{path.name}: YAML error: {exc}"]
    if not isinstance(data, dict):
        return [f"{path.name}: top level is not a mapping"]

    missing = [k for k in REQUIRED_KEYS if k not in data]
    extra = [k for k in data if k not in REQUIRED_KEYS]
    if missing:
        err(f"missing keys {missing}")
    if extra:
        err(f"unknown keys {extra}")
    if missing:
        return errs

    # --- article file -----------------------------------------------------
    rel = data["file"]
    if not isinstance(rel, str):
        return errs + [f"{path.name}: file must be a string"]
    art = ROOT / rel
    if not art.is_file():
        return errs + [f"{path.name}: article {rel} not found"]
    if art.stem != path.stem and not path.stem.startswith("seed_"):
        err(f"gold stem {path.stem!r} differs from article stem {art.stem!r}")
    if path.stem.startswith("seed_") and not art.name.startswith(path.stem[5:] + "_"):
        err(f"seed gold {path.stem} points at {art.name}")
    raw = art.read_text(encoding="utf-8")
    raws = [raw]
    if art.suffix.lower() in {".html", ".htm"}:
        raws.append(html.unescape(raw))
    normed = [norm_ws(r) for r in raws]

    def found(snippet: str) -> bool:
        """Snippets must occur exactly (byte for byte)."""
        return any(snippet in r for r in raws)

    def found_sentence(sentence: str) -> bool:
        """Summary sentences are folded by YAML, so compare with collapsed whitespace."""
        s = norm_ws(sentence)
        return any(s in n for n in normed)

    # --- dates ------------------------------------------------------------
    published = as_date_str(data["published"])
    event_date = as_date_str(data["event_date"])
    month = as_date_str(data["month"])
    for key, val in (("published", published), ("event_date", event_date)):
        if val is not None and not valid_date(val):
            err(f"{key} {val!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        if val is not None and valid_date(val) and not 2019 <= int(val[:4]) <= 2024:
            warn.append(f"{path.name}: {key} {val} outside 2019-2024")
    if month is not None and (not MONTH_RE.match(month) or not valid_date(month)):
        err(f"month {month!r} is not YYYY-MM")
    exp = expected_month(event_date, published)
    if month != exp:
        err(f"month {month!r} disagrees with event_date/published (expected {exp!r})")
    if published and event_date and valid_date(published) and valid_date(event_date):
        n = min(len(published), len(event_date))
        if event_date[:n] > published[:n]:
            err(f"event_date {event_date} is after published {published}")

    # --- actors -----------------------------------------------------------
    actors = data["actors"]
    names = set()
    if not isinstance(actors, list):
        err("actors must be a list")
        actors = []
    for a in actors:
        if not isinstance(a, dict) or set(a) != {"name", "roles"}:
            err(f"actor entry {a!r} must have exactly name and roles")
            continue
        if not isinstance(a["name"], str) or not a["name"].strip():
            err(f"actor name {a['name']!r} invalid")
        names.add(a["name"])
        if not isinstance(a["roles"], list) or not a["roles"]:
            err(f"actor {a['name']}: roles must be a non-empty list")
        elif set(a["roles"]) - ROLES:
            err(f"actor {a['name']}: unknown roles {set(a['roles']) - ROLES}")
    not_actors = data["not_actors"]
    if not isinstance(not_actors, list) or not all(isinstance(x, str) for x in not_actors):
        err("not_actors must be a list of strings")
    else:
        clash = names & set(not_actors)
        if clash:
            err(f"names both in actors and not_actors: {clash}")

    # --- simple fields ----------------------------------------------------
    if not isinstance(data["places"], list) or not all(isinstance(x, str) for x in data["places"]):
        err("places must be a list of strings")
    if data["dateline_place"] is not None and not isinstance(data["dateline_place"], str):
        err("dateline_place must be a string or null")
    et = data["event_types"]
    if not isinstance(et, list) or set(et) - EVENT_TYPES:
        err(f"event_types {et!r} not a subset of {sorted(EVENT_TYPES)}")
    for key in ("killed", "wounded"):
        v = data[key]
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
            err(f"{key} must be a non-negative integer or null")
    if not isinstance(data["notes"], str) or not data["notes"].strip():
        err("notes must be a non-empty string")

    # --- verbatim text ----------------------------------------------------
    summary = data["summary"]
    if not isinstance(summary, str) or not summary.strip():
        err("summary must be a non-empty string")
    else:
        sents = split_sentences(summary)
        for s in sents:
            if not found_sentence(s):
                err(f"summary sentence not verbatim in article: {s[:90]!r}")
        if len(sents) < 2:
            warn.append(f"{path.name}: summary has only {len(sents)} sentence(s)")
    mc, mnc = data["must_contain"], data["must_not_contain"]
    if not isinstance(mc, list) or not 2 <= len(mc) <= 4:
        err("must_contain must list 2-4 snippets")
        mc = mc if isinstance(mc, list) else []
    if not isinstance(mnc, list) or not 3 <= len(mnc) <= 6:
        err("must_not_contain must list 3-6 snippets")
        mnc = mnc if isinstance(mnc, list) else []
    for s in mc:
        if not isinstance(s, str) or not found(s):
            err(f"must_contain snippet not verbatim in article: {s!r}")
    for s in mnc:
        if not isinstance(s, str) or not found(s):
            err(f"must_not_contain snippet not verbatim in article: {s!r}")
    for a in mc:
        for b in mnc:
            if isinstance(a, str) and isinstance(b, str) and (norm_ws(a) in norm_ws(b) or norm_ws(b) in norm_ws(a)):
                err(f"must_contain {a!r} overlaps must_not_contain {b!r}")

    if verbose:
        for w in warn:
            print("warning:", w)
    return errs


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    errors: list[str] = []
    gold_files = sorted(GOLD_DIR.glob("*.yml"))
    if not gold_files:
        errors.append("no gold files found")
    for g in gold_files:
        errors.extend(check_gold(g, verbose))

    # coverage: every article and every seed has a gold file
    gold_stems = {g.stem for g in gold_files}
    articles = sorted(p for p in ARTICLES_DIR.iterdir() if p.is_file())
    for art in articles:
        if art.stem not in gold_stems:
            errors.append(f"article {art.name} has no gold file")
        if not re.match(r"^\d{2}_[a-z0-9_]+\.(txt|md|html)$", art.name):
            errors.append(f"article name {art.name} does not match NN_short_slug.(txt|md|html)")
        text = art.read_text(encoding="utf-8")
        if art.suffix == ".html":
            text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", text, flags=re.S)
            text = re.sub(r"<[^>]+>", " ", text)
        words = len(text.split())
        if not 250 <= words <= 700:
            errors.append(f"article {art.name} has {words} words (want 250-700)")
    if len(articles) < 24:
        errors.append(f"only {len(articles)} articles (want at least 24)")
    if SEEDS_DIR.is_dir():
        for seed in sorted(SEEDS_DIR.glob("*.txt")):
            stem = "seed_" + seed.name.split("_", 1)[0]
            if stem not in gold_stems:
                errors.append(f"seed {seed.name} has no gold file {stem}.yml")

    for e in errors:
        print("ERROR:", e)
    print(f"{len(gold_files)} gold files, {len(articles)} articles, {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
