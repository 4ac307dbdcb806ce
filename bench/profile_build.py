#!/usr/bin/env python3
"""Where the time goes: cProfile of `digest build --no-site` on a generated archive.

    python bench/profile_build.py --n 1000 [--top 15] [--date YYYY-MM-DD] [--no-write]

cProfile sees one process only, and digest analyses articles in worker processes from 64
files on; so the build is profiled twice, both times cold (fresh docs/, no cache):
- serially, in one process (digest.pipeline.PARALLEL_FROM raised above N): every function
  of the build, with its share of the whole — the table that says what to optimise;
- as the CLI runs it (workers on): the parent's view — what is left outside the workers.
Writes the tables into BENCHMARKS.md under "Where the time goes (before optimising)".
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ensure_venv  # noqa: E402

if __name__ == "__main__":
    ensure_venv(__file__)

import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import site  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import common  # noqa: E402
from generate import generate  # noqa: E402

SITE_PACKAGES = [str(Path(p)) for p in site.getsitepackages()]
WRAPPERS = re.compile(r"click/|digest/cli\.py:\d+\((invoke|main)\)|<built-in method builtins\.exec>|"
                      r"<method 'disable' of '_lsprof")  # the command-line plumbing around the build


def where(func: tuple) -> str:
    file, line, name = func
    if file == "~":
        return name  # a builtin, e.g. <method 'sub' of 're.Pattern' objects>
    if f"/{common.CODE_DIR}/" in file:  # the snapshot of digest/ in the work dir
        return f"{file.split(f'/{common.CODE_DIR}/', 1)[1]}:{line}({name})"
    for prefix in SITE_PACKAGES + [str(common.ROOT)]:
        if file.startswith(prefix + os.sep):
            file = file[len(prefix) + 1:]
            break
    else:
        file = re.sub(r".*/lib/python3\.\d+/", "", file)
    return f"{file}:{line}({name})"


def top(stats: pstats.Stats, key: str, n: int, total: float) -> str:
    stats.sort_stats(key)
    rows = ["| # | function | calls | own s | cumulative s | % of build |", "|---:|---|---:|---:|---:|---:|"]
    funcs = [f for f in stats.fcn_list if not WRAPPERS.match(where(f))][:n]
    for i, func in enumerate(funcs, 1):
        cc, nc, tt, ct, _ = stats.stats[func]
        calls = f"{nc:,}" if cc == nc else f"{nc:,}/{cc:,}"
        share = (ct if key == "cumulative" else tt) / total * 100
        rows.append(f"| {i} | `{where(func)}` | {calls} | {tt:.2f} | {ct:.2f} | {share:.0f} % |")
    return "\n".join(rows)


def profile_build(work: Path, serial: bool) -> tuple[pstats.Stats, float, str]:
    """One cold `digest build --no-site` in this process, under cProfile."""
    code = str(work / common.CODE_DIR)  # the snapshot of digest/ made by make_skeleton
    if code not in sys.path:
        sys.path.insert(0, code)
    os.environ["PYTHONPATH"] = code  # for the worker processes, should they re-import
    import digest.pipeline as pipeline
    assert Path(pipeline.__file__).is_relative_to(code), pipeline.__file__
    from digest.cli import cli
    common.reset_docs(work)
    saved = pipeline.PARALLEL_FROM
    if serial:
        pipeline.PARALLEL_FROM = 10 ** 12
    cwd = os.getcwd()
    os.chdir(work)
    err = io.StringIO()
    prof = cProfile.Profile()
    real_stderr = sys.stderr
    try:
        sys.stderr = err
        t0 = time.perf_counter()
        prof.enable()
        try:
            cli.main(["build", "--no-site"], prog_name="digest", standalone_mode=False)
        except SystemExit:
            pass
        finally:
            prof.disable()
        wall = time.perf_counter() - t0
    finally:
        sys.stderr = real_stderr
        os.chdir(cwd)
        pipeline.PARALLEL_FROM = saved
    return pstats.Stats(prof), wall, err.getvalue()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--date", help="date written into BENCHMARKS.md (default: date -u +%%F)")
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args(argv)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    date = common.today(a.date)
    work = Path(tempfile.mkdtemp(prefix=f"digest-profile-{a.n}-"))
    os.environ["XDG_CACHE_HOME"] = str(work / ".xdg-cache")
    try:
        common.make_skeleton(work)
        fp = common.code_fingerprint(work)
        generate(a.n, a.seed, work / "seeds")
        serial, serial_wall, serial_err = profile_build(work, serial=True)
        print(f"serial build under cProfile: {serial_wall:.1f} s", flush=True)
        parallel, par_wall, par_err = profile_build(work, serial=False)
        print(f"parallel build (parent process) under cProfile: {par_wall:.1f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    skipped = [l for l in serial_err.splitlines() if l.startswith("skipped ")]
    summary = next((l for l in serial_err.splitlines() if " articles" in l and "->" in l), "")
    m = common.machine()
    body = [
        "## Where the time goes (before optimising)", "",
        "click's own frames are left out of the tables; \"% of build\" is cumulative (or own) time over the "
        "whole profiled build. Module imports happen before profiling starts; loading the data files does not.", "",
        f"- {date}; `{common.command_line('profile_build.py')}`; code fingerprint {fp} (HEAD {common.git_head()}); "
        f"{m['nproc']} cores ({m['cpu']}), Python {m['python']}",
        f"- archive: `bench/generate.py`, N = {a.n:,}, seed {a.seed}; cold build (fresh docs/, no cache)",
        f"- serial run (one process, so cProfile sees every function): {serial_wall:.1f} s under the "
        f"profiler; digest said: `{summary.strip()}`" + (f"; {len(skipped)} file(s) skipped" if skipped else ""),
        "",
        f"### Top {a.top} by cumulative time (serial build)", "",
        top(serial, "cumulative", a.top, serial_wall), "",
        f"### Top {a.top} by own time (serial build)", "",
        top(serial, "tottime", a.top, serial_wall), "",
        f"### The CLI as it runs (worker processes on): the parent process, {par_wall:.1f} s", "",
        "Time inside the workers shows here only as waiting (lock `acquire`, `wait`). Run after the serial "
        "build in the same process, so the registries and templates were already loaded.", "",
        top(parallel, "cumulative", 12, par_wall), "",
    ]
    text = "\n".join(body)
    print(text)
    if not a.no_write:
        common.write_section("profile", text)
        print(f"written to {common.BENCHMARKS_MD}")


if __name__ == "__main__":
    main()
