"""Jinja2 templates (templates/*.md.j2) -> Markdown text per page, keyed by path."""
from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from . import charts, feed, geo
from .escape import Md, href, md, page_title, paragraphs, yaml_list
from .group import KIND_ORDER, by_actor, by_month, events, sort_key, unique_event_ids
from .model import Article

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]


@functools.lru_cache(maxsize=4)
def environment(templates: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates), undefined=jinja2.StrictUndefined,
        finalize=md, autoescape=False, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters.update(paragraphs=paragraphs, href=href, month_name=month_name, link=link, page_title=page_title,
                       yaml_list=yaml_list,
                       roles=lambda r: ", ".join(r))
    env.globals.update(date=date, when=when, article_link=article_link, actor_link=actor_link,
                       month_link=month_link)
    return env


def month_name(key: str | None) -> str:
    if not key:
        return "Undated"
    y, m = key.split("-")
    return f"{MONTH_NAMES[int(m) - 1]} {y}"


def link(target: str, frm: str) -> Md:
    """Relative link from page `frm` to page `target` (both paths under docs/)."""
    depth = frm.count("/")
    return Md("../" * depth + target)


def _a(text, target: str, here: str) -> Md:
    return Md(f"[{md(text)}]({link(target, here)})")


def article_link(a: Article, here: str) -> Md:
    return _a(a.title, f"articles/{a.id}.md", here)


def actor_link(slug: str, name: str, here: str) -> Md:
    return _a(name, f"actors/{slug}.md", here)


def month_link(key: str | None, here: str) -> Md:
    return _a(month_name(key), f"months/{key or 'undated'}.md", here)


def date(d) -> Md:
    """A date with its precision and the words it came from."""
    if not d.value:
        return Md("unknown" + (f": {md(d.evidence)}" if d.evidence else ""))
    extra = ", inferred" if d.inferred else ""
    return Md(f"**{md(d.value)}** ({d.precision}{extra}): {md(d.evidence)}")


def when(a: Article) -> Md:
    if a.event_date.value:
        return Md(md(a.event_date.value))
    return Md(f"{md(a.published.value)} (published)" if a.published.value else "undated")


HEATMAP_ROWS = 15  # the most active armed groups; the table below it lists them all


def heatmap(actors: dict, months: dict, prefix: str) -> dict:
    """Armed groups x months, as an SVG and its table alternative (hrefs are final URLs)."""
    groups = sorted((a for a in actors.values() if a.kind == "armed group"),
                    key=lambda a: (-len(a.articles), a.name))
    counts: dict = {}
    for a in groups:
        for art, _ in a.articles:
            if art.month:
                counts[(a.name, art.month)] = counts.get((a.name, art.month), 0) + 1
    rows = [(a.name, f"{prefix}{a.slug}/") for a in groups if any(k[0] == a.name for k in counts)]
    keys = sorted(months)
    if not rows or not keys:
        return {"svg": None, "table": None}
    title = "Articles per month naming each armed group"
    svg = charts.actor_month_svg(rows[:HEATMAP_ROWS], keys, counts, title)
    md_rows = [(name, href.rstrip("/") + ".md") for name, href in rows]  # MkDocs checks these links
    return {"svg": Md(charts.figure(svg)), "table": Md(charts.actor_month_table(md_rows, keys, counts))}


def sparkline(actor) -> Md | None:
    counts: dict[str, int] = {}
    for art, _ in actor.articles:
        if art.month:
            counts[art.month] = counts.get(art.month, 0) + 1
    if not counts:
        return None
    return Md(charts.figure(charts.sparkline_svg(sorted(counts), counts, f"{actor.name}: articles per month")))


def event_map(evts) -> dict:
    """One point per place with the incidents there; each links to its first incident."""
    places: dict[str, dict] = {}
    for e in evts:
        p = next((x for x in e.places if x.precision != "country"), e.places[0] if e.places else None)
        if p is None:
            continue
        pt = places.setdefault(p.name, {"name": p.name, "lat": p.lat, "lon": p.lon, "precision": p.precision,
                                         "count": 0, "href": f"../chronology/#{e.id}", "events": []})
        pt["count"] += 1
        pt["events"].append(e)
    points = sorted(places.values(), key=lambda p: p["name"])
    drawn, not_drawn = geo.split_points(points)
    svg = geo.map_svg(drawn, "Where the incidents happened") if drawn else None
    return {"svg": Md(charts.figure(svg)) if svg else None, "points": points, "not_drawn": not_drawn}


def render_all(articles: list[Article], templates: Path, site_name: str) -> dict[str, str]:
    env = environment(str(templates))
    arts = sorted(articles, key=sort_key)
    actors = by_actor(arts)
    months, undated = by_month(arts)
    evts = unique_event_ids(events(arts))
    events_of = {}
    for e in evts:
        for aid in e.articles:
            events_of.setdefault(aid, []).append(e)
    common = dict(site_name=site_name, kinds=KIND_ORDER)
    pages: dict[str, str] = {}

    def page(path: str, template: str, **ctx):
        pages[path] = env.get_template(template).render(here=path, **common, **ctx)

    kinds = KIND_ORDER + sorted({a.kind for a in actors.values()} - set(KIND_ORDER))
    by_kind = {k: [a for a in actors.values() if a.kind == k] for k in kinds}
    latest = sorted([a for a in arts if a.month], key=sort_key, reverse=True)[:10]
    page("index.md", "home.md.j2", articles=arts, latest=latest, actors=actors, months=months,
         undated=undated, events=evts, heatmap=heatmap(actors, months, "actors/"))
    page("actors/index.md", "groups.md.j2", by_kind=by_kind, months=months, undated=undated,
         heatmap=heatmap(actors, months, ""))
    page("map.md", "map.md.j2", **event_map(evts))
    page("search.md", "search.md.j2")
    page("months/index.md", "months.md.j2", months=months, undated=undated)
    event_months = {e.date["value"][:7] for e in evts}
    page("chronology.md", "chronology.md.j2", events=evts, undated=undated, by_id={a.id: a for a in arts},
         article_months=set(months))
    for a in arts:
        page(f"articles/{a.id}.md", "article.md.j2", a=a, actors=actors, events=events_of.get(a.id, []))
    slug_of = {x.name: x.slug for x in actors.values()}
    for actor in actors.values():
        timeline = [e for e in evts if any(r.name == actor.name for r in e.actors)]
        page(f"actors/{actor.slug}.md", "actor.md.j2", actor=actor, slug_of=slug_of, timeline=timeline,
             sparkline=sparkline(actor))
    for key, items in months.items():
        page(f"months/{key}.md", "month.md.j2", key=key, articles=items, in_chronology=key in event_months)
    page("months/undated.md", "month.md.j2", key=None, articles=undated, in_chronology=True)
    pages.update(feed.files(arts, site_name, evts))  # the incidents are grouped once per build
    return pages
