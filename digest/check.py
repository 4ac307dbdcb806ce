"""`digest check`: each seed's problems, with a level and the fix an editor can make.

Errors: a file that cannot be read or parsed (so the build skips it), no text left after
cleaning, a page id used twice. Warnings: everything that still builds but is shown as
unknown or may be wrong (no month, inferred year, unregistered or no actor, near-duplicate,
front matter values that were ignored).
"""
from __future__ import annotations

from dataclasses import dataclass

from .add import NEAR_DUPLICATE, body_key, shingles, similar_pairs
from .cache import hydrate
from .config import Config
from .ingest import FRONT_KEYS, discover
from .pipeline import gather

ERROR, WARNING = "error", "warning"
KNOWN_KEYS = ", ".join(FRONT_KEYS)
DATE_FIX = "add `published: YYYY-MM-DD` to the file's front matter (the date the article was published)"

# skip reason (start of the text after "file: ") -> fix
_SKIP_FIXES = (
    ("file is empty", "paste the article's text into the file, or delete the file"),
    ("no article text", "paste the article's text below the front matter, or delete the file"),
    ("front matter is not valid YAML", "fix the YAML between the two `---` lines (quote values that contain ': ')"),
    ("front matter is not a mapping", "write the front matter as `key: value` lines between two `---` lines"),
    ("binary data", "save the article as UTF-8 text (.txt, .md) or as .html"),
    ("cannot read file", "check the file's permissions"),
    ("HTML page has no main text", "save the article's text as a .txt file instead of the page"),
    ("could not be analysed", "a bug in digest: report it with this file attached"),
)


@dataclass(frozen=True)
class Problem:
    level: str  # error | warning
    file: str  # as shown: the seeds folder joined with the file's relative path
    problem: str
    fix: str

    def line(self) -> str:
        return f"{self.level.upper()}  {self.file}: {self.problem} — fix: {self.fix}"


def _skip_problem(entry: str, rels: list[str], show) -> Problem:
    rel = max((r for r in rels if entry.startswith(r + ": ")), key=len, default=None)
    reason = entry[len(rel) + 2:] if rel else entry
    if "already used by" in reason and "page id" in reason:
        return Problem(ERROR, show(rel) if rel else "?", f"skipped: {reason.split('; rename')[0]}",
                       "rename one of the two files (the page id comes from the file name)")
    fix = next((f for start, f in _SKIP_FIXES if reason.startswith(start)), "fix or remove the file")
    return Problem(ERROR, show(rel) if rel else "?", f"skipped: {reason}", fix)


def _warning_problem(w: str) -> tuple[str, str, str] | None:
    """One of Article.warnings -> (level, problem, fix); None when another rule reports it."""
    if w.startswith(("undated:", "group not in the registry")):
        return None  # reported from Article.month / ActorRef.registered
    if w.startswith("no event date in the text"):
        return None  # filed by its publication date: nothing for an editor to do
    if w == "no article text left after cleaning":
        return ERROR, "no article text left after cleaning", \
            "make sure the file holds the article's paragraphs (the cleaner removed every line as page chrome)"
    if w == "no actor found":
        return WARNING, "no actor found", \
            "if the article names a group, add that spelling to digest/data/actors.yml as an alias"
    if "year inferred" in w:
        return WARNING, w, "check the year, then " + DATE_FIX
    if w.startswith("no headline found"):
        return WARNING, w, "add `title: ...` to the front matter"
    if w.startswith("front matter key"):
        return WARNING, w, f"remove or rename the key (known keys: {KNOWN_KEYS})"
    if w.startswith("front matter '"):
        return WARNING, w, "write the value as text (put it in quotes)"
    if w.startswith("published '"):
        return WARNING, w, "write `published:` as YYYY-MM-DD"
    if "after the publication date" in w:
        return WARNING, w, "check `published:` and the dates in the text"
    if w.startswith("file is ") and "bytes" in w:
        return WARNING, w, "cut the file down to the article itself"
    return WARNING, w, "read the article's page and correct the file if the note is right"


def check(cfg: Config) -> tuple[list[Problem], int]:
    """(problems sorted by file, errors first; number of files checked)."""
    seeds = cfg.seeds
    rels = [rel for rel, _ in discover(seeds)]

    def show(rel: str) -> str:
        return (seeds / rel).as_posix()

    result = gather(cfg)
    problems = [_skip_problem(entry, rels, show) for entry in result.skipped]
    for a in result.articles:
        f = show(a.file)
        if a.month is None:
            reason = a.undated_reason or "no date found"
            problems.append(Problem(WARNING, f, f"no month could be established: {reason}", DATE_FIX))
        for actor in a.actors:
            if not actor.registered:
                problems.append(Problem(
                    WARNING, f, f"actor '{actor.name}' is not in the registry (found by discovery)",
                    "if it is a real group, add it with its aliases to digest/data/actors.yml"))
        for w in a.warnings:
            found = _warning_problem(w)
            if found:
                problems.append(Problem(found[0], f, found[1], found[2]))
    hydrate(result.articles, ("body",))  # one read, not one an article
    sets = {a.file: shingles(a.body) for a in result.articles if a.body.strip()}
    bodies = {a.file: a.body for a in result.articles}
    for first, second, sim in similar_pairs(sets, NEAR_DUPLICATE):
        if body_key(bodies[first]) == body_key(bodies[second]):
            what = f"same article text as {show(first)} (exact duplicate)"
        else:
            what = f"near-duplicate of {show(first)} (similarity {sim:.2f})"
        problems.append(Problem(WARNING, show(second), what,
                                "if both are the same story, keep one and delete the other file"))
    problems.sort(key=lambda p: (p.file, p.level != ERROR))
    return problems, len(rels)


def summary(problems: list[Problem], files: int) -> str:
    errors = sum(p.level == ERROR for p in problems)
    warnings = len(problems) - errors
    return (f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
            f"in {files} file{'s' * (files != 1)} checked")


def print_report(problems: list[Problem], files: int, tty: bool, echo) -> None:
    if tty and problems:
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        table = Table(title="digest check")
        for col in ("level", "file", "problem", "fix"):
            table.add_column(col, overflow="fold")
        for p in problems:
            style = "bold red" if p.level == ERROR else "yellow"
            table.add_row(f"[{style}]{p.level.upper()}[/]", escape(p.file), escape(p.problem), escape(p.fix))
        Console().print(table)
    else:
        for p in problems:
            echo(p.line())
    echo(summary(problems, files))


def has_errors(problems: list[Problem]) -> bool:
    return any(p.level == ERROR for p in problems)

