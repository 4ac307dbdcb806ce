"""Shared by bench/run.py and bench/profile_build.py: the bench venv, the project skeleton, the
machine description and the BENCHMARKS.md writer. Standard library only (psutil is imported
by run.py once it runs inside bench/.venv)."""
from __future__ import annotations

import compileall
import hashlib
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV = BENCH / ".venv"
VENV_PY = VENV / "bin" / "python"
REQUIREMENTS = BENCH / "requirements.txt"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
SKELETON_DIRS = ("templates", "overrides", "hooks")  # copied when present


# --------------------------------------------------------------------------- bench venv

def _stamp_text(base: str) -> str:
    h = hashlib.sha256(base.encode())
    for f in (REQUIREMENTS, ROOT / "pyproject.toml"):
        h.update(f.read_bytes())
    return h.hexdigest()


def _base_python() -> str:
    """The interpreter the Makefile builds .venv with (tools/python), so that the bench measures
    what `make site` runs; else the one running this."""
    try:
        chosen = subprocess.run(["sh", str(ROOT / "tools" / "python")], capture_output=True, text=True).stdout.strip()
    except OSError:
        chosen = ""
    return chosen or getattr(sys, "_base_executable", sys.executable)


def ensure_venv(script: str) -> None:
    """Re-run `script` inside bench/.venv, creating/updating it first (digest -e .. + requirements).

    The project venv is never touched: the baseline libraries live only in bench/.venv.
    """
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if sys.version_info < (3, 11):
        sys.exit("the benchmark needs Python 3.11 or newer")
    stamp = VENV / ".bench-installed"
    base = _base_python()
    want = _stamp_text(base)
    if not VENV_PY.exists() or not stamp.exists() or stamp.read_text() != want:
        print(f"setting up {VENV.relative_to(ROOT)} with {base} (digest -e . + {REQUIREMENTS.name}) ...", file=sys.stderr)
        subprocess.run([base, "-m", "venv", "--clear", str(VENV)], check=True)
        pip = [str(VENV_PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run(pip + ["--upgrade", "pip"], check=True)
        subprocess.run(pip + ["-e", str(ROOT), "-r", str(REQUIREMENTS)], check=True)
        stamp.write_text(want)
    os.execv(str(VENV_PY), [str(VENV_PY), script, *sys.argv[1:]])


# --------------------------------------------------------------------------- skeleton

def _ignored_docs() -> list[str]:
    """The generated paths under docs/ that .gitignore names ("docs/articles/" -> "articles/")."""
    gi = ROOT / ".gitignore"
    lines = gi.read_text(encoding="utf-8").splitlines() if gi.exists() else []
    return [l.strip()[len("docs/"):] for l in lines if l.strip().startswith("docs/")]


def handwritten_docs() -> list[Path]:
    """docs/ files that digest did not generate: not in docs/.generated (digest's list of what it
    wrote), not git-ignored, not hidden."""
    docs = ROOT / "docs"
    manifest = docs / ".generated"
    generated = set(manifest.read_text(encoding="utf-8").split("\n")) if manifest.exists() else set()
    ignored = _ignored_docs()
    out = []
    for p in sorted(docs.rglob("*")):
        rel = p.relative_to(docs).as_posix()
        if (p.is_file() and rel not in generated and not any(part.startswith(".") for part in rel.split("/"))
                and not any(rel == g or (g.endswith("/") and rel.startswith(g)) for g in ignored)):
            out.append(p)
    return out


CODE_DIR = ".bench-code"  # inside the work dir: the frozen copy of digest/ that is measured


def make_skeleton(work: Path, source: Path = ROOT) -> None:
    """A copy of the project as a site author has it: mkdocs.yml, templates/, hand-written docs;
    plus a snapshot of the digest package (see bench_env). `source`: the repository, or an
    earlier skeleton to copy the same snapshot from."""
    work.mkdir(parents=True, exist_ok=True)
    pkg = source / CODE_DIR / "digest" if (source / CODE_DIR).is_dir() else source / "digest"
    shutil.copytree(pkg, work / CODE_DIR / "digest", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
    # byte-compiled, as an install leaves a package: where PYTHONDONTWRITEBYTECODE is set (this
    # machine), every measured command compiled digest's modules again (~25 ms of each start)
    compileall.compile_dir(work / CODE_DIR / "digest", quiet=1)
    shutil.copy2(source / "mkdocs.yml", work / "mkdocs.yml")
    for d in SKELETON_DIRS:
        if (source / d).is_dir():
            shutil.copytree(source / d, work / d, dirs_exist_ok=True)
    if source == ROOT:
        reset_docs(work)
    else:
        shutil.copytree(source / "docs", work / "docs")


def discard(path: Path) -> None:
    """Move a previous run's output aside, into work/.trash (removed with the work dir when
    every size is measured), instead of removing its tens of thousands of files right before a
    timed run: on this machine (ext4 mounted with `discard`), 3,000 files made right after a
    removal took 1-2 s, and 0.06-0.1 s otherwise: ext4 without a journal, as here, will not
    reuse an inode freed in the last minute, or in the last 6 while its inode table block is
    unwritten, and searches past them (`recently_deleted` in fs/ext4/ialloc.c, hot in `perf`).
    A 10,000-article cold build right after a removal took 7.8-8.0 s of system CPU, against
    2.7-3.0 s with the output moved aside. A build in a fresh clone does not pay for that."""
    if path.exists():
        trash = path.parent / ".trash"
        trash.mkdir(exist_ok=True)
        os.replace(path, trash / f"{len(list(trash.iterdir()))}-{path.name}")


def reset_docs(work: Path) -> None:
    """docs/ back to the hand-written pages only; no site/, no caches."""
    for d in ("docs", "site", ".cache", ".xdg-cache", ".site.old", *(p.name for p in work.glob(".digest-stage-*"))):
        discard(work / d)
    (work / "docs").mkdir()
    for p in handwritten_docs():
        dest = work / "docs" / p.relative_to(ROOT / "docs")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, dest)


def bench_env(work: Path) -> dict:
    """Environment of every measured command. PYTHONPATH puts the snapshot of digest/ taken by
    make_skeleton ahead of the editable install, so one run measures one version of the code even
    while digest/ is being edited (an edit would also empty digest's cache, keyed on the code)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(work / CODE_DIR)
    env["NO_MKDOCS_2_WARNING"] = "1"          # Material's end-of-life banner
    env["XDG_CACHE_HOME"] = str(work / ".xdg-cache")  # any user-level cache stays in the work dir
    return env


# --------------------------------------------------------------------------- description

def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        m = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        ram = f"{int(m.group(1)) / 1024 ** 2:.1f} GiB"
    except (OSError, AttributeError):
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "ram": ram,
            "python": platform.python_version(), "os": f"{platform.system()} {platform.release()}"}


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version
    out = {}
    for pkg in ("digest", "mkdocs", "mkdocs-material", "pagefind-bin", "pysbd", "dateparser", "sumy", "playwright"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "-"
    return out


def chromium_version(path: str) -> str:
    """'Chromium 156.0.8078.79' (from `chromium --version`), or why not."""
    if not Path(path).exists():
        return f"no {path}"
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return f"{path} (version unknown)"
    return re.sub(r"\s+built on.*", "", out) or f"{path} (version unknown)"


def code_fingerprint(root: Path = ROOT) -> str:
    """sha256 over digest/ (sources, data), templates/ (the theme included) and mkdocs.yml under
    `root` (the repository or a work dir): which code was measured."""
    h = hashlib.sha256()
    pkg = root / CODE_DIR / "digest" if (root / CODE_DIR).is_dir() else root / "digest"
    files = sorted([*pkg.rglob("*"), *(root / "templates").rglob("*"), root / "mkdocs.yml"])
    for f in files:
        if f.is_file() and "__pycache__" not in f.parts and not f.name.endswith(".pyc"):
            rel = f.relative_to(pkg.parent if pkg in f.parents else root).as_posix()
            h.update(rel.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


def git_head() -> str:
    """The checked-out commit, read from .git (git itself is not run)."""
    try:
        head = (ROOT / ".git" / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = head[5:]
            p = ROOT / ".git" / ref
            if p.exists():
                return p.read_text().strip()[:12]
            packed = ROOT / ".git" / "packed-refs"
            if packed.exists():
                for line in packed.read_text().splitlines():
                    if line.endswith(" " + ref):
                        return line.split()[0][:12]
            return "unknown"
        return head[:12]
    except OSError:
        return "unknown"


def today(arg: str | None) -> str:
    if arg:
        return arg
    try:
        return subprocess.run(["date", "-u", "+%F"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown date"


def command_line(script: str) -> str:
    return shlex.join(["python", f"bench/{script}", *sys.argv[1:]])


# --------------------------------------------------------------------------- BENCHMARKS.md

HEADER = """# Benchmarks

Figures written by `bench/run.py` (timings, memory, site size) and `bench/profile_build.py`
(where the time goes). How to run them and what each figure means: `bench/README.md`.
Each section is keyed by an HTML comment; re-running the same command on the same day
replaces its section, anything else is appended.
"""


def write_section(key: str, body: str, path: Path = BENCHMARKS_MD) -> None:
    """Replace the section marked `key` in BENCHMARKS.md, or append it."""
    start, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    block = f"{start}\n{body.rstrip()}\n{end}\n"
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block + after.lstrip("\n")
        if not text.endswith("\n"):
            text += "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + block
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
