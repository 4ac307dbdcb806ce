"""`digest add` and `digest check`: keeping the archive in seeds/. Wired in by `register(cli)`."""
from __future__ import annotations

import sys
from pathlib import Path

import click

SEEDS = click.option("--seeds", type=click.Path(path_type=Path), default=Path("seeds"), show_default=True,
                     help="Folder of raw articles (.txt, .md, .html).")


def register(cli_group: click.Group) -> None:
    """Add the commands to `cli_group`; a command already there is left as it is (safe to call twice)."""
    for cmd in (add_command, check_command):
        if cmd.name not in cli_group.commands:
            cli_group.add_command(cmd)


@click.command("add")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@SEEDS
@click.option("--added", "added_on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date written as `added:` (YYYY-MM-DD).  [default: today]")
def add_command(sources: tuple[str, ...], seeds: Path, added_on):
    """Add articles to SEEDS as normalised Markdown files with front matter.

    SOURCE is a .txt, .md or .html file, - for standard input, or an http(s) URL (fetched with
    a 10 s timeout and a 5 MB limit). An exact duplicate of a seed is refused (exit 1) and the
    existing file is named; a near-duplicate (the same wire story from another outlet) is added
    and reported.
    """
    from . import add as A

    added = added_on.date() if added_on else A.today()
    index = A.SeedIndex.load(seeds)
    stdin = _read_stdin() if "-" in sources else None
    failed = 0
    for source in sources:
        try:
            done = A.add(source, index, added, stdin)
        except click.ClickException as exc:
            failed += 1
            label = "standard input" if source == "-" else source
            message = exc.message if exc.message.startswith(source) else f"{label}: {exc.message}"
            click.echo(f"Error: {message}", err=True)
            continue
        shown = done.path.as_posix()
        click.echo(f"added {shown}")
        for other, sim in done.near:
            click.echo(f"{shown}: near-duplicate of {other} (similarity {sim:.2f}); added anyway")
    if failed:
        sys.exit(1)


def _read_stdin() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    return stream.read() if stream is not None else sys.stdin.read().encode("utf-8")


@click.command("check")
@SEEDS
@click.option("--strict", is_flag=True, help="Exit 1 when any problem is an error.")
def check_command(seeds: Path, strict: bool):
    """List each article's problems and the fix for each, as errors and warnings.

    Errors are files the build skips (unreadable, bad front matter, duplicate page id) or
    that have no text after cleaning; warnings are the rest. Exit code 0, or with --strict
    1 when there is an error.
    """
    from .check import check, has_errors, print_report
    from .config import Config

    problems, files = check(Config(seeds=seeds))
    print_report(problems, files, sys.stdout.isatty(), click.echo)
    sys.exit(1 if strict and has_errors(problems) else 0)
