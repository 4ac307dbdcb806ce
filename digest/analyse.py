"""One article, start to finish: raw text -> Article. A pure function of its input."""
from __future__ import annotations

from itertools import islice
from pathlib import PurePosixPath

from slugify import slugify

from .clean import clean
from .extract import actors, events, places
from .extract.context import main_flags
from .extract.dating import EVENT_WORDS, date_articles
from .model import Article, RawArticle
from .summarise import summarise


LEAD_EVENT_SENTENCES = 3  # the event's type is read where it is reported, not in later context


def article_id(rel: str) -> str:
    """Stable id from the file name, so URLs never move when other files come and go."""
    return slugify(str(PurePosixPath(rel).with_suffix("")), max_length=80) or "article"


def analyse(raw: RawArticle) -> Article:
    c = clean(raw.text)
    warnings = list(raw.warnings)
    title = raw.meta.get("title") or c.title
    if not title:
        title = " ".join((c.paragraphs[0] if c.paragraphs else raw.path).split()[:12])
        warnings.append("no headline found: title taken from the first words")
    source = raw.meta.get("source") or c.source
    if not c.paragraphs:
        warnings.append("no article text left after cleaning")
    dating = date_articles(c.title, c.before_title, c.after_title, c.paragraphs, c.is_list, raw.meta, raw.kind,
                           c.meta_lines)
    warnings.extend(dating.warnings)
    sents = dating.sentences
    flags = main_flags(sents, dating.event, dating.event_mention)
    exclude = {x.lower() for x in (source, raw.meta.get("source")) if x}
    found_actors, discovered = actors.extract(sents, flags, exclude)
    for name in discovered:
        warnings.append(f"group not in the registry, found by discovery: {name}")
    if not found_actors:
        warnings.append("no actor found")
    locs, dateline = places.extract(sents, flags)
    main_texts = [s.text for s, f in zip(sents, flags) if f]
    lead_texts = list(islice(filter(EVENT_WORDS.found, main_texts), LEAD_EVENT_SENTENCES))  # searched up to the 3rd
    cas = events.casualties(lead_texts)
    names = [a.name for a in found_actors] + [p.name for p in locs]
    summary = summarise(sents, flags, names) if sents else title
    return Article(
        id=article_id(raw.path), file=raw.path, sha256=raw.sha256, title=title, source=source,
        url=raw.meta.get("url"), published=dating.published, event_date=dating.event,
        month=dating.month, undated_reason=dating.undated_reason, actors=tuple(found_actors),
        locations=tuple(locs), dateline_place=dateline, event_types=tuple(events.event_types(lead_texts)),
        killed=cas["killed"], wounded=cas["wounded"], summary=summary or title,
        body="\n\n".join(c.paragraphs), removed=c.removed, warnings=tuple(warnings),
        background=tuple(events.background(sents, flags, dating.event.value)),
    )
