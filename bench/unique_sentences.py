"""Copy an archive with every sentence made unique, to measure how much digest's speed owes to
sentences that repeat across articles (bench/generate.py draws most body sentences from small
pools; real archives repeat wire copy and standing lines, but far less).

    python bench/unique_sentences.py SEEDS OUT

A made-up lowercase word ("qxab", "qxbb", ...) goes before the stop of each sentence that
ends in a lowercase word of 4+ letters: no name, date or abbreviation ("U.S.", "Sept.") is
touched, so the analysis finds the same things in text it has not seen before. Prints the
share of body sentences (in lines over 80 characters) that occur in another article."""
from __future__ import annotations

import argparse
import collections
import itertools
import re
import sys
from pathlib import Path

SENTENCE_END = re.compile(r"([a-z]{4,})([.!?])(\s|$)")
SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def made_up_words():
    """qxa, qxb, ... qxz, qxab, qxbb, ...: lowercase, and no word of any article."""
    for n in itertools.count():
        s = ""
        while True:
            s += "abcdefghijklmnopqrstuvwxyz"[n % 26]
            n //= 26
            if not n:
                break
        yield "qx" + s


def repeated_share(texts: list[str]) -> float:
    per = [{s for line in t.split("\n") if len(line) > 80 for s in SPLIT.split(line.strip()) if len(s) > 30}
           for t in texts]
    count = collections.Counter(s for sents in per for s in sents)
    total = sum(map(len, per))
    return sum(count[s] > 1 for sents in per for s in sents) / max(total, 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Copy an archive with every sentence made unique.")
    ap.add_argument("seeds", type=Path, help="the archive's folder (bench/generate.py --out)")
    ap.add_argument("out", type=Path, help="where the copy goes (created)")
    a = ap.parse_args(argv)
    if not a.seeds.is_dir():
        ap.error(f"{a.seeds}: not a folder")
    a.out.mkdir(parents=True, exist_ok=True)
    fresh = made_up_words()
    texts, made = [], []
    for path in sorted(p for p in a.seeds.iterdir() if p.is_file()):
        texts.append(path.read_text(encoding="utf-8"))
        made.append(SENTENCE_END.sub(lambda m: f"{m.group(1)} {next(fresh)}{m.group(2)}{m.group(3)}", texts[-1]))
        (a.out / path.name).write_text(made[-1], encoding="utf-8")
    print(f"{len(texts)} files -> {a.out}; body sentences found in another article: "
          f"{repeated_share(texts):.0%} before, {repeated_share(made):.0%} after")
    return 0

if __name__ == "__main__":
    sys.exit(main())
