"""`digest eval`: the evaluation gate on the command line. Wired in by `register(cli)`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click


def register(cli_group: click.Group) -> None:
    cli_group.add_command(eval_command)


@click.command("eval")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=Path("."), show_default=True,
              help="Project root holding tests/eval/ (gold `file:` paths are relative to it).")
@click.option("--floors", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Pinned floors and ceilings.  [default: ROOT/tests/eval_floors.yml]")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON instead of tables.")
def eval_command(root: Path, floors: Path | None, as_json: bool):
    """Score the extractors on the annotated corpus in tests/eval/ and compare with the pinned floors."""
    from .evaluate import COUNTS, FIELDS, FLOORS, check, evaluate, load_floors

    floors = floors or root / FLOORS
    if not floors.is_file():
        raise click.ClickException(f"floors file not found: {floors}")
    pinned = load_floors(floors)
    report = evaluate(root)
    failures = check(report, pinned)
    if as_json:
        click.echo(json.dumps({**report.to_dict(), "floors": pinned, "failures": failures}, indent=2))
        sys.exit(1 if failures else 0)

    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"digest eval: {report.articles} annotated articles")
    for col, just in (("field", "left"), ("score", "right"), ("floor", "right"), ("", "left"), ("n", "right"),
                      ("what", "left")):
        table.add_column(col, justify=just)
    for key, what in FIELDS.items():
        v, bound = report.scores[key], pinned.get(key, {})
        if "min" in bound:
            ok = v >= bound["min"]
            floor, status = f"{bound['min']:.2f}", "[green]OK[/]" if ok else "[bold red]BELOW[/]"
        else:
            floor, status = "-", "[yellow]no floor[/]"
        table.add_row(key, f"{v:.4f}", floor, status, str(report.support[key]), what)
    for key, what in COUNTS.items():
        v, bound = report.counts[key], pinned.get(key, {})
        if "max" in bound:
            floor, status = f"max {bound['max']}", "[green]OK[/]" if v <= bound["max"] else "[bold red]ABOVE[/]"
        else:
            floor, status = "-", "[yellow]no ceiling[/]"
        table.add_row(key, str(v), floor, status, "", what)
    console.print(table)

    rouge = Table(title="Summaries vs gold (mean F1)")
    for col in ("summariser", "ROUGE-1", "ROUGE-L"):
        rouge.add_column(col, justify="left" if col == "summariser" else "right")
    for key, label in (("digest", "digest"), ("lead3", "lead-3"), ("textrank", "TextRank")):
        b = report.baselines[key]
        rouge.add_row(label, f"{b['rouge1_f1']:.4f}", f"{b['rougeL_f1']:.4f}")
    console.print(rouge)

    if report.errors:
        console.print(f"[bold]{len(report.errors)} wrong answers[/]")
        for line in report.errors:
            console.print(line, markup=False, highlight=False, soft_wrap=True)
    for line in failures:
        console.print(f"[bold red]FAIL[/] {line}", highlight=False)
    if failures:
        console.print(f"[bold red]{len(failures)} score(s) outside their pinned bounds[/] ({floors})")
        sys.exit(1)
    console.print(f"[green]all scores within their pinned bounds[/] ({floors})")
