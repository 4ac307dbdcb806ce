"""Command line: thin click commands over the library (digest.pipeline and friends)."""
from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .config import Config

SEEDS = click.option("--seeds", type=click.Path(path_type=Path), default=Path("seeds"), show_default=True,
                     help="Folder of raw articles (.txt, .md, .html).")


NO_CACHE = click.option("--no-cache", is_flag=True, help="Analyse every article again (ignore .cache/digest/).")


class Group(click.Group):
    """Any unexpected error becomes one line, not a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            raise click.ClickException("interrupted") from None
        except Exception as exc:
            raise click.ClickException(f"{type(exc).__name__}: {exc}") from None


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digest")
def cli():
    """Turn a folder of raw news articles into a searchable static site."""


def _progress():
    """A progress bar on a terminal; elsewhere (CI, a log) none, and rich is not even
    imported (~23 ms of every build, python -X importtime)."""
    if not sys.stderr.isatty():
        return contextlib.nullcontext(), None
    from rich.progress import Progress
    bar = Progress(transient=True)
    task = bar.add_task("reading articles", total=None)
    return bar, lambda done, total: bar.update(task, completed=done, total=total)


def _report(result, strict: bool) -> int:
    for line in result.skipped:
        click.echo(f"skipped {line}", err=True)
    if result.skipped and strict:
        raise click.ClickException(f"{len(result.skipped)} file(s) skipped; --strict makes that fatal")
    return 3 if result.skipped else 0


@cli.command()
@SEEDS
@click.option("--site", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="Where MkDocs writes the HTML site.")
@click.option("--no-site", is_flag=True, help="Stop after writing the Markdown pages into docs/.")
@click.option("--strict", is_flag=True, help="Fail when any input file is skipped.")
@click.option("--timings", is_flag=True, help="Also print the wall time of each stage.")
@click.option("--full", is_flag=True, help="Build the whole site and search index again, not only what "
              "changed (pages whose Markdown is unchanged still come from the cache of converted pages).")
@NO_CACHE
def build(seeds: Path, site: Path, no_site: bool, strict: bool, no_cache: bool, timings: bool, full: bool):
    """Generate the pages from SEEDS and render the site.

    Only changed articles are analysed again (the cache is in .cache/digest/) and only
    changed pages rewritten. A failed or interrupted build leaves docs/ and the site as
    they were. Exit code 3: built, but some files were skipped (each is named).
    """
    from .pipeline import gather, generate
    cfg = _config(seeds, no_cache, site=site, full=full)
    t0 = time.perf_counter()
    bar, update = _progress()
    with bar:
        gathered = gather(cfg, update)
    if strict:  # fail before touching any output
        _report(gathered, strict=True)
    result = generate(cfg, site=not no_site, gathered=gathered)
    code = _report(result, strict)
    click.echo(_summary(result, cfg, None if no_site else site, time.perf_counter() - t0), err=True)
    if timings:
        click.echo(f"timings: {_stages(result)}", err=True)
    sys.exit(code)


def _summary(result, cfg: Config, site: Path | None, seconds: float) -> str:
    s = result.stats
    where = "" if site is None else f", site -> {site}/ ({s['site']})"
    return (f"{len(result.articles)} articles ({s['analysed']} analysed, {s['cached']} from cache) -> "
            f"{cfg.docs}/ ({s['written']} pages written, {s['unchanged']} unchanged, {s['removed']} removed)"
            f"{where} in {seconds:.1f}s")


def _stages(result) -> str:
    return ", ".join(f"{k} {v:.2f}s" for k, v in result.stats["timings"].items())


def _config(seeds: Path, no_cache: bool, **kw) -> Config:
    return Config(seeds=seeds, cache=None if no_cache else Config.cache, **kw)


@cli.command()
@SEEDS
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@NO_CACHE
def serve(seeds: Path, port: int, no_cache: bool):
    """Preview the site on http://127.0.0.1:8000, search included; when seeds/, templates/ or
    a hand-written page of docs/ (about.md) change, the site is rebuilt and a page refresh
    shows the change."""
    from .pipeline import generate
    from .preview import serve as serve_site
    cfg = _config(seeds, no_cache)
    seen = _snapshot(cfg)  # before the first build: a change made while it runs is built next
    result = generate(cfg, site=True)
    _report(result, False)
    with serve_site(cfg.site, port) as url:
        click.echo(f"serving site/ on {url}/ (Ctrl-C stops)", err=True)
        _watch(cfg, result.outcomes, seen)


def _watch(cfg: Config, known: dict, seen: tuple) -> None:
    """Rebuild whenever seeds/, templates/ or a hand-written page of docs/ change (`seen`:
    their _snapshot when the site was last built), until Ctrl-C. The articles analysed stay
    in memory (`known`): a rebuild reads only new or changed files from the cache."""
    from .pipeline import warm_up
    warm_up()  # now, not when the first article is added
    try:
        with _woken(cfg) as (changed, longest):
            while True:
                now = _snapshot(cfg)
                if now != seen:
                    seen = now
                    known = _rebuild(cfg, known)
                if changed.wait(longest):
                    time.sleep(SETTLE)  # a copy of many files, an editor's save: one build for them all
                changed.clear()
    except KeyboardInterrupt:
        pass


def _rebuild(cfg: Config, known: dict) -> dict:
    """One build of the preview; the outcomes to hold for the next."""
    from .pipeline import gather, generate
    try:
        t0 = time.perf_counter()
        result = generate(cfg, site=True, gathered=gather(cfg, known=known))
        _report(result, False)
        click.echo(f"rebuilt: {_summary(result, cfg, cfg.site, time.perf_counter() - t0)}; "
                   f"refresh the page\ntimings: {_stages(result)}", err=True)
        return result.outcomes
    except Exception as exc:  # a broken template must not stop the preview
        click.echo(f"build failed, previous site kept: {exc}", err=True)
        return {}  # read again next time: an article whose cache entry is gone fails every build


SETTLE = 0.3  # s after a change before looking
# watchdog's event types that change a file; not those of a read ("opened", "closed_no_write"):
# each look reads docs/.generated, and would wake the preview again
CHANGES = {"created", "deleted", "modified", "moved", "closed"}
LONGEST = 10.0  # s between two looks when changes are watched: one missed is seen this late


@contextlib.contextmanager
def _woken(cfg: Config):
    """(an Event set when anything under seeds/, templates/ or docs/ changes, the longest wait
    between two looks). The changes are watched (watchdog: inotify on Linux) where they can
    be; else, and for a change the watch misses (a watched folder replaced), a look every
    second or every LONGEST s. At 10,000 articles, a preview doing nothing took 8.5 % of a core
    looking every second, and takes 1 % watching (CPU time over 40 s)."""
    import threading
    changed = threading.Event()
    try:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
    except ImportError:
        yield changed, 1.0
        return

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.event_type in CHANGES:
                changed.set()

    observer = Observer()
    try:
        for folder in (cfg.seeds, cfg.templates, cfg.docs):
            if folder.is_dir():
                observer.schedule(Handler(), str(folder), recursive=True)
        observer.start()
    except OSError:  # no watches left (inotify's limit): the folders' watches started already stop too
        observer.unschedule_all()
        yield changed, 1.0
        return
    try:
        yield changed, LONGEST
    finally:
        observer.stop()
        observer.join(timeout=5)


def _snapshot(cfg: Config) -> tuple:
    """Every file under seeds/ and templates/, and the hand-written ones of docs/ (about.md,
    not the pages the build writes), with its time and size: one stat each, through
    os.scandir. It runs every second; pathlib's walk, with two stats a file, took ~13 % of a
    core at 10,000 articles while nothing changed."""
    from .pipeline import hand_written
    from .write import generated
    files, folders = [], [str(cfg.seeds), str(cfg.templates)]
    for path in hand_written(cfg.docs, generated(cfg.docs)):
        try:
            st = os.stat(path)
        except OSError:  # removed meanwhile: the next look tells
            continue
        files.append((str(path), st.st_mtime_ns, st.st_size))
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:  # not there (yet), or gone meanwhile
            continue
        for entry in entries:
            try:
                if entry.is_dir():
                    folders.append(entry.path)
                elif entry.is_file():
                    st = entry.stat()
                    files.append((entry.path, st.st_mtime_ns, st.st_size))
            except OSError:  # removed meanwhile: the next look tells
                continue
    return tuple(sorted(files))


@cli.command()
@SEEDS
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
@NO_CACHE
def export(seeds: Path, fmt: str, output: Path | None, no_cache: bool):
    """Print the structured records (schema: digest/schema/export.schema.json)."""
    from .cache import hydrate
    from .export import to_csv, to_json
    from .model import PAGE_TEXT
    from .pipeline import gather
    result = gather(_config(seeds, no_cache))
    # one read, not one an article, of what the format shows: the records' text (JSON), or
    # each article's CSV line
    hydrate(result.articles, PAGE_TEXT if fmt == "json" else ("_export_csv",))
    text = to_json(result.articles) if fmt == "json" else to_csv(result.articles)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    sys.exit(_report(result, False))


from .eval_cli import register as _register_eval  # noqa: E402  (defined beside the command group)

_register_eval(cli)
from .archive_cli import register as _register_archive  # noqa: E402

_register_archive(cli)


def main():
    """The console script. It ends without freeing its objects one by one, as mypy's
    `hard_exit` does: at 10,000 articles that freeing was ~0.2 s of every build, and over a
    second after a long one. Everything it wrote is closed or replaced by then (files, the
    cache, the stage); its output is flushed."""
    try:
        cli(prog_name="digest")
    except SystemExit as exc:  # while it is held, so is what the command made: nothing is freed
        _hard_exit(exc.code)
    _hard_exit(0)


def _hard_exit(code) -> None:
    if not isinstance(code, int):  # as Python exits: None is 0, a message is printed and 1
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    try:
        sys.stdout.flush()
    except OSError:  # a closed pipe or a full disk: Python's own exit status for it
        code = code or 120
    try:
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code)
