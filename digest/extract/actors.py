"""Actors: registry aliases, discovery of unregistered groups, roles and salience."""
from __future__ import annotations

import functools
import re

from slugify import slugify

from ..lexicon import load
from ..model import ActorRef
from ..text import Hints
from .matcher import Matcher, fold
from .places import gazetteer

CLAIM = re.compile(r"\bclaim(?:ed|s|ing)?\b|\btook responsibility|\bsaid (?:in a statement )?(?:that )?(?:it|they) "
                   r"(?:had )?(?:used|attacked|targeted|launched|carried out|conducted|struck|fired)", re.I)
SUBJECT_ATTACK = re.compile(r"^[^.;]{0,40}?\b(?:has |have |had )?(?:targeted|attacked|struck|hit|launched|fired|shelled)\b", re.I)
BLAME = re.compile(r"\b(?:accus\w+|blam\w+|suspect\w*|attribut\w+|believed to (?:be|have)|held responsible|"
                   r"behind the (?:attack|strike)|hallmarks? of|linked to|pointed to)", re.I)
ATTACK = re.compile(r"\b(?:attack\w*|target\w*|struck|strik\w+|hit|against|fired (?:at|on)|came under|kill\w*|"
                    r"wound\w*|injur\w*|hurt|housing|hosting|houses)\b", re.I)
CARRIED_OUT = re.compile(r"^[^.;]{0,60}?\b(?:carried out|conducted|launched|fired)\b[^.;]{0,40}?"
                         r"\b(?:air ?strikes?|strikes?|raids?|missiles?|rockets?|drones?)\b", re.I)
STATEMENT = re.compile(r"\b(?:statement|said|announced|claimed)\b", re.I)
SUSPECTED = re.compile(r"[^.]{0,80}\b(?:is|was|were|are) (?:suspected|blamed|believed)")
NEGATED = re.compile(r"\b(?:no (?:one|group)|nobody|not (?:yet |immediately )?claim\w*|did not|denied|never)\b", re.I)
CLAIM_WINDOW = 240  # "X, a network of ... affiliated with ..., said in a statement that it ..."
ARMED = {"armed group"}
TARGETS = {"state force"}
PARTIES = ARMED | TARGETS
TOKEN = r"(?:(?:al|el|Al|El)-|(?:bin|ibn) )?[A-Z][\w'’]+(?:-[\w'’]+)*"
NAME = rf"{TOKEN}(?: (?:(?:of|the|for|in|and|al|wa) )?{TOKEN}){{0,6}}"
# Each pattern with words one of which it cannot match without (the patterns are
# case-sensitive): a substring test skips the ~8 us a sentence the patterns cost.
DISCOVER = [
    (("group", "militia", "faction", "organi", "outfit", "brigade"),
     re.compile(rf"\b(?:group|militia|faction|organi[sz]ation|outfit|brigade)s? (?:calling (?:itself|its self|themselves)|"
                rf"(?:known|identifying itself) as|named|dubbed|called) (?:the )?(?P<name>{NAME})")),
    (("claimed responsibility",),
     re.compile(rf"(?:^|[.;:,] |\bthe )(?P<name>{NAME}),? (?:has |have |later )?claimed responsibility")),
    (("militia", "armed group", "faction"),
     re.compile(rf"\bthe (?P<name>{NAME}) (?:militia|armed group|faction)\b")),
]
DISCOVER_NEEDS = Hints(needs for needs, _ in DISCOVER)
LEADING_THE = re.compile(r"^(?:The|the) ")
NOT_NAMES = {"the", "a", "an", "it", "no", "iran", "iraq", "syria", "israel", "us", "u.s", "america",
             "iranian", "iraqi", "american", "pentagon", "washington", "baghdad"}


_slug = functools.lru_cache(maxsize=4096)(slugify)  # ~4 us a call; the same few hundred names recur


@functools.lru_cache(maxsize=1)
def entries() -> dict[str, dict]:
    """The registry's entries by name, without its matcher (which takes ~0.4 s to compile):
    actor pages need only these."""
    return {e["name"]: e for e in load("actors.yml")["actors"]}


@functools.lru_cache(maxsize=None)
def registry() -> tuple[Matcher, dict]:
    aliases = {alias: e["name"] for e in load("actors.yml")["actors"] for alias in [e["name"], *e.get("aliases", [])]}
    return Matcher(aliases), entries()


def extract(sentences, flags, exclude: set[str]) -> tuple[list[ActorRef], list[str]]:
    """Actors most salient first, and the names of groups found by discovery."""
    matcher, entries = registry()
    found = _discover(sentences, matcher, exclude)
    disc_matcher = Matcher({n: n for n in found}) if found else None
    stats: dict[str, dict] = {}
    texts = [s.text for s in sentences]
    registered = matcher.find_each(texts)
    discovered = disc_matcher.find_each(texts) if disc_matcher else [[] for _ in texts]
    for idx, (s, main) in enumerate(zip(sentences, flags)):
        for start, _, text, name in registered[idx] + discovered[idx]:
            kind = entries[name]["kind"] if name in entries else "armed group"
            st = stats.setdefault(name, {"score": 0.0, "n": 0, "roles": set(), "evidence": s.text,
                                         "kind": kind, "listed_only": True, "names": [], "main": 0})
            st["main"] += main

            st["n"] += 1
            if text not in st["names"]:
                st["names"].append(text)
            st["listed_only"] &= s.is_list
            st["score"] += 0.2 if s.is_list else (1.5 if s.para == 0 else 1.0 if main else 0.4)
            if main:
                following = " ".join(x.text for x in sentences[idx + 1:idx + 3]) if kind in ARMED else ""
                st["roles"] |= _roles(s.text, start, kind, following)
    out = []
    for name, st in stats.items():
        if st["listed_only"] or name.lower() in exclude or not (st["main"] or st["kind"] in ARMED):
            continue  # named only in a list; or, unless an armed group, only in passing background
        roles = tuple(r for r in ("claimed", "blamed", "target") if r in st["roles"]) or ("mentioned",)
        bonus = {"claimed": 10, "blamed": 6, "target": 2}.get(roles[0], 0)  # the main event's parties lead
        out.append((-(st["score"] + bonus), name, ActorRef(
            name, _slug(name), st["kind"], roles, name in entries, st["n"], st["evidence"], tuple(st["names"]))))
    return [a for *_, a in sorted(out, key=lambda t: (t[0], t[1]))], sorted(found)


def _roles(text: str, start: int, kind: str, following: str = "") -> set[str]:
    roles = set()
    if kind not in PARTIES:  # no role is read for other kinds
        return roles
    before, after = text[:start], text[start:]
    claim = CLAIM.search(after[:CLAIM_WINDOW])
    if claim and not NEGATED.search(after[:claim.end()]) \
            and not after[:claim.start()].endswith("to ") and (kind in ARMED or (claim.group(0).startswith("said") and claim.start() < 40)):
        roles.add("claimed")
    if kind in ARMED:
        blame_before = BLAME.search(before)
        if not roles and SUBJECT_ATTACK.match(after) and not blame_before:
            # "X has targeted the base": X's own statement says so, else the outlet attributes it
            roles.add("claimed" if STATEMENT.search(text + " " + following) else "blamed")
        if blame_before or SUSPECTED.match(after):
            roles.add("blamed")
    elif kind in TARGETS and ATTACK.search(before[-80:]):
        roles.add("target")
    if kind in TARGETS and CARRIED_OUT.match(after) and not roles:
        roles.add("claimed")  # the subject of "carried out the strike" owns it
    return roles


def _discover(sentences, matcher: Matcher, exclude: set[str]) -> set[str]:
    names = set()
    prose = [s.text for s in sentences if not s.is_list]
    for (_, rx), held in zip(DISCOVER, DISCOVER_NEEDS.holding(prose)):
        for k in sorted(held):
            for m in rx.finditer(prose[k]):
                name = LEADING_THE.sub("", m.group("name")).strip(" ,.")
                if _plausible(name, matcher, exclude):
                    names.add(name)
    return names


def _plausible(name: str, matcher: Matcher, exclude: set[str]) -> bool:
    words = name.split()
    if len(words) < 2 or fold(words[0]) in NOT_NAMES or name.lower() in exclude:
        return False
    if matcher.find(name):  # a registered actor, or a name built around one
        return False
    return not gazetteer().find(name)
