#!/usr/bin/env python3
"""Benchmark digest and the MkDocs site on a synthetic archive (see bench/README.md).

    python bench/run.py --n 1000 --repeat 3 [--skip-site] [--n-list 1000,10000] [--date YYYY-MM-DD]

Runs itself inside bench/.venv (created on first use: digest -e .. + bench/requirements.txt).
For each N: a temporary copy of the project skeleton (mkdocs.yml, templates/, hand-written
docs/) gets N generated articles in seeds/; then every figure is measured `--repeat` times and
the median kept. Prints each figure as it is measured, then a Markdown table, and writes the
table into BENCHMARKS.md (section replaced when the same command runs again on the same day).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ensure_venv  # noqa: E402

if __name__ == "__main__":
    ensure_venv(__file__)

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import common  # noqa: E402
from generate import generate, make_article  # noqa: E402

BIN = Path(sys.executable).parent
DIGEST = [str(BIN / "digest"), "build", "--no-site"]
MKDOCS = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"]
POLL = 0.02  # seconds between RSS samples of the process tree

TARGETS = {  # figure -> (text, test on the value or None)
    "digest_cold_rate": (">= 500 /s at N=10,000", lambda v: v >= 500),
    "ratio": (">= 10x", lambda v: v >= 10),
    "digest_add1": ("<= 2 s", lambda v: v <= 2),
    "site_add1": ("<= 15 s", lambda v: v <= 15),
    "full_cold": ("<= 90 s", lambda v: v <= 90),
    "full_cached": ("<= 60 s", lambda v: v <= 60),
    "digest_rss": ("<= 1 GB", lambda v: v <= 1024),
    "mkdocs_rss": ("<= 1 GB", lambda v: v <= 1024),
    "article_max": ("<= 40 KB", lambda v: v <= 40),
    "page_max": ("<= 500 KB", lambda v: v <= 500),
    "search_bytes": ("<= 1 MB", lambda v: v <= 1.0),
}


# --------------------------------------------------------------------------- measuring

@dataclass
class Run:
    seconds: float
    rc: int
    peak_tree_mb: float    # largest sum of RSS over the process and its descendants (polled)
    maxrss_mb: float       # ru_maxrss from wait4: the largest single process of the tree
    cpu_s: float = 0.0     # user + system CPU of the process and the children it waited for
    load: float = 0.0      # 1-minute load average when it started: other work on the machine
    stdout: str = ""
    stderr: str = ""

    @property
    def counts(self) -> dict:
        """digest's summary line: '1000 articles (990 analysed, 10 from cache) -> docs/ (...)'."""
        m = re.search(r"(\d+) articles \((\d+) analysed, (\d+) from cache\)", self.stderr)
        return {"articles": int(m[1]), "analysed": int(m[2]), "cached": int(m[3])} if m else {}


def measure(cmd: list[str], cwd: Path, env: dict) -> Run:
    """Run cmd; wall time, exit code, peak RSS of its process tree (psutil) and wait4's ru_maxrss."""
    import psutil

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        ps = psutil.Process(proc.pid)
        peak = 0
        while True:
            try:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            except KeyboardInterrupt:
                for p in [*ps.children(recursive=True), ps]:
                    try:
                        p.kill()
                    except psutil.Error:
                        pass
                raise
            if pid:
                break
            try:
                procs = [ps, *ps.children(recursive=True)]
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                peak = max(peak, total)
            except psutil.Error:
                pass
            time.sleep(POLL)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen never waits on it again
        out.seek(0)
        err.seek(0)
        maxrss = usage.ru_maxrss / 1024
        return Run(seconds, proc.returncode, max(peak / 2 ** 20, maxrss), maxrss,
                   usage.ru_utime + usage.ru_stime, load,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def say(msg: str) -> None:
    print(msg, flush=True)


# --------------------------------------------------------------------------- baseline

_SEG = _TOK = _SUMM = None
_WORD = re.compile(r"\w+(?:[-'\u2019]\w+)*")


class _Tokenizer:
    """sumy tokenizer without NLTK data: pysbd for sentences, a regex for words."""
    language = "english"

    def to_sentences(self, text):
        return tuple(s.strip() for s in _SEG.segment(text) if s.strip())

    def to_words(self, sentence):
        return tuple(_WORD.findall(sentence))


def _baseline_setup():
    """Import and build the baseline's objects (in the parent, before forking the pool)."""
    global _SEG, _TOK, _SUMM
    import dateparser.search  # noqa: F401
    import pysbd
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words
    _SEG = pysbd.Segmenter(language="en", clean=False)
    _TOK = _Tokenizer()
    _SUMM = TextRankSummarizer(Stemmer("english"))  # Snowball stemmer: code, no NLTK data
    _SUMM.stop_words = get_stop_words("english")    # shipped inside sumy


def baseline_one(path: str) -> tuple[int, int, int]:
    """One file: pysbd sentences, dateparser search_dates, sumy TextRank 3-sentence summary."""
    from dateparser.search import search_dates
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    sents = _TOK.to_sentences(text)
    dates = search_dates(text, languages=["en"]) or []
    doc = ObjectDocumentModel([Paragraph([Sentence(s, _TOK) for s in sents])])
    summary = _SUMM(doc, 3) if sents else ()
    return len(sents), len(dates), len(summary)


def _worker_init():
    import signal
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's clean-up handler
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_baseline(files: list[Path], procs: int = 2) -> tuple[float, dict]:
    from multiprocessing import get_context
    _baseline_setup()
    baseline_one(str(files[0]))  # warm dateparser's lazily built tables before forking
    t0 = time.perf_counter()
    pool = get_context("fork").Pool(procs, initializer=_worker_init)
    try:
        results = list(pool.imap_unordered(baseline_one, [str(f) for f in files], chunksize=4))
        pool.close()
        pool.join()
    finally:
        pool.terminate()
    seconds = time.perf_counter() - t0
    return seconds, {"sentences": sum(r[0] for r in results), "dates": sum(r[1] for r in results)}


# --------------------------------------------------------------------------- site figures

def site_figures(site: Path) -> dict:
    pages = sorted(site.rglob("*.html"))
    sizes = {p: p.stat().st_size for p in pages}
    articles = [s for p, s in sizes.items() if p.relative_to(site).parts[0] == "articles"
                and p.name == "index.html" and len(p.relative_to(site).parts) == 3]
    largest = max(sizes, key=sizes.get) if sizes else None
    all_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    try:
        du = subprocess.run(["du", "-sk", str(site)], capture_output=True, text=True).stdout.split()[0]
        du_mb = int(du) / 1024
    except (OSError, IndexError, ValueError):
        du_mb = None
    search = site / "search" / "search_index.json"
    fig = {
        "site_files": sum(1 for p in site.rglob("*") if p.is_file()),
        "site_pages": len(pages),
        "site_mb": all_bytes / 2 ** 20,
        "site_du_mb": du_mb,
        "article_pages": len(articles),
        "article_max": max(articles) / 1024 if articles else None,
        "article_median": statistics.median(articles) / 1024 if articles else None,
        "page_max": sizes[largest] / 1024 if largest else None,
        "page_max_name": largest.relative_to(site).as_posix() if largest else None,
        "search_bytes": search.stat().st_size / 2 ** 20 if search.exists() else None,
        "search_gzip": len(gzip.compress(search.read_bytes(), 6)) / 2 ** 20 if search.exists() else None,
    }
    pf = site / "pagefind"
    if pf.is_dir():
        files = [p for p in pf.rglob("*") if p.is_file()]
        fig["pagefind_mb"] = sum(p.stat().st_size for p in files) / 2 ** 20
        fig["pagefind_files"] = len(files)
    return fig


# --------------------------------------------------------------------------- one N

@dataclass
class Outcome:
    n: int
    figures: dict = field(default_factory=dict)
    runs: dict = field(default_factory=dict)       # name -> list of seconds
    skipped: Counter = field(default_factory=Counter)
    skipped_examples: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def _skips(run: Run) -> list[str]:
    return [l[len("skipped "):] for l in run.stderr.splitlines() if l.startswith("skipped ")]


def _reason(line: str) -> str:
    """'000123_x.txt: no actor found (...)' -> 'no actor found' (file names and numbers dropped)."""
    reason = line.split(": ", 1)[1] if ": " in line else line
    return re.sub(r"\d[\d,]*", "N", re.sub(r"'[^']*'", "'…'", reason))[:120]


def bench_n(n: int, a, outcome: Outcome) -> Outcome:
    work = Path(tempfile.mkdtemp(prefix=f"digest-bench-{n}-", dir=a.workdir))
    env = common.bench_env(work)
    F, R = outcome.figures, outcome.runs
    try:
        common.make_skeleton(work, a.snapshot)
        F["code"] = common.code_fingerprint(work)
        say(f"   measuring the snapshot of digest/ with fingerprint {F['code']}")
        t0 = time.perf_counter()
        files = generate(n, a.seed, work / "seeds")
        F["generate_s"] = time.perf_counter() - t0
        F["archive_mb"] = sum(f.stat().st_size for f in files) / 2 ** 20
        F["html_files"] = sum(f.suffix == ".html" for f in files)
        F["front_matter_files"] = sum(f.read_text(encoding="utf-8").startswith("---\n") for f in files)
        say(f"\n== N = {n:,}  (work dir {work}; archive {F['archive_mb']:.1f} MB, "
            f"{F['html_files']} HTML, {F['front_matter_files']} with front matter; generated in {F['generate_s']:.1f} s)")

        def digest(label: str) -> Run | None:
            r = measure(DIGEST, work, env)
            R.setdefault(label, []).append(r.seconds)
            R.setdefault(label + "_rss", []).append(r.peak_tree_mb)
            R.setdefault(label + "_cpu", []).append(r.cpu_s)
            R.setdefault("load", []).append(r.load)
            if r.rc not in (0, 3):
                msg = f"{label}: digest exited {r.rc}: " + " | ".join(r.stderr.strip().splitlines()[-3:])
                outcome.failures.append(msg)
                say("   FAILED " + msg)
                return None
            c = r.counts
            say(f"   {label:<14} {r.seconds:8.2f} s ({r.cpu_s:6.1f} s CPU, load {r.load:.1f})   peak RSS "
                f"{r.peak_tree_mb:5.0f} MB (largest process {r.maxrss_mb:.0f} MB)   exit {r.rc}"
                + (f", {c['analysed']} analysed / {c['cached']} from cache" if c else "")
                + (f", {len(_skips(r))} skipped" if _skips(r) else ""))
            if label == "digest_warm" and c.get("analysed"):
                note = (f"warm run re-analysed {c['analysed']} of {c['articles']} articles "
                        "(its cache missed)")
                outcome.notes.append(note)
                say("   NOTE " + note)
            return r

        def add_one(k: int) -> Path:
            name, text = make_article(n + k, a.seed)
            p = work / "seeds" / name
            p.write_text(text, encoding="utf-8")
            return p

        # ---- digest stage
        say("-- digest build --no-site")
        for rep in range(a.repeat):
            common.reset_docs(work)
            cold = digest("digest_cold")
            if cold and rep == 0:
                for line in _skips(cold):
                    outcome.skipped[_reason(line)] += 1
                    if len(outcome.skipped_examples) < 10:
                        outcome.skipped_examples.append(line)
                m = re.search(r"(\d+) articles\b.*?->.*?\((\d+) pages written", cold.stderr)
                if m:
                    F["articles_built"], F["md_pages"] = int(m.group(1)), int(m.group(2))
                else:
                    say("   (could not read the article count from digest's summary line)")
            digest("digest_warm")
            extra = add_one(rep)
            digest("digest_add1")
            extra.unlink()
        common.reset_docs(work)
        digest("restore")  # docs/ for the N articles, for the site build below (not a figure)
        R.pop("restore", None)
        R.pop("restore_rss", None)
        F["digest_cold"], F["digest_warm"], F["digest_add1"] = (median(R.get(k, [])) for k in
                                                                 ("digest_cold", "digest_warm", "digest_add1"))
        for k in ("digest_cold", "digest_warm", "digest_add1"):
            F[k + "_cpu"] = median(R.get(k + "_cpu", []))
        F["digest_rss"] = max(R.get("digest_cold_rss", [0]) + R.get("digest_warm_rss", []) + R.get("digest_add1_rss", []))
        if F["digest_cold"]:
            F["digest_cold_rate"] = n / F["digest_cold"]
            say(f"   median cold {F['digest_cold']:.2f} s = {F['digest_cold_rate']:.0f} articles/s; warm "
                f"{F['digest_warm']:.2f} s; one article added {F['digest_add1']:.2f} s")

        # ---- library baseline
        if not a.skip_baseline:
            sample = files if not a.baseline_sample or a.baseline_sample >= n else files[:a.baseline_sample]
            say(f"-- library baseline (pysbd + dateparser.search_dates + sumy TextRank, Pool(2)) on {len(sample):,} files")
            secs = []
            for rep in range(a.baseline_repeat or a.repeat):
                s, counts = run_baseline(sample)
                secs.append(s)
                say(f"   baseline       {s:8.2f} s = {len(sample) / s:6.1f} articles/s   "
                    f"({counts['sentences']:,} sentences, {counts['dates']:,} dates found)")
            F["baseline"] = median(secs)
            F["baseline_files"] = len(sample)
            F["baseline_rate"] = len(sample) / F["baseline"]
            if F.get("digest_cold_rate"):
                F["ratio"] = F["digest_cold_rate"] / F["baseline_rate"]
                say(f"   digest/baseline = {F['ratio']:.2f}x")

        # ---- MkDocs
        if not a.skip_site:
            say("-- mkdocs build (" + " ".join(MKDOCS[1:]) + ")")
            full, dirty, md1, rss = [], [], [], []
            for rep in range(a.repeat):
                shutil.rmtree(work / "site", ignore_errors=True)
                r = measure(MKDOCS, work, env)
                if r.rc:
                    msg = f"mkdocs full build exited {r.rc}: " + " | ".join((r.stderr + r.stdout).strip().splitlines()[-5:])
                    outcome.failures.append(msg)
                    say("   FAILED " + msg)
                    break
                full.append(r.seconds)
                rss.append(r.peak_tree_mb)
                R.setdefault("mkdocs_full_cpu", []).append(r.cpu_s)
                R.setdefault("load", []).append(r.load)
                say(f"   full           {r.seconds:8.2f} s   peak RSS {r.peak_tree_mb:7.0f} MB")
                if rep == 0:
                    F.update(site_figures(work / "site"))
                extra = add_one(100 + rep)
                m = measure(DIGEST, work, env)
                d = measure(MKDOCS[:4] + ["--dirty"] + MKDOCS[4:], work, env)
                if d.rc:
                    msg = f"mkdocs --dirty exited {d.rc}: " + " | ".join((d.stderr + d.stdout).strip().splitlines()[-5:])
                    outcome.failures.append(msg)
                    say("   FAILED " + msg)
                else:
                    md1.append(m.seconds)
                    dirty.append(d.seconds)
                    rss.append(d.peak_tree_mb)
                    say(f"   +1 article     {m.seconds:8.2f} s digest + {d.seconds:.2f} s mkdocs --dirty "
                        f"= {m.seconds + d.seconds:.2f} s")
                extra.unlink()
                measure(DIGEST, work, env)  # back to N articles (not a figure)
            R["mkdocs_full"], R["mkdocs_dirty"] = full, dirty
            F["mkdocs_full"], F["mkdocs_dirty"] = median(full), median(dirty)
            F["mkdocs_rss"] = max(rss) if rss else None
            F["mkdocs_full_cpu"] = median(R.get("mkdocs_full_cpu", []))
            if F["mkdocs_dirty"] is not None:
                F["site_add1"] = median([x + y for x, y in zip(md1, dirty)])
            if F["mkdocs_full"] and F.get("digest_cold"):
                F["full_cold"] = F["digest_cold"] + F["mkdocs_full"]
                F["full_cached"] = F["digest_warm"] + F["mkdocs_full"]
            if F.get("site_pages"):
                say(f"   site {F['site_mb']:.1f} MB in {F['site_files']:,} files ({F['site_pages']:,} pages); "
                    f"article page median {F['article_median']:.1f} KB, largest {F['article_max']:.1f} KB; "
                    f"largest page {F['page_max']:.1f} KB ({F['page_max_name']}); "
                    f"search_index.json {F['search_bytes']:.2f} MB ({F['search_gzip']:.2f} MB gzipped)")
    finally:
        if a.keep:
            say(f"   (kept {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return outcome


# --------------------------------------------------------------------------- report

def fmt(v, unit="", digits=2):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{digits}f}{unit}"
    return f"{v:,}{unit}"


ROWS = [  # key, label, unit, digits
    ("articles_built", "articles built (of N)", "", 0),
    ("digest_cold", "digest cold (fresh docs/, no cache)", " s", 2),
    ("digest_cold_rate", "digest cold throughput", " /s", 0),
    ("digest_warm", "digest warm (nothing changed)", " s", 2),
    ("digest_add1", "digest after adding one article", " s", 2),
    ("digest_cold_cpu", "  … CPU time of digest cold (user+sys, all processes)", " s", 1),
    ("digest_warm_cpu", "  … CPU time of digest warm", " s", 1),
    ("digest_add1_cpu", "  … CPU time of digest +1 article", " s", 1),
    ("digest_rss", "digest peak RSS (process tree)", " MB", 0),
    ("baseline", "library baseline, Pool(2)", " s", 2),
    ("baseline_rate", "library baseline throughput", " /s", 1),
    ("ratio", "digest / baseline throughput", "x", 2),
    ("mkdocs_full", "mkdocs build, full", " s", 2),
    ("mkdocs_full_cpu", "  … CPU time of mkdocs full", " s", 1),
    ("mkdocs_dirty", "mkdocs build --dirty after +1 article", " s", 2),
    ("site_add1", "one-article rebuild, whole site (digest + --dirty)", " s", 2),
    ("full_cold", "full build cold (digest cold + mkdocs full)", " s", 1),
    ("full_cached", "full build cached (digest warm + mkdocs full)", " s", 1),
    ("mkdocs_rss", "mkdocs peak RSS", " MB", 0),
    ("site_mb", "site size (sum of files)", " MB", 1),
    ("site_du_mb", "site size (du)", " MB", 1),
    ("site_pages", "HTML pages", "", 0),
    ("article_median", "article page, median", " KB", 1),
    ("article_max", "article page, largest", " KB", 1),
    ("page_max", "largest page overall", " KB", 1),
    ("search_bytes", "first search: search_index.json", " MB", 2),
    ("search_gzip", "  … gzipped", " MB", 2),
    ("pagefind_mb", "pagefind/ folder", " MB", 2),
]


def table(outcomes: list[Outcome]) -> str:
    head = "| figure | " + " | ".join(f"N = {o.n:,}" for o in outcomes) + " | target |"
    sep = "|---|" + "---:|" * len(outcomes) + "---|"
    lines = [head, sep]
    for key, label, unit, digits in ROWS:
        vals = [o.figures.get(key) for o in outcomes]
        if all(v is None for v in vals):
            continue
        target = TARGETS.get(key)
        cells = []
        for v in vals:
            c = fmt(v if not isinstance(v, float) or digits else round(v), unit, digits) if v is not None else "–"
            if target and v is not None and target[1] is not None:
                c += "" if target[1](v) else " ✗"
            cells.append(c)
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target[0] if target else ''} |")
    largest = [o.figures.get("page_max_name") for o in outcomes]
    if any(largest):
        lines.append("| largest page is | " + " | ".join(f"`{x}`" if x else "–" for x in largest) + " | |")
    if len(outcomes) > 1:
        lo, hi = outcomes[0], outcomes[-1]
        k = hi.n / lo.n
        for key, label in (("digest_cold", "digest cold"), ("full_cold", "full build cold")):
            a, b = lo.figures.get(key), hi.figures.get(key)
            if a and b:
                ok = "" if b / a <= 1.2 * k else " ✗"
                lines.append(f"| scaling: {label}, N={hi.n:,} / N={lo.n:,} | {b / a:.1f}x{ok} "
                             + "| " * (len(outcomes) - 1) + f"| <= {1.2 * k:.3g}x (N ratio {k:.3g}x) |")
    return "\n".join(lines)


def section(outcomes, a, date, fp_before, fp_after) -> str:
    m, v = common.machine(), common.versions()
    out = [f"## {date} · N = {', '.join(f'{o.n:,}' for o in outcomes)} · repeat {a.repeat}", ""]
    out.append(f"- machine: {m['nproc']} cores ({m['cpu']}), {m['ram']} RAM, {m['os']}, Python {m['python']}")
    out.append(f"- versions: digest {v['digest']}, mkdocs {v['mkdocs']}, mkdocs-material {v['mkdocs-material']}; "
               f"baseline pysbd {v['pysbd']}, dateparser {v['dateparser']}, sumy {v['sumy']}")
    fps = sorted({o.figures.get("code") for o in outcomes if o.figures.get("code")})
    out.append(f"- code measured: a snapshot of the working tree's digest/, templates/ and mkdocs.yml taken when "
               f"the run started, fingerprint {', '.join(fps) or fp_before} (HEAD was {common.git_head()}; "
               "the fingerprint is `bench/common.py:code_fingerprint`)")
    out.append(f"- command: `{common.command_line('run.py')}`")
    out.append(f"- archive: `bench/generate.py`, seed {a.seed}; figures are medians of {a.repeat} run(s); "
               "✗ marks a figure that misses its target")
    out += ["", table(outcomes), ""]
    loads = [x for o in outcomes for x in o.runs.get("load", [])]
    if loads:
        out.append(f"1-minute load average at the start of each measured command: {min(loads):.1f} to "
                   f"{max(loads):.1f} on {m['nproc']} cores (above about 1, other work was competing for the CPU; "
                   "CPU times are less affected than wall times).")
        out.append("")
    for o in outcomes:
        for note in o.notes:
            out.append(f"Note at N = {o.n:,}: {note}.")
        if o.failures:
            out.append(f"Failures at N = {o.n:,}:")
            out += [f"- {f}" for f in o.failures]
            out.append("")
        if o.skipped:
            total = sum(o.skipped.values())
            out.append(f"Files skipped by digest at N = {o.n:,}: {total} (exit 3), by reason:")
            out += [f"- {c} × {r}" for r, c in o.skipped.most_common(10)]
            out.append("  e.g. " + "; ".join(f"`{e}`" for e in o.skipped_examples[:3]))
            out.append("")
        elif not o.failures:
            out.append(f"N = {o.n:,}: no file skipped, no failure.")
    if a.baseline_sample:
        out.append(f"\nBaseline measured on the first {a.baseline_sample:,} files of each archive (rate extrapolated).")
    return "\n".join(out).rstrip() + "\n"


def _sigterm(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    import signal
    signal.signal(signal.SIGTERM, _sigterm)  # clean up the work dir when stopped
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="archive size (default 1000)")
    ap.add_argument("--n-list", help="comma-separated sizes, e.g. 1000,10000 (overrides --n)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is kept (default 3)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-site", action="store_true", help="no MkDocs build (digest and baseline only)")
    ap.add_argument("--skip-baseline", action="store_true", help="no library baseline")
    ap.add_argument("--baseline-sample", type=int, default=0,
                    help="run the baseline on the first K files only (rate extrapolated); 0 = all")
    ap.add_argument("--baseline-repeat", type=int, default=0, help="baseline runs (default: --repeat)")
    ap.add_argument("--date", help="date written into BENCHMARKS.md (default: date -u +%%F); documentation only")
    ap.add_argument("--workdir", help="parent folder of the temporary project copies (default: system temp)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary project copies")
    ap.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    a = ap.parse_args(argv)
    ns = [int(x.replace("_", "")) for x in a.n_list.split(",")] if a.n_list else [a.n]
    date = common.today(a.date)
    # one snapshot of digest/, templates/, mkdocs.yml and the hand-written docs for the whole run
    a.snapshot = Path(tempfile.mkdtemp(prefix="digest-bench-code-", dir=a.workdir))
    common.make_skeleton(a.snapshot)
    fp_before = common.code_fingerprint(a.snapshot)
    m = common.machine()
    say(f"digest benchmark {date}: {m['nproc']} cores ({m['cpu']}), {m['ram']} RAM; code {fp_before}")
    outcomes, interrupted = [], False
    try:
        for n in ns:
            o = Outcome(n)
            outcomes.append(o)
            bench_n(n, a, o)
    except KeyboardInterrupt:
        interrupted = True
        say("interrupted: printing what was measured; BENCHMARKS.md left alone")
    finally:
        shutil.rmtree(a.snapshot, ignore_errors=True)
    body = section(outcomes, a, date, fp_before, fp_before)
    say("\n" + body)
    out_dir = common.BENCH / "out"
    out_dir.mkdir(exist_ok=True)
    args, skip = [], False  # the command's arguments without --date: the section's key
    for x in sys.argv[1:]:
        if skip or x.startswith("--date="):
            skip = False
        elif x == "--date":
            skip = True
        else:
            args.append(x)
    key = f"run date={date} args={' '.join(args) or '(defaults)'}"
    (out_dir / f"{re.sub(r'[^A-Za-z0-9=,.-]+', '_', key)}.json").write_text(json.dumps(
        [{"n": o.n, "figures": o.figures, "runs": o.runs, "skipped": dict(o.skipped), "failures": o.failures,
          "notes": o.notes} for o in outcomes], indent=1, default=str))
    if not a.no_write and not interrupted:
        common.write_section(key, body)
        say(f"written to {common.BENCHMARKS_MD}")
    if interrupted:
        return 130
    return 1 if any(o.failures for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
