"""Jinja2 templates (templates/*.md.j2) -> Markdown text per page, keyed by path."""
from __future__ import annotations

import functools
import hashlib
import itertools
import multiprocessing
import os
from bisect import bisect_left, bisect_right
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import jinja2

from . import charts, feed, geo
from .cache import code_fingerprint, hydrate
from .config import processes
from .escape import Md, href, href_html, md, page_title, paragraphs, yaml_list
from .group import KIND_ORDER, by_actor, by_month, events, sort_key, unique_event_ids
from .memo import KEPT, WRITTEN, Memo, Pages
from .model import EXPORT_TEXT, PAGE_TEXT, Article
from .paginate import split
from .search import url_of
from .write import put

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]


@functools.lru_cache(maxsize=4)
def environment(templates: str, compiled: str | None = None) -> jinja2.Environment:
    """`compiled`: a folder where Jinja keeps the compiled templates, checked against their
    source, between builds (compiling them was ~45 ms of every build)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates), undefined=jinja2.StrictUndefined,
        finalize=md, autoescape=False, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
        bytecode_cache=_Compiled(compiled) if compiled else None,
    )
    # The page helpers are filters in the shipped templates ({{ a|article_link(here) }}): a
    # filter is called directly, a global function through Jinja's Context.call, which was
    # ~0.7 s of CPU for the ~500,000 calls of a cold build at 10,000 articles. They stay
    # globals too, for templates written the other way.
    helpers = dict(date=date, when=when, article_link=article_link, actor_link=actor_link, month_link=month_link,
                   page_url=page_url)
    env.filters.update(paragraphs=paragraphs, href=href, href_html=href_html, month_name=month_name, link=link,
                       page_title=page_title, yaml_list=yaml_list, period=period, roles=lambda r: ", ".join(r),
                       **helpers)
    env.globals.update(sparkline=sparkline, **helpers)
    return env


class _Compiled(jinja2.FileSystemBytecodeCache):
    """Jinja's folder of compiled templates, which never fails a build: a folder removed or
    unwritable only means compiling again next time. Jinja checks each file against the
    template's source only; the compiled code also follows the environment's options, so the
    files are named by the code's fingerprint too, and another version's are removed."""

    def __init__(self, directory: str):
        prefix = f"{code_fingerprint()[:16]}-"
        super().__init__(directory, prefix + "%s.cache")
        try:
            for entry in os.scandir(directory):
                if entry.name.endswith(".cache") and not entry.name.startswith(prefix):  # only its own files
                    os.remove(entry.path)
        except OSError:  # no folder yet, or a file gone meanwhile
            pass

    def dump_bytecode(self, bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


@functools.lru_cache(maxsize=1024)  # per actor row and article: a few hundred months
def month_name(key: str | None) -> str:
    if not key:
        return "Undated"
    y, m = key.split("-")
    return f"{MONTH_NAMES[int(m) - 1]} {y}"


def period(part) -> str:
    """A page part's name: "2023", "November 2023", "Undated", with its page number."""
    name = part.period if len(part.period) == 4 else month_name(None if part.period == "undated" else part.period)
    return name + (f", page {part.suffix.rpartition('/page-')[2]}" if "/page-" in part.suffix else "")


def link(target: str, frm: str) -> Md:
    """Relative link from page `frm` to page `target` (both paths under docs/)."""
    depth = frm.count("/")
    return Md("../" * depth + target)


def _a(text, target: str, here: str, html: bool) -> Md:
    """A link to page `target` from page `here`: Markdown, or (`html`) the HTML MkDocs makes of
    it, for tables written as HTML (article.md.j2, actor.md.j2)."""
    if html:
        return Md(f'<a href="{page_url(target, here)}">{md(text)}</a>')
    return Md(f"[{md(text)}]({link(target, here)})")


def article_link(a: Article, here: str, html: bool = False) -> Md:
    return _a(a.title, f"articles/{a.id}.md", here, html)


def actor_link(slug: str, name: str, here: str, html: bool = False) -> Md:
    return _a(name, f"actors/{slug}.md", here, html)


@functools.lru_cache(maxsize=4096)  # an actor page's rows (up to 300) share a few months
def month_link(key: str | None, here: str, html: bool = False) -> Md:
    return _a(month_name(key), f"months/{key or 'undated'}.md", here, html)


def page_url(target: str, here: str) -> Md:
    """The href MkDocs makes of a link from page `here` to page `target` (docs paths), for
    links written as HTML (_a with html=True), which MkDocs passes through as they are."""
    return Md("../" * url_of(here).count("/") + url_of(target))


def date(d) -> Md:
    """A date with its precision and the words it came from."""
    if not d.value:
        return Md("unknown" + (f": {md(d.evidence)}" if d.evidence else ""))
    extra = ", inferred" if d.inferred else ""
    return Md(f"<strong>{md(d.value)}</strong> ({d.precision}{extra}): {md(d.evidence)}")  # HTML, for tables


def when(a: Article) -> Md:
    if a.event_date.value:
        return Md(md(a.event_date.value))
    return Md(f"{md(a.published.value)} (published)" if a.published.value else "undated")


def per_month(actor) -> dict[str, int]:
    """How many of an actor's articles each month has (undated ones left out)."""
    return {m: n for m, n in Counter(actor.months).items() if m}


HEATMAP_ROWS = 15  # the most active armed groups; the table below it lists them all


def heatmap(actors: dict, months: dict, prefix: str) -> dict:
    """Armed groups x months, as an SVG and its table alternative (hrefs are final URLs)."""
    groups = sorted((a for a in actors.values() if a.kind == "armed group"),
                    key=lambda a: (-len(a.articles), a.name))
    counts = {(a.name, m): n for a in groups for m, n in per_month(a).items()}
    counted = {name for name, _ in counts}
    rows = [(a.name, f"{prefix}{a.slug}/") for a in groups if a.name in counted]
    keys = sorted(months)
    if not rows or not keys:
        return {"svg": None, "table": None}
    title = "Articles per month naming each armed group"
    svg = charts.actor_month_svg(rows[:HEATMAP_ROWS], keys, counts, title)
    md_rows = [(name, href.rstrip("/") + ".md") for name, href in rows]  # MkDocs checks these links
    return {"svg": Md(charts.figure(svg)), "table": Md(charts.actor_month_table(md_rows, keys, counts))}


def sparkline(actor) -> Md | None:
    """An actor's articles per month; made by the page's renderer, so only for pages rendered."""
    counts = per_month(actor)
    if not counts:
        return None
    return Md(charts.figure(charts.sparkline_svg(sorted(counts), counts, f"{actor.name}: articles per month")))


MAP_INCIDENTS = 12  # incidents listed per place on the map page; the rest are counted


def event_map(evts, incident_page: dict) -> dict:
    """One point per place with the incidents there; each links to its latest incident."""
    places: dict[str, dict] = {}
    for e in evts:
        p = next((x for x in e.places if x.precision != "country"), e.places[0] if e.places else None)
        if p is None:
            continue
        pt = places.setdefault(p.name, {"name": p.name, "lat": p.lat, "lon": p.lon, "precision": p.precision,
                                         "count": 0, "events": []})
        pt["count"] += 1
        pt["events"].append(e)
    for pt in places.values():
        latest = pt["events"][-1]
        pt["href"] = "../" + incident_page[latest.id].removesuffix(".md") + f"/#{latest.id}"
        pt["events"] = pt["events"][-MAP_INCIDENTS:]
    points = sorted(places.values(), key=lambda p: p["name"])
    drawn, not_drawn = geo.split_points(points)
    svg = geo.map_svg(drawn, "Where the incidents happened") if drawn else None
    return {"svg": Md(charts.figure(svg)) if svg else None, "points": points, "not_drawn": not_drawn}


# Entries per page, so that no page passes ~500 KB of HTML (measured with bench/run.py: an
# incident ~1.2 KB, an actor's article row ~0.6 KB, a month's article with its summary ~1.5 KB).
CHRONOLOGY_LIMIT = 200
ACTOR_LIMIT = 300
MONTH_LIMIT = 150
UNDATED_LISTED = 50  # undated articles listed at the end of the chronology; more: a link
REPORTS_LISTED = 30  # reports listed under one incident (a famous one is recalled by thousands)


def render_all(articles: list[Article], templates: Path, site_name: str, memo: Memo | None = None,
               jobs: int = 0, base: Path | None = None, out: Path | None = None, compiled: Path | None = None) -> Pages:
    """Every generated page; with a `memo`, pages whose inputs are unchanged come back KEPT.
    `jobs`: processes rendering the templates (0: one per core). With `out`, each page is
    written into `out` as soon as it is made, unless `base` holds it already, and comes back
    WRITTEN or KEPT: the renderers write in parallel and no page's text is kept. `compiled`:
    a folder for the compiled templates (see environment)."""
    env = environment(str(templates), compiled and str(compiled))
    arts = sorted(articles, key=sort_key)
    # The downloads (~0.45 s of CPU at 10,000 articles, ~0.65 s in a forked process, which copies
    # the pages it touches) are made by a forked process while this one groups the incidents and
    # actors and plans the pages (~0.7 s), and are done before the renderers are forked: the
    # build never holds the memory of both. The forked process groups the incidents again
    # itself (0.2-0.3 s): started after they were grouped here, it was the last to finish a
    # one-article build. A few pages (such a build's dozens) are rendered here meanwhile.
    fork = out is not None and processes(jobs) > 1
    grouped: dict = {}  # the incidents once grouped here, for downloads made in this process
    with _meanwhile(_downloads, (arts, site_name, base, out, grouped), fork) as downloads:
        evts = grouped["incidents"] = unique_event_ids(events(arts))
        actors = by_actor(arts)
        months, undated = by_month(arts)
        pages, todo, common = _plan(arts, actors, months, undated, evts, site_name, memo)
        hydrate([ctx["a"] for _, _, ctx in todo if "a" in ctx], PAGE_TEXT)  # read at once, before the renderers fork
        here = len(todo) < RENDER_PARALLEL_FROM  # a few pages: rendered by this process meanwhile
        done = _rendered(env, common, todo, jobs, base, out) if here else []
        pages.update((rel, _value(placed)) for rel, placed in downloads())
    pages.update(done if here else _rendered(env, common, todo, jobs, base, out))  # in the same order either way
    return pages


def _rendered(env, common: dict, todo: list, jobs: int, base: Path | None, out: Path | None) -> list:
    with _Renderer(env, common, todo, jobs, base, out) as rendered:
        return rendered()


def _plan(arts: list, actors: dict, months: dict, undated: list, evts: list, site_name: str, memo: Memo | None):
    """Every page: KEPT in `pages` when the memo has it, else in the list of pages to render
    (path, template, context), with the context every template shares."""
    events_of, timeline_of = {}, {}
    for e in evts:
        for aid in e.articles:
            events_of.setdefault(aid, []).append(e)
        for x in {r.name for r in e.actors}:
            timeline_of.setdefault(x, []).append(e)
    chronology = split(evts, CHRONOLOGY_LIMIT, [e.date["value"] for e in evts])
    chrono_page = lambda part: f"chronology/{part.suffix}.md" if part.suffix else "chronology.md"  # noqa: E731
    incident_page = {e.id: chrono_page(part) for part in chronology for e in part.items}
    month_anchor = {}
    for e in evts:
        month_anchor.setdefault(e.date["value"][:7], incident_page[e.id])

    def incident_link(e, here: str) -> Md:
        return Md(f"{link(incident_page[e.id], here)}#{e.id}")

    def chronology_link(key: str | None, here: str) -> Md:
        target = month_anchor.get(key, "chronology.md") if key else "chronology.md"
        return Md(f"{link(target, here)}#{key or 'undated'}")

    common = dict(site_name=site_name, kinds=KIND_ORDER, incident_link=incident_link,
                  chronology_link=chronology_link)
    pages, todo = Pages(), []
    sha_of = {a.id: a.sha256 for a in arts}
    row_of = {a.id: f"{a.id} {a.sha256}" for a in arts}  # an actor's row, for the memo (_rows_key)
    # An incident as a chronology entry shows it (its articles), and as a line elsewhere
    # (date, title, background, link): keys hold only what the page shows, so a new report of
    # a busy incident re-renders the chronology, not every article that reported it.
    sig = {e.id: (e.id, incident_page[e.id], tuple((aid, sha_of[aid]) for aid in e.articles)) for e in evts}
    line = {e.id: (e.id, incident_page[e.id], e.date["value"], e.title, e.background) for e in evts}

    def page(path: str, template: str, inputs=None, indexed=None, **ctx):
        """`inputs`: everything the page shows, for the memo (None: always rendered);
        `indexed`: the part of it the search index reads, if less."""
        if memo is not None and indexed is not None:
            pages.search_keys[path] = memo.key((path, indexed))
        if memo is not None and inputs is not None:
            pages.memo_keys[path] = key = memo.key((path, inputs))
            if memo.hit(path, key):
                pages[path] = KEPT
                return
        todo.append((path, template, ctx))

    kinds = KIND_ORDER + sorted({a.kind for a in actors.values()} - set(KIND_ORDER))
    by_kind = {k: [a for a in actors.values() if a.kind == k] for k in kinds}
    latest = list(itertools.islice((a for a in reversed(arts) if a.month), 10))  # arts: in sort_key order
    page("index.md", "home.md.j2", articles=arts, latest=latest, actors=actors, months=months,
         undated=undated, events=evts, heatmap=heatmap(actors, months, "actors/"))
    page("actors/index.md", "groups.md.j2", by_kind=by_kind, months=months, undated=undated,
         heatmap=heatmap(actors, months, ""))
    page("map.md", "map.md.j2", **event_map(evts, incident_page))
    page("search.md", "search.md.j2")
    page("months/index.md", "months.md.j2", months=months, undated=undated)
    by_id = {a.id: a for a in arts}
    parts = [(p, chrono_page(p)) for p in chronology] if len(chronology) > 1 else []
    for part in chronology:
        inputs = (parts and [(p.suffix, len(p.items)) for p, _ in parts], [sig[e.id] for e in part.items],
                  sorted({e.date["value"][:7] for e in part.items} & set(months)))
        page(chrono_page(part), "chronology.md.j2", inputs if parts else None, events=part.items,
             part=part if parts else None, parts=parts, undated=undated, undated_listed=UNDATED_LISTED, by_id=by_id,
             article_months=set(months), reports_listed=REPORTS_LISTED)
    if parts:
        page("chronology.md", "chronology.md.j2", events=[], part=None, parts=parts, undated=undated,
             undated_listed=UNDATED_LISTED, by_id=by_id, article_months=set(months), reports_listed=REPORTS_LISTED)
    for a in arts:
        evs = events_of.get(a.id, [])
        # the search index skips its list of incidents (search.IGNORE): a new article that moves
        # their links re-renders the page but leaves its search shard as it is
        page(f"articles/{a.id}.md", "article.md.j2", (a.id, a.sha256, [line[e.id] for e in evs]), (a.id, a.sha256),
             a=a, events=evs)
    slug_of = {x.name: x.slug for x in actors.values()}
    for actor in actors.values():
        _actor_pages(page, actor, slug_of, timeline_of.get(actor.name, []), line, row_of)
    for key, items in [*months.items(), (None, undated)]:
        month_parts = split(items, MONTH_LIMIT, [key] * len(items))
        in_chronology = key in month_anchor or key is None
        for part in month_parts:
            inputs = (key, [p.suffix for p in month_parts], len(items), [(a.id, a.sha256) for a in part.items],
                      in_chronology and chronology_link(key, ""))
            page(f"months/{part.suffix or key or 'undated'}.md", "month.md.j2", inputs, key=key, articles=part.items,
                 part=part, parts=month_parts, total=len(items), in_chronology=in_chronology)
    return pages, todo, common


def _downloads(arts: list, site_name: str, base: Path | None, out: Path | None, grouped: dict) -> list:
    hydrate(arts, EXPORT_TEXT)  # read here: when this runs in a forked process, the parent never holds them
    evts = grouped["incidents"] if "incidents" in grouped else unique_event_ids(events(arts))
    return [(rel, _placed(rel, data, base, out)) for rel, data in feed.files(arts, site_name, evts).items()]


@contextmanager
def _meanwhile(func, args: tuple, fork: bool):
    """A function returning func(*args): made by a forked process, which inherits the
    arguments instead of having them pickled, while this one goes on (`fork`); else on call."""
    if not fork:
        yield lambda: func(*args)
        return
    _work["meanwhile"] = (func, args)
    pool = multiprocessing.get_context("fork").Pool(1)
    try:
        yield pool.apply_async(_call_meanwhile).get
    finally:
        pool.terminate()
        _work.pop("meanwhile", None)


def _call_meanwhile():
    func, args = _work["meanwhile"]
    return func(*args)


def _placed(rel: str, text, base: Path | None, out: Path | None):
    """The page's text; with `out`, whether it was written there (see render_all)."""
    return text if out is None else put(rel, text, base, out)


def _value(placed):
    """What _placed returned (a bool crosses from a forked renderer unchanged) -> a Pages value."""
    return placed if not isinstance(placed, bool) else WRITTEN if placed else KEPT


# Pages; below, one process renders them. A one-article rebuild at 10,000 articles
# re-renders ~50-150 pages, and forking for those cut its render stage from ~3.3 to ~2.4 s.
RENDER_PARALLEL_FROM = 48
_work: dict = {}  # what forked renderers read: set before the fork, so nothing is pickled


BLOCK = 32  # pages a renderer takes at a time from the shared counter


def _render_some(indices) -> list[tuple[int, str, object]]:
    env, common, todo, base, out = (_work[k] for k in ("env", "common", "todo", "base", "out"))
    templates = _work.setdefault("templates", {})  # each looked up once: get_template stats its file
    done = []
    for i in indices:
        rel, name, ctx = todo[i]
        template = templates.get(name) or templates.setdefault(name, env.get_template(name))
        done.append((i, rel, _placed(rel, template.render(here=rel, **common, **ctx), base, out)))
    return done


def _render_shared() -> list[tuple[int, str, object]]:
    """Blocks of pages taken in turn from the counter the renderers share, until none is left:
    a block of long pages (actors, the chronology) costs one renderer more, not the build."""
    todo, counter, done = _work["todo"], _work["next"], []
    while True:
        with counter.get_lock():
            start = counter.value
            counter.value = start + BLOCK
        if start >= len(todo):
            return done
        done += _render_some(range(start, min(start + BLOCK, len(todo))))


class _Renderer:
    """Renders the pages in this process and forked ones, one per core in all; Jinja rendering
    is ~60 % of a cold render stage at 10,000 articles. This process renders its share instead
    of waiting: every page of the heap a renderer touches (reference counts) is then copied
    once, not once per forked renderer. With two forked renderers they copied ~700 MB at
    10,000 articles, and the copying took ~2 s of CPU."""

    def __init__(self, env, common: dict, todo: list, jobs: int, base: Path | None, out: Path | None):
        _work.update(env=env, common=common, todo=todo, base=base, out=out)
        self.n = processes(jobs)
        self.pool, self.forked = None, []
        if len(todo) >= RENDER_PARALLEL_FROM and self.n > 1:
            context = multiprocessing.get_context("fork")
            _work["next"] = context.Value("q", 0)
            self.pool = context.Pool(self.n - 1)
            self.forked = [self.pool.apply_async(_render_shared) for _ in range(self.n - 1)]

    def __enter__(self):
        return self.result

    def result(self) -> list[tuple[str, object]]:
        """The pages in the order of `todo`, whichever renderer made each."""
        if self.pool is None:
            return [(rel, _value(v)) for _, rel, v in _render_some(range(len(_work["todo"])))]
        done = _render_shared() + [page for forked in self.forked for page in forked.get()]
        return [(rel, _value(v)) for _, rel, v in sorted(done, key=lambda page: page[0])]

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.terminate()
        _work.clear()


def _actor_pages(page, actor, slug_of: dict, timeline: list, line: dict, row_of: dict) -> None:
    """An actor's page; a long one becomes a summary and one page per period."""
    parts = split(actor.articles, ACTOR_LIMIT, actor.dates)
    main = f"actors/{actor.slug}.md"
    about = (actor.name, actor.slug, actor.kind, actor.aliases, actor.written_as, actor.registered,
             actor.description, [(n, slug_of.get(n)) for n in actor.affiliation])
    common = dict(actor=actor, slug_of=slug_of)
    if len(parts) == 1:
        inputs = (about, _rows_key(actor.ids, row_of), [line[e.id] for e in timeline])
        page(main, "actor.md.j2", inputs, timeline=timeline, articles=actor.articles, part=None, parts=[], **common)
        return
    links = [(p, f"actors/{actor.slug}/{p.suffix}.md") for p in parts]
    ends = itertools.accumulate(len(p.items) for p in parts)  # parts hold the rows in order
    rows = [_rows_key(actor.ids[end - len(p.items):end], row_of) for p, end in zip(parts, ends)]
    summary = [(p.suffix, len(p.items)) for p in parts]
    page(main, "actor.md.j2", (about, summary, rows), timeline=[], articles=[], part=None, parts=links, **common)
    days = [e.date["value"] for e in timeline]  # in date order, as `evts` are
    for (p, path), p_rows in zip(links, rows):  # a period's incidents go on its first page
        first = p.suffix == p.period
        in_period = timeline[bisect_left(days, p.period):bisect_right(days, p.period + "\uffff")] if first else []
        inputs = (about, p_rows, [line[e.id] for e in in_period])
        page(path, "actor.md.j2", inputs, timeline=in_period, articles=p.items, part=p, parts=links, **common)


def _rows_key(ids: list, row_of: dict) -> str:
    """An actor's rows as one short hash for the memo. Article ids with file hashes are enough:
    under the memo's salt (code and templates) they decide each row, roles included. Joined and
    hashed, not repr'd as tuples: ~100,000 rows per build at 10,000 articles."""
    return hashlib.blake2b("\n".join(map(row_of.__getitem__, ids)).encode(), digest_size=12).hexdigest()
