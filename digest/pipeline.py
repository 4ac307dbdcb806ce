"""The build, as a list of stages: discover, read+analyse (cached, parallel), render, write, site."""
from __future__ import annotations

import functools
import gc
import hashlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import search, snapshot
from .cache import Cache, code_fingerprint, files_fingerprint, key, pack, signature, unpack
from .config import Config, processes
from .errors import InputError
from .export import prepare
from .ingest import discover, entries, parse
from .memo import WRITTEN, Memo, template_files
from .model import Article
from .render import render_all
from .write import atomic_text, generated, prune_empty, write_pages

PARALLEL_FROM = 64  # articles; below, one worker (a second would load the gazetteer again, ~0.4 s)


@dataclass
class Result:
    articles: list[Article]
    skipped: list[str] = field(default_factory=list)  # "file: reason"
    stats: dict = field(default_factory=dict)
    outcomes: dict = field(default_factory=dict)  # cache key -> Article or reason: gather(known=) next time
    snapshot_due: tuple | None = None  # (path, keys read from it) when the cache's snapshot is out of date


class ArticleTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise ArticleTimeout


def fewer_collections(func):
    """Run a batch stage with the cyclic GC far less often. A build holds millions of live
    objects (10,000 articles), and CPython's default thresholds rescan them all again and again
    while pages and records are made: 40 % of the render stage, 10-20 % of analysis (workers
    are forked inside, so they inherit it). The few cycles made are still collected."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        old = gc.get_threshold()
        gc.set_threshold(50_000, 20, 100)
        try:
            return func(*args, **kwargs)
        finally:
            gc.set_threshold(*old)
    return wrapper


@contextmanager
def unscanned():
    """While thousands of articles are unpickled, no cyclic GC, and what was made goes
    straight into the oldest generation (gc.freeze, then unfreeze), which only a rare full
    collection scans. Articles hold no cycles: scanning them, young and again as they age,
    was ~0.3 s of every build at 10,000 articles, 30 % of loading them from the cache. A cycle
    made meanwhile is still collected, by a full collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def process(rel: str, data: bytes, seconds: float = 0) -> Article | str:
    """One file's bytes -> Article, or the one-line reason it was skipped."""
    from .analyse import analyse  # here: a build with nothing to analyse never loads it (~50 ms)
    timed = seconds > 0 and hasattr(signal, "setitimer")
    if timed:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return prepare(analyse(parse(data, rel)))  # export text made here, on both cores
    except InputError as exc:
        return exc.message
    except ArticleTimeout:
        return f"{rel}: took longer than {seconds:g} s to analyse; skipped (pathological input?)"
    except Exception as exc:  # a bug must cost one article, not the build
        return f"{rel}: could not be analysed ({type(exc).__name__}: {exc})"
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)


def warm_up() -> None:
    """Load the analysers (registries, gazetteer: ~0.4 s) by analysing a made-up article."""
    process("warm-up.txt", b"Baghdad, January 5, 2024. Kata'ib Hezbollah claimed a drone attack on US forces.\n")


def _process_packed(args) -> bytes:
    """process(), its outcome packed for the cache in the worker: the parent stores the
    bytes as they come and unpickles them once, instead of pickling every article again."""
    return pack(process(*args))


@fewer_collections
def gather(cfg: Config, progress=None, known: dict | None = None) -> Result:
    """Every article of the seeds folder, from the cache where its inputs have not changed.
    `known`: a previous Result's outcomes, held in memory (`digest serve`), used before the cache."""
    started = time.perf_counter()
    cache = Cache(cfg.cache)
    before, seen = cache.seen(), {}
    skipped, args = [], {}  # cache key -> the arguments of process(); data None: not read yet
    files = list(discover(cfg.seeds))
    fresh: dict = {}
    with _early_workers(cfg, 0 if before else len(files)) as pool:
        for rel, path in files:
            try:
                sig = signature(path)
                k, data = (before[rel][1], None) if sig and before.get(rel, ("",))[0] == sig else (None, _read_bytes(path))
            except OSError as exc:
                skipped.append(_unreadable(rel, exc))
                continue
            k = k or key(rel, data)
            if sig:
                seen[rel] = (sig, k)
            args[k] = (rel, data, cfg.article_seconds)
        keys = list(args)
        held = {k: known[k] for k in keys if k in known} if known else {}
        stored = cache.stored([k for k in keys if k not in held])
        todo = _with_data([k for k in keys if k not in held and k not in stored], args, cfg, skipped)
        with _analysis([args[k] for k in todo], cfg, bool(stored), pool) as made, unscanned():  # the workers start now
            loaded = cache.get_many([k for k in keys if k in stored])  # meanwhile
            again = [k for k in keys if k in stored and k not in loaded]  # entries that could not be read
            arrivals = itertools.chain(zip(todo, _track(made, len(todo), progress)),
                                       ((k, _process_packed(args[k])) for k in _with_data(again, args, cfg, skipped)))
            cache.update(_unpacked(arrivals, fresh), list(args))
    cache.remember({rel: v for rel, v in seen.items() if v[1] in args}, before)
    cache.close()
    outcomes = {k: held.get(k) or loaded.get(k) or fresh[k] for k in args}
    articles = [o for o in outcomes.values() if isinstance(o, Article)]
    skipped += [o for o in outcomes.values() if isinstance(o, str)]
    result = Result(_dedupe_ids(articles, skipped), skipped, outcomes=outcomes)
    if snapshot.stale(cache.snapshot_entries, len(cache.from_snapshot), len(loaded), len(fresh)):
        result.snapshot_due = (cache.snapshot, cache.from_snapshot)
    result.stats = {"analysed": len(fresh), "cached": len(loaded) + len(held),
                    "timings": {"read+analyse": time.perf_counter() - started}}
    return result


def _with_data(todo: list[str], args: dict, cfg: Config, skipped: list[str]) -> list[str]:
    """The keys of `todo` with their files' bytes in `args`, read now for those whose unchanged
    signature spared reading them before: a file that cannot be read is skipped."""
    ready = []
    for k in todo:
        rel, data, seconds = args[k]
        if data is None:
            try:
                args[k] = (rel, _read_bytes(os.path.join(cfg.seeds, rel)), seconds)
            except OSError as exc:
                skipped.append(_unreadable(rel, exc))
                del args[k]
                continue
        ready.append(k)
    return ready


def _unreadable(rel: str, exc: OSError) -> str:
    return f"{rel}: cannot read file ({exc.strerror})"


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _unpacked(arrivals, fresh: dict):
    """(key, packed outcome) pairs as they arrive, each unpacked into `fresh` on the way to
    the cache: the packed bytes of the whole archive are never held at once."""
    for k, blob in arrivals:
        fresh[k] = unpack(blob)
        yield k, blob


@contextmanager
def _early_workers(cfg: Config, files: int):
    """Workers started before the files are read, or None. With no record of a previous build
    (the first, or --no-cache: `files` new files), they load their analysers (~0.25 s) while
    this process reads and hashes the files (~0.25 s at 10,000)."""
    jobs = processes(cfg.jobs)
    if files < PARALLEL_FROM or jobs < 2:
        yield None
        return
    with ProcessPoolExecutor(jobs) as pool:
        for _ in range(jobs):
            pool.submit(warm_up)
        yield pool


@contextmanager
def _analysis(todo: list, cfg: Config, overlap: bool, pool: ProcessPoolExecutor | None = None):
    """The packed outcomes of `todo`, in order, as they are made; the workers start at once
    (`pool`: started already). Forked workers analyse many articles, or (`overlap`) even one
    while this process loads the cache: the analysers' start-up (the gazetteer, ~0.4 s)
    then costs no wall time."""
    cores = processes(cfg.jobs)
    jobs = min(cores if len(todo) >= PARALLEL_FROM else 1, len(todo))
    if pool is not None or (cores > 1 and todo and (jobs > 1 or overlap)):
        with pool or ProcessPoolExecutor(jobs) as workers:
            yield workers.map(_process_packed, todo, chunksize=max(1, min(16, len(todo) // (4 * cores))))
    else:
        yield map(_process_packed, todo)


def _track(iterable, total, progress):
    for done, item in enumerate(iterable, 1):
        yield item
        if progress:
            progress(done, total)


def _dedupe_ids(articles: list[Article], skipped: list[str]) -> list[Article]:
    """Two files whose names slugify alike: the later one is skipped, by name."""
    seen: dict[str, Article] = {}
    for a in sorted(articles, key=lambda a: a.file):
        if a.id in seen:
            skipped.append(f"{a.file}: its page id '{a.id}' is already used by {seen[a.id].file}; rename one file")
        else:
            seen[a.id] = a
    return sorted(seen.values(), key=lambda a: a.id)


@fewer_collections
def generate(cfg: Config, progress=None, site: bool = False, gathered: Result | None = None) -> Result:
    """Gather (unless done already), render, and publish: docs/ only, or docs/ and the site
    together, atomically. The site is rebuilt incrementally when the live one allows it.
    Changed pages are written into a stage by the renderers, and moved into docs/ at the end."""
    result = gathered or gather(cfg, progress)
    with _snapshot_kept(cfg, result):
        _generate(cfg, result, site)
    return result


@contextmanager
def _snapshot_kept(cfg: Config, result: Result):
    """When gather found the cache's snapshot out of date (snapshot.py), write it again: in a
    forked process while this one renders, or with one core after the build. That is the
    first build after a cold one that analyses nothing, then about one in every 2 % of the
    archive added or changed. At 10,000 articles, sharing the values of those not read from
    the last snapshot and dumping them all takes ~1 s of CPU for the first: that build takes
    ~0.9 s longer than one that reads it (2.4 s against 1.5 s, nothing changed)."""
    if result.snapshot_due is None:
        yield
        return
    path, shared = result.snapshot_due
    items = [(k, a) for k, a in result.outcomes.items() if isinstance(a, Article)]
    save = functools.partial(snapshot.save, path, code_fingerprint(), items, shared)
    if processes(cfg.jobs) < 2 or not hasattr(os, "fork"):
        yield
        save()
        return
    pid = os.fork()
    if pid == 0:  # the child: never back into the build
        try:
            save()
        finally:
            os._exit(0)
    try:
        yield
    finally:
        os.waitpid(pid, 0)


def _generate(cfg: Config, result: Result, site: bool) -> None:
    timed = _Timer(result.stats.setdefault("timings", {}))
    old = generated(cfg.docs)
    fingerprint = site_fingerprint(cfg, old) if site else None
    state = site and _incremental_state(cfg, fingerprint)
    live = cfg.site if state else None  # incremental: only changed pages are built, beside the live site
    with staging(cfg, site) as stage:
        staged = stage / "docs"  # for a site build, a copy of docs/ (MkDocs reads it whole)
        with timed("render"):
            _trim_heap()  # before the renderers are forked from this process
            previous = {k: v for k, v in old.items() if v} if cfg.cache else {}  # --no-cache: render all
            memo = Memo(cfg.templates, previous, cfg.docs)
            pages = render_all(result.articles, cfg.templates, cfg.site_name, memo, cfg.jobs,
                               base=staged if site else cfg.docs, out=staged,
                               compiled=cfg.cache.parent / "compiled-templates" if cfg.cache else None)
        removed = sorted(set(old) - set(pages))
        if site:
            for rel in removed:
                (staged / rel).unlink(missing_ok=True)
            changed = sorted(rel for rel, value in pages.items() if value is WRITTEN)
            with timed("mkdocs"):
                result.stats["html"] = build_site(stage / "mkdocs.yml", stage / "site", only=changed if live else None,
                                                  cache=cfg.cache.parent / "html.sqlite" if cfg.cache else None)
            with timed("search"):
                held = search.index(stage / "site", pages, state and state["search"], live=live)
        with timed("commit"), deferred_signals():  # the commit: old outputs stay whole until the build succeeded
            result.stats.update(write_pages(pages, cfg.docs, staged))
            if live:
                _merge(stage / "site", live, removed, cfg)
            elif site:
                _swap(stage / "site", cfg.site)
            if site:
                _save_state(cfg, fingerprint, held)
    if site:
        result.stats["site"] = "incremental" if state else "full"


class _Timer:
    """`with timed("stage"):` adds the stage's wall time to the build's figures."""

    def __init__(self, into: dict):
        self.into = into

    @contextmanager
    def __call__(self, stage: str):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.into[stage] = self.into.get(stage, 0.0) + time.perf_counter() - t0


def site_fingerprint(cfg: Config, generated_pages: dict) -> str:
    """Everything besides the generated Markdown that shapes the site: a change means a full
    rebuild. The hand-written files of docs/ (about.md, an image) count: an incremental build
    remakes only the pages this build wrote, and would leave an edited one stale."""
    from importlib import metadata  # here: ~12 ms to import, and only a site build needs it
    versions = ",".join(f"{dist}={metadata.version(dist)}" for dist in ("mkdocs", "mkdocs-material", "pagefind-bin"))
    files = files_fingerprint([cfg.mkdocs_yml, *template_files(cfg.templates),
                               *hand_written(cfg.docs, generated_pages)])
    return hashlib.sha256(f"{versions}\0{files}".encode()).hexdigest()


def hand_written(docs: Path, generated_pages: dict) -> list[Path]:
    """The files of `docs` that digest did not write (`generated_pages`: what write.generated
    lists), in path order. Hidden ones are left out, as MkDocs leaves them out of the site
    (docs/.generated, an editor's swap file)."""
    if not docs.is_dir():
        return []
    return [docs / rel for rel in sorted(rel for rel, _ in entries(str(docs), suffixes=None) if rel not in generated_pages)]


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _incremental_state(cfg: Config, fingerprint: str) -> dict | None:
    """The saved state, if it describes the live site exactly (else: build it all)."""
    if cfg.full or not cfg.state:
        return None
    try:
        state = json.loads(cfg.state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = (isinstance(state, dict) and state.get("fingerprint") == fingerprint
          and state.get("sitemap") == _file_hash(cfg.site / "sitemap.xml") and isinstance(state.get("search"), dict))
    return state if ok else None


def _save_state(cfg: Config, fingerprint: str, held: dict) -> None:
    if cfg.state:
        state = {"fingerprint": fingerprint, "sitemap": _file_hash(cfg.site / "sitemap.xml"), "search": held}
        atomic_text(cfg.state, json.dumps(state, sort_keys=True))


def _merge(new: Path, live: Path, removed: list[str], cfg: Config) -> None:
    """An incremental build's few outputs into the live site: each file replaced whole (never
    written through), each search bundle swapped whole, removed pages' HTML deleted. Not one
    atomic swap, so the saved state is dropped first: if this is cut short, the next build
    is a full one."""
    if cfg.state:
        cfg.state.unlink(missing_ok=True)
    bundles = [p for p in new.iterdir() if p.is_dir() and search.is_bundle(p.name)]
    for path in sorted(new.rglob("*")):
        rel = path.relative_to(new)
        if path.is_file() and not search.is_bundle(rel.parts[0]):
            (live / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, live / rel)
    for bundle in bundles:
        _swap(bundle, live / bundle.name)
    for old in live.iterdir():
        if old.is_dir() and search.is_bundle(old.name) and old.name not in search.listed(live):
            shutil.rmtree(old)  # a bundle the index no longer uses
    for rel in removed:
        path = live / search.html_of(rel)
        path.unlink(missing_ok=True)
        prune_empty(path.parent, live)


@contextmanager
def staging(cfg: Config, site: bool = True):
    """A scratch folder beside the project, always removed, with a docs/ for the changed pages.
    For a site build, docs/ is a copy of docs/ made of hard links so it is cheap, and site/ is
    empty, for MkDocs' output. Nothing writes into a linked file in place: writers replace
    files (write.py, site_build.py)."""
    root = cfg.mkdocs_yml.resolve().parent
    for leftover in root.glob(".digest-stage-*"):  # from a build that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    stage = Path(tempfile.mkdtemp(prefix=".digest-stage-", dir=root))
    try:
        if not site:
            (stage / "docs").mkdir()
            yield stage
            return
        if cfg.docs.is_dir():
            _link_tree(cfg.docs, stage / "docs")
        (stage / "site").mkdir()
        theme = (cfg.templates / "theme").resolve()
        (stage / "mkdocs.yml").write_text(
            f"INHERIT: {cfg.mkdocs_yml.resolve()}\ndocs_dir: docs\nsite_dir: site\n"
            f"theme:\n  custom_dir: {json.dumps(str(theme))}\n", encoding="utf-8")
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _link_tree(src: Path, dst: Path) -> None:
    """A copy of `src` made of hard links. GNU cp makes it without Python's per-file cost
    (a tree of 22,000 files: 1.4 s, shutil.copytree 3.7 s); where cp has no -l, copytree."""
    try:
        if subprocess.run(["cp", "-al", str(src), str(dst)], capture_output=True).returncode == 0:
            return
    except OSError:
        pass
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, copy_function=os.link)


@contextmanager
def deferred_signals():
    """Ctrl-C or a TERM during a commit lands after it, so outputs are never half-swapped."""
    sigs = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _trim_heap() -> None:
    """glibc: hand the heap pages freed since reading the seeds back to the system (~55 MB at
    10,000 articles), which forked workers would otherwise share and the build be charged for."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _die_with_parent() -> None:
    """Linux: if digest is killed, MkDocs stops too instead of writing into a dead stage."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def build_site(config: Path, site: Path, only: list[str] | None = None, cache: Path | None = None) -> dict:
    """Render a docs tree into HTML with MkDocs, strict (a broken link fails the build);
    `only`: just these pages (docs paths), into `site` (the live site is elsewhere); `cache`:
    the file of converted pages kept across builds. Returns the pages converted and reused
    (with a cache) and the CPU time MkDocs took, its workers' included."""
    cmd = [sys.executable, "-m", "digest.site_build", str(config), str(site.resolve())]
    if only is not None:
        listing = site.parent / "only.txt"
        listing.write_text("".join(f"{rel}\n" for rel in only), encoding="utf-8")
        cmd += ["--only", str(listing)]
    if cache is not None:
        cmd += ["--cache", str(cache.resolve())]
    import resource  # Unix, as is forking MkDocs' workers
    cpu = lambda: sum(getattr(resource.getrusage(resource.RUSAGE_CHILDREN), k) for k in ("ru_utime", "ru_stime"))  # noqa: E731
    before = cpu()
    proc = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=_die_with_parent)
    stats = {"cpu": round(cpu() - before, 2)}
    try:
        stats.update(json.loads(proc.stdout.strip().splitlines()[-1]))
    except (IndexError, ValueError):
        pass  # no cache
    if proc.returncode:
        out = (proc.stderr + proc.stdout).splitlines()
        lines = [l for l in out if l.startswith(("WARNING", "ERROR"))] or out[-1:]
        raise RuntimeError("mkdocs build failed, previous site kept: " + (" | ".join(lines[:5]) or f"exit {proc.returncode}"))
    return stats
