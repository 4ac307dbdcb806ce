"""Synthetic archive of raw news articles for the benchmark, deterministic from a seed.

    python bench/generate.py --n 1000 --seed 1 --out /tmp/seeds

Each article is a pure function of (seed, index): `make_article(i, seed)`. So the first 1,000
files of a 10,000-file archive are the 1,000 files of the 1,000-file archive, and nothing
depends on the wall clock, the machine or the order of generation.

What the files look like (modelled on seeds/ and tests/eval/articles/):
- 26 outlets, each with its own chrome: menus, donation bars, share bars, newsletter boxes,
  comment threads with usernames, cookie notices, stray CSS lines, related-links tails;
- its own date style: ISO timestamps, "29 Dec 2020 | 03:49 PM UTC", "Thursday, 25 February
  2021", "28.12.2019", "05-11-2023", "March 3, 2021 4:12 PM ET", "Jan 7" (no year), relative
  only ("Tuesday, 21:14") — and, in front matter, a `published:` value, a URL that alone
  carries the date, or nothing;
- actors and places spelt as in digest/data/actors.yml and places.yml (aliases included),
  event types from digest/data/events.yml's vocabulary, casualty counts, quotes, background
  paragraphs with dates of earlier incidents;
- bodies of 200-1,500 words; about 10 % start with YAML front matter (.txt), about 5 % are
  saved HTML pages (.html; the extension is how digest recognises HTML).

File names: `{i:06d}_{outlet-slug}.txt` (or `.html`).
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "digest" / "data"

FIRST_DAY = dt.date(2019, 10, 1)
LAST_DAY = dt.date(2024, 8, 31)
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
FRONT_MATTER_SHARE = 0.10
HTML_SHARE = 0.05


# --------------------------------------------------------------------------- knowledge data

@functools.lru_cache(maxsize=1)
def registry() -> dict:
    """Actors and places from the project's own data files (names and their spellings)."""
    actors = yaml.safe_load((DATA / "actors.yml").read_text(encoding="utf-8"))["actors"]
    places = yaml.safe_load((DATA / "places.yml").read_text(encoding="utf-8"))["places"]

    def spellings(entry):
        # canonical name twice as likely as any one alias; acronyms only as a second mention
        out = [entry["name"], entry["name"]] + [a for a in entry.get("aliases") or []
                                                 if not (a.isupper() and len(a) <= 6)]
        return out

    groups = [a for a in actors if a["kind"] == "armed group"
              and a["name"] not in ("Hamas", "Houthis", "Islamic State", "Izz ad-Din al-Qassam Brigades")]
    return {
        "groups": [(a["name"], spellings(a), [x for x in a.get("aliases") or [] if x.isupper() and len(x) <= 6])
                   for a in groups],
        "forces": [(a["name"], spellings(a)) for a in actors if a["kind"] == "state force"],
        "govs": [(a["name"], spellings(a)) for a in actors if a["kind"] == "government"],
        "orgs": [(a["name"], spellings(a)) for a in actors if a["kind"] == "organisation"],
        "people": [(a["name"], spellings(a), a.get("description", "")) for a in actors if a["kind"] == "person"],
        "sites": [(p["name"], spellings(p), p["country"]) for p in places if p.get("precision") == "site"],
        "towns": [(p["name"], spellings(p), p["country"]) for p in places if p.get("precision") == "town"],
        "regions": [(p["name"], spellings(p), p["country"]) for p in places if p.get("precision") == "region"],
    }


# Roles for the people most often quoted (title as a reporter would write it).
ROLES = {
    "Lloyd Austin": "US Defense Secretary", "Mark Esper": "then Defense Secretary",
    "John Kirby": "Pentagon press secretary", "Pat Ryder": "Pentagon press secretary Brig. Gen.",
    "Sabrina Singh": "Pentagon deputy press secretary", "Antony Blinken": "Secretary of State",
    "Mike Pompeo": "Secretary of State", "Jake Sullivan": "National Security Adviser",
    "Mohammed Shia al-Sudani": "Iraqi Prime Minister", "Mustafa al-Kadhimi": "Iraqi Prime Minister",
    "Adel Abdul Mahdi": "caretaker Prime Minister", "Michael Kurilla": "CENTCOM commander Gen.",
    "Kenneth McKenzie": "CENTCOM commander Gen.", "Alina Romanowski": "US Ambassador",
    "Qais al-Khazali": "Asaib Ahl al-Haq leader", "Akram al-Kaabi": "Nujaba leader",
    "Hadi al-Amiri": "Badr Organization chief", "Joe Biden": "President", "Donald Trump": "President",
}


# --------------------------------------------------------------------------- outlets

@dataclass
class Outlet:
    name: str
    slug: str
    domain: str
    date_style: str
    dateline: str            # "{CITY} (Name) - " etc.
    byline: str
    header: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    css: str | None = None
    comments: bool = False
    share: str | None = None
    region: str = "world"


OUTLET_SPECS = [
    # name, date style, dateline style, byline style
    ("Mesopotamia Wire", "iso", "wire", "by"),
    ("Shafaq Dispatch", "iso", "slash", "none"),
    ("Rudaw Horizon", "dash_dmy", "kurdish", "outlet"),
    ("The Meridian", "weekday_long", "none", "by"),
    ("Europa Today", "dotted", "none", "author"),
    ("Gulf Risk Alert", "pipe_utc", "none", "none"),
    ("Defense Dispatch", "us_long", "none", "by"),
    ("Levant Monitor", "iso", "wire", "by"),
    ("The Iraq Brief", "noyear", "none", "newsletter"),
    ("ConflictFeed", "relative", "none", "none"),
    ("South Front Review", "banner_month", "none", "editor"),
    ("War Report India", "day_month_year", "warreport", "editor"),
    ("Baghdad Post Online", "slash_mdy", "wire", "by"),
    ("Kurdistan 24 Hours", "dash_dmy", "kurdish", "outlet"),
    ("Middle East Eye Witness", "day_month_year", "none", "by"),
    ("The National Ledger", "us_long", "wire", "by"),
    ("Al-Rafidain Herald", "pipe_utc", "slash", "none"),
    ("Lisa's World Digest", "none", "none", "by"),
    ("Radio Tigris", "weekday_long", "none", "none"),
    ("Coalition Watch", "iso", "none", "by"),
    ("Basra Business Times", "dotted", "wire", "author"),
    ("Anbar Ledger", "noyear", "none", "by"),
    ("Nineveh Now", "relative", "none", "none"),
    ("Tehran Observer", "day_month_year", "wire", "by"),
    ("The Frontline Post", "slash_mdy", "none", "by"),
    ("Euphrates Daily", "iso", "kurdish", "outlet"),
]

USERNAMES = ["Abu_Zainab_313", "kurdish_observer", "RedLineWatcher", "Tommy Jensen", "Ahson", "Hassan B.",
             "Jo Whitfield", "grumpy_vet_1972", "Mesopotamian", "truth_seeker", "Layla K.", "AnbarBoy",
             "NoMoreWars", "Sam from Ohio", "Zaid_Basrawi", "Observer2020", "PeaceNow", "Ali Hussein",
             "Karim", "DeirEzzorLocal", "mike_t", "ex_marine_0311", "Nour", "Baghdadi1", "skeptic42"]
COMMENT_TEXT = [
    "Nothing hit, as usual. Stop posting propaganda",
    "God protect the mujahideen",
    "source for this claim?",
    "They never leave until they are forced to leave.",
    "Great summary as always.",
    "Any sense of who is behind the drone campaign this time?",
    "The Iraqi government should protect its own people first.",
    "How many times will this happen before someone is held accountable?",
    "you will see the videos tomorrow",
    "This is what happens when you occupy a country for twenty years.",
    "Praying for everyone on the base.",
    "Fake news. The base was empty.",
]
RELATED = ["Sudani: talks on coalition withdrawal to begin \"as soon as possible\"",
           "PMF commander killed in Baghdad strike, funeral held in Karbala",
           "Iraq: Rocket attack on Erbil airport kills contractor",
           "Analysis: Can Kadhimi rein in the militias?",
           "US strikes Kataib Hezbollah sites after drone attack",
           "Explainer: who are the Islamic Resistance in Iraq?",
           "Oil prices rise as tensions mount in the Gulf",
           "Protesters gather outside the US embassy in Baghdad"]
CSS_LINES = [
    '.site-below-footer-wrap[data-section="section-below-footer-builder"] { margin-bottom: 40px;}',
    ".share-bar{display:flex;gap:8px}.comment .author{font-weight:700}",
    "#cookie-law-info-bar{position:fixed;bottom:0;z-index:9999}",
    ".td-post-content p{font-size:17px;line-height:1.6}",
    "body.single .entry-meta { color: #777; }",
]
SECTIONS = ["Home", "News", "Iraq", "Kurdistan", "Syria", "Middle East", "World", "Politics", "Security",
            "Economy", "Opinion", "Analysis", "Video", "Podcasts", "About", "Contact", "Flashpoints"]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


@functools.lru_cache(maxsize=1)
def outlets() -> tuple[Outlet, ...]:
    """The outlets and their chrome: fixed (not seed-dependent), so file names stay comparable."""
    rng = random.Random("digest-bench-outlets")
    out = []
    for name, date_style, dateline, byline in OUTLET_SPECS:
        slug = _slug(name)
        domain = f"www.{slug.replace('-', '')}.com"
        o = Outlet(name, slug, domain, date_style, dateline, byline)
        # header chrome
        menu = rng.sample(SECTIONS, rng.randint(5, 9))
        style = rng.choice(["pipe", "lines", "spaces", "bullets"])
        if style == "pipe":
            o.header.append(" | ".join(menu))
        elif style == "lines":
            o.header.extend(menu)
        elif style == "spaces":
            o.header.append("   ".join(m.upper() for m in menu))
        else:
            o.header.append(" · ".join(menu))
        if rng.random() < 0.5:
            o.header.insert(0, f"{name} | {rng.choice(['Middle East news and analysis', 'Independent news from Iraq', 'News you can trust', 'The region, every day'])}")
        if rng.random() < 0.35:  # donation bar
            o.header[:0] = [f"{rng.choice([0, 120, 580])} $", "2,500 $", "5,000 $", f"Support {name}"]
        if rng.random() < 0.3:
            o.header.append(rng.choice(["DONATE", "SUBSCRIBE", "Log in", "Search for:", "Toggle navigation"]))
        if rng.random() < 0.3:  # newsletter box in the header
            o.header.extend([f"Sign up for {name}'s daily email", "Untitled(Required)", "Subscribe"])
        if rng.random() < 0.25:
            o.header.append(rng.choice(["We use cookies to improve your experience on our site. Accept all",
                                        "Cookie settings", "This site uses cookies. By continuing you agree."]))
        o.share = rng.choice([None, "Share\nFacebook\nTwitter\nWhatsApp", "Facebook Twitter WhatsApp Telegram Email",
                              "Total\n0\nShares", "Share this article:", "A+ A-"])
        o.comments = rng.random() < 0.55
        # footer chrome
        foot = []
        if rng.random() < 0.5:
            foot += ["Related Articles"] + rng.sample(RELATED, 3)
        if rng.random() < 0.4:
            foot += [f"Every evening, {name}'s editors send out a selection of the day's news. Sign up here.",
                     "Email address*", "Subscribe"]
        if rng.random() < 0.4:
            foot += [f"Support {name}", "Donate now"]
        foot += [rng.choice([f"© {{year}} {name}. All rights reserved.", f"{name} © All rights reserved.",
                             f"Copyright © {{year}} {name}", "Back to top button", "Privacy ∙ Terms ∙ Contact"])]
        o.footer = foot
        o.css = rng.choice(CSS_LINES) if rng.random() < 0.3 else None
        out.append(o)
    return tuple(out)


# --------------------------------------------------------------------------- dates

def fmt_date(style: str, d: dt.date, rng: random.Random) -> str | None:
    h, m = rng.randint(0, 23), rng.randint(0, 59)
    if style == "iso":
        return f"{d.isoformat()}T{h:02d}:{m:02d}:{rng.randint(0, 59):02d}+00:00"
    if style == "pipe_utc":
        ap = "AM" if h < 12 else "PM"
        return f"{d.day:02d} {MONTHS[d.month - 1][:3]} {d.year} | {(h % 12) or 12:02d}:{m:02d} {ap} UTC"
    if style == "weekday_long":
        return f"{WEEKDAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year} {h:02d}:{m:02d} GMT"
    if style == "dotted":
        return f"Date {d.day:02d}.{d.month:02d}.{d.year}"
    if style == "dash_dmy":
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if style == "us_long":
        ap = "a.m." if h < 12 else "p.m."
        return f"Published {MONTHS[d.month - 1]} {d.day}, {d.year} at {(h % 12) or 12}:{m:02d} {ap} ET"
    if style == "slash_mdy":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == "day_month_year":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == "noyear":
        return f"{MONTHS[d.month - 1][:3]} {d.day}"
    if style == "banner_month":
        return f"{MONTHS[d.month - 1].upper()} {d.year}"
    if style == "relative":
        return f"{WEEKDAYS[d.weekday()]}, {h:02d}:{m:02d}"
    return None


def relative_day(event: dt.date, published: dt.date, rng: random.Random) -> str:
    gap = (published - event).days
    wd = WEEKDAYS[event.weekday()]
    if gap == 0:
        return rng.choice([f"on {wd}", f"on {wd}", f"late on {wd}", f"on {wd} evening", "earlier today"])
    if gap == 1:
        return rng.choice([f"on {wd}", f"on {wd} night", "yesterday", f"late on {wd}"])
    if rng.random() < 0.5:
        return f"on {MONTHS[event.month - 1]} {event.day}"
    return rng.choice([f"on {wd}", f"early on {wd}", "earlier this week"])


# --------------------------------------------------------------------------- article text

EVENT_TYPES = ["rocket", "drone", "IED", "missile", "airstrike", "small arms", "storming"]
EVENT_WEIGHTS = [30, 25, 12, 8, 12, 7, 6]
NUM_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "at least five", "more than 30", "14", "three"]


def pick(rng, entry):
    """A spelling of an actor/place entry: (name, spellings, ...)."""
    return rng.choice(entry[1])


def _lead(rng, kind, when, target, town, group_sp, force_sp):
    n = rng.choice(NUM_WORDS)
    if kind == "rocket":
        return rng.choice([
            f"{n.capitalize()} rockets struck {target} {when}, {rng.choice(['security sources said', 'the Security Media Cell said', 'officials said', 'according to a coalition statement'])}.",
            f"A barrage of Katyusha rockets landed near {target} {when}, setting off sirens across the compound.",
            f"Rockets were fired at {target} near {town} {when}, {rng.choice(['Iraqi security officials said', 'a coalition spokesman said'])}.",
            f"{target} came under rocket fire {when} in what officials described as the latest attack on {force_sp}.",
        ])
    if kind == "drone":
        return rng.choice([
            f"A one-way attack drone targeted {target} {when}, {rng.choice(['US officials said', 'a US defense official said', 'security sources said'])}.",
            f"{n.capitalize()} armed drones were shot down near {target} {when}, the coalition said.",
            f"{group_sp} said it attacked {force_sp} at {target} with drones {when}.",
        ])
    if kind == "IED":
        return rng.choice([
            f"A roadside bomb struck a convoy carrying logistics supplies for the US-led coalition near {town} {when}, a security source said.",
            f"An improvised explosive device hit a supply convoy on the highway south of {town} {when}, causing material damage only.",
            f"Two explosive devices targeted a convoy of trucks contracted by {force_sp} in {town} {when}.",
        ])
    if kind == "missile":
        return rng.choice([
            f"Ballistic missiles were fired at {target} {when}, US Central Command said, adding that personnel were being evaluated for traumatic brain injuries.",
            f"{n.capitalize()} missiles hit {target} {when} in one of the largest attacks on {force_sp} in months.",
        ])
    if kind == "airstrike":
        return rng.choice([
            f"US aircraft struck facilities used by {group_sp} near {town} {when}, the Pentagon said.",
            f"A US drone strike {when} hit a vehicle near {target}, killing a senior commander of {group_sp}, security sources said.",
            f"Precision strikes by US forces {when} targeted weapons depots used by {group_sp} in {town}.",
        ])
    if kind == "small arms":
        return rng.choice([
            f"Gunmen opened fire on a checkpoint guarding {target} {when}, security sources said.",
            f"Guards at {target} exchanged gunfire with unidentified attackers {when}, the Iraqi military said.",
        ])
    return rng.choice([
        f"Supporters of {group_sp} stormed the outer wall of {target} {when}, setting fire to a reception area.",
        f"Hundreds of protesters breached the compound of {target} {when} before security forces pushed them back.",
    ])


def _casualties(rng, kind):
    r = rng.random()
    if r < 0.45:
        return rng.choice(["No casualties were reported.", "There were no casualties, according to a coalition official.",
                           "The attack caused material damage only.", "No injuries were reported, officials said."])
    k, w = rng.choice([0, 0, 2, 3, 4]), rng.randint(2, 12)
    who = rng.choice(["US service members", "civilian contractors", "Iraqi soldiers", "fighters", "people", "members of the base staff"])
    if k and w:
        return rng.choice([f"The attack killed {k} {who} and wounded {w} others, officials said.",
                           f"At least {k} {who} were killed and {w} wounded, according to medical sources."])
    if k == 1:
        return rng.choice(["One person was killed, a security source said.", "A civilian contractor was killed, officials said."])
    if k:
        return f"{k} {who} were killed, a security source said."
    return rng.choice([f"{w} {who} were wounded, the US military said.",
                       f"The attack wounded {w} {who}, none of them seriously, officials said."])


def _claim(rng, group_sp, acronym):
    if rng.random() < 0.3:
        return rng.choice(["No group immediately claimed responsibility for the attack.",
                           "No group claimed the attack."])
    s = rng.choice([
        f"{group_sp} claimed responsibility in a statement posted on Telegram.",
        f"{group_sp}, an umbrella of Iran-backed factions, said in a statement that it had targeted \"the American occupation\".",
        f"A group calling itself {group_sp} claimed the attack, saying it was a response to US support for Israel.",
        f"Washington blamed {group_sp} for the attack.",
    ])
    if acronym and rng.random() < 0.5:
        s += f" {acronym} has claimed similar attacks in the past."
    return s


def _quote(rng, person, reg):
    name, spellings, _ = person
    role = ROLES.get(name)
    sp = rng.choice(spellings)
    said = rng.choice([
        "\u201cWe will respond at a time and place of our choosing,\u201d",
        "\u201cThese attacks are unacceptable and must stop,\u201d",
        "\u201cThe safety of our personnel is our top priority,\u201d",
        "\u201cWe call on the Government of Iraq to protect diplomatic and coalition personnel,\u201d",
        "\u201cThis is a dangerous escalation,\u201d",
        "\u201cOur battle with the occupation will not end until they leave our land,\u201d",
    ])
    who = f"{role} {sp}" if role and sp.split()[0] not in role else sp
    return f"{said} {who} said{rng.choice(['', ' in a statement', ' at a press briefing', ' on Twitter'])}."


BACKGROUND = [
    (dt.date(2019, 12, 27), "more than 30 rockets struck the K-1 base near Kirkuk, killing a US civilian contractor"),
    (dt.date(2019, 12, 31), "supporters of Kataib Hezbollah stormed the US embassy compound in Baghdad"),
    (dt.date(2020, 1, 3), "a US drone strike near Baghdad International Airport killed Qassem Soleimani and Abu Mahdi al-Muhandis"),
    (dt.date(2020, 1, 8), "Iran fired ballistic missiles at Ain al-Asad air base in retaliation"),
    (dt.date(2020, 3, 11), "rockets hit Camp Taji, killing two Americans and a British soldier"),
    (dt.date(2021, 2, 15), "rockets struck Erbil airport, killing a civilian contractor"),
    (dt.date(2021, 2, 25), "US aircraft struck facilities used by Kataib Hezbollah near Abu Kamal"),
    (dt.date(2023, 10, 7), "Hamas attacked Israel, starting the war in Gaza"),
    (dt.date(2024, 1, 28), "a drone attack on Tower 22 in Jordan killed three US soldiers"),
    (dt.date(2024, 2, 2), "US forces struck more than 85 targets in Iraq and Syria"),
]

FILLER = [
    "Analysts say the attacks risk drawing Iraq deeper into the confrontation between Washington and Tehran.",
    "The US has about 2,500 troops in Iraq and some 900 in Syria, on a mission to advise and assist local forces fighting the remnants of the Islamic State group.",
    "Iraqi officials have repeatedly condemned both the attacks and the US retaliatory strikes, saying they violate the country's sovereignty.",
    "The factions say they will continue their operations until all foreign forces leave Iraq.",
    "The government in Baghdad is negotiating a timetable for the departure of the US-led coalition.",
    "Rocket attacks on bases hosting coalition troops had declined in recent months after the factions announced a conditional truce.",
    "Security forces later found a launch pad with several unused rockets in an abandoned truck near {town}.",
    "The launchers were mounted on a pickup truck parked in a village outside {town}, police sources said.",
    "Residents of {town} reported hearing loud explosions and seeing smoke rising from the direction of the base.",
    "The Security Media Cell said an investigation had been opened and that the perpetrators would be pursued.",
    "Helicopters were seen taking off from the base shortly after the attack, witnesses said.",
    "The attack was the {ord} on US forces in Iraq and Syria since mid-October, according to a Pentagon tally.",
    "Lawmakers from the ruling Coordination Framework called again for the expulsion of foreign troops.",
    "The embassy activated its C-RAM air defence system, which intercepted at least one projectile.",
    "Iran denied any role in the attack and said the factions take their own decisions.",
    "Oil prices rose briefly on news of the attack before falling back in afternoon trading.",
    "Traffic on the main road to {town} was closed for several hours while army engineers searched the area.",
    "A spokesperson for {force} said the damage was being assessed and that operations were continuing.",
    "The {org} recorded the incident among more than a dozen attacks in the province this year.",
    "Local officials in {town} said the attackers fled toward the desert before security forces arrived.",
    "Diplomats in {city} said the attack was likely intended as a message ahead of the next round of talks.",
    "The factions have mostly relied on one-way attack drones and short-range rockets, though ballistic missiles have been used on occasion.",
    "The incident came hours after a senior US official visited {city} for talks on security cooperation.",
    "Police cordoned off the area and ambulances were seen leaving the scene.",
]
ORDINALS = ["11th", "27th", "40th", "66th", "78th", "100th", "120th", "140th", "151st", "165th"]


def _filler(rng, reg, town, city):
    s = rng.choice(FILLER)
    return s.format(town=town, city=city, ord=rng.choice(ORDINALS),
                    force=pick(rng, rng.choice(reg["forces"])), org=pick(rng, rng.choice(reg["orgs"])))


def _background(rng, event: dt.date, reg):
    earlier = [b for b in BACKGROUND if b[0] < event]
    if not earlier:
        return None
    d, what = rng.choice(earlier)
    style = rng.random()
    if style < 0.4:
        when = f"On {MONTHS[d.month - 1]} {d.day}, {d.year}"
    elif style < 0.7 and d.year == event.year:
        when = f"On {MONTHS[d.month - 1]} {d.day}"
    elif style < 0.85:
        when = f"In {MONTHS[d.month - 1]} {d.year}"
    else:
        when = f"On {d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"{when}, {what}."


def body_paragraphs(rng: random.Random, reg: dict, event: dt.date, published: dt.date, kind: str,
                    words_target: int) -> tuple[list[str], str, str, str]:
    """Paragraphs of prose; returns (paragraphs, title, place name, city)."""
    site = rng.choice(reg["sites"])
    town = rng.choice(reg["towns"])
    target = pick(rng, site) if rng.random() < 0.75 else f"a base near {pick(rng, town)}"
    town_sp = pick(rng, town)
    city = rng.choice({"Iraq": ["Baghdad", "Baghdad", "Erbil", "Basra"], "Syria": ["Damascus", "Beirut"],
                       "Jordan": ["Amman"]}.get(site[2], ["Washington"]))
    group = rng.choice(reg["groups"])
    group_sp, acronym = pick(rng, group), (rng.choice(group[2]) if group[2] else None)
    force_sp = pick(rng, rng.choice(reg["forces"][:6]))
    when = relative_day(event, published, rng)
    paras = [_lead(rng, kind, when, target, town_sp, group_sp, force_sp) + " " + _casualties(rng, kind)]
    paras.append(_claim(rng, group_sp, acronym) + " " + _filler(rng, reg, town_sp, city))
    people = rng.sample(reg["people"], 3)
    paras.append(_quote(rng, people[0], reg))
    bg = _background(rng, event, reg)
    if bg:
        paras.append(bg + " " + _filler(rng, reg, town_sp, city))
    n_words = sum(len(p.split()) for p in paras)
    while n_words < words_target:
        r = rng.random()
        if r < 0.12:
            p = _quote(rng, rng.choice(people), reg)
        elif r < 0.22:
            p = (_background(rng, event, reg) or _filler(rng, reg, town_sp, city)) + " " + _filler(rng, reg, town_sp, city)
        elif r < 0.30:
            other = pick(rng, rng.choice(reg["groups"]))
            p = (f"{other} {rng.choice(['has also threatened', 'has previously claimed attacks on', 'denied involvement in attacks on'])} "
                 f"{pick(rng, rng.choice(reg['forces'][:6]))} in {pick(rng, rng.choice(reg['regions']))}.")
        else:
            p = " ".join(dict.fromkeys(_filler(rng, reg, town_sp, city) for _ in range(rng.randint(2, 4))))
        paras.append(p)
        n_words += len(p.split())
    title_kind = {"rocket": "Rockets hit", "drone": "Drone attack targets", "IED": "Roadside bomb hits convoy near",
                  "missile": "Missiles fired at", "airstrike": "US strikes militia sites near",
                  "small arms": "Gunmen attack", "storming": "Protesters storm"}[kind]
    title_place = target if kind not in ("IED", "airstrike") else town_sp
    title = f"{title_kind} {title_place}"
    if rng.random() < 0.4:
        title += rng.choice([f"; {group_sp} claims responsibility", ", no casualties reported", " as attacks on US forces rise",
                             f" in latest attack blamed on {group_sp}"])
    title = title[0].upper() + title[1:]
    return paras, title, site[0], city


# --------------------------------------------------------------------------- page assembly

def _dateline(o: Outlet, city: str) -> str:
    return {"wire": f"{city.upper()} ({o.name}) - ", "slash": f"{o.name} / ",
            "kurdish": f"{city.upper()}, Kurdistan Region – ", "warreport": "WAR-REPORT :- "}.get(o.dateline, "")


def _byline(o: Outlet, rng: random.Random) -> str | None:
    person = rng.choice(["Markus Feldmann", "Omar Tariq", "Rachel Dunmore", "S K Singh", "Micaela Burrow",
                         "Hiwa Aziz", "Sarah Lynch", "Ahmed Rasheed", "Staff reporter"])
    return {"by": f"By {person}", "author": f"Author {person} (AFP, Reuters, dpa)",
            "editor": f"{person} : Editor-in-Chief", "outlet": o.name, "newsletter": person}.get(o.byline)


def _comments(rng: random.Random, o: Outlet, published: dt.date) -> list[str]:
    n = rng.randint(1, 6)
    out = [rng.choice([f"{n} Comments", "Comments", "Notify of", "Leave a Reply", f"Comments ({n})", "Post a comment"])]
    for _ in range(n):
        user = rng.choice(USERNAMES)
        style = rng.random()
        if style < 0.4:
            out.append(f"{user}: {rng.choice(COMMENT_TEXT)}")
        elif style < 0.7:
            out += [f"{user} · {MONTHS[published.month - 1][:3]} {published.day + rng.randint(0, 2) if published.day < 27 else published.day}",
                    rng.choice(COMMENT_TEXT), "Reply"]
        else:
            out += [user, rng.choice(COMMENT_TEXT), f"Last edited {rng.randint(1, 11)} months ago by {user}"]
    return out


def _text_page(rng, o, title, paras, date_line, published, city, sub) -> str:
    lines = list(o.header)
    if o.date_style == "noyear":
        lines.append(f"Week {published.isocalendar()[1]} · {MONTHS[published.month - 1]} {published.year}")
    if o.date_style == "banner_month" and date_line:
        lines.insert(0, date_line)
        date_line = None
    lines += ["", title, ""]
    if sub:
        lines += [sub, ""]
    by = _byline(o, rng)
    meta = [x for x in (date_line if o.date_style not in ("relative",) else None, by) if x]
    if o.byline == "outlet" and date_line:
        meta = [date_line, o.name]
    lines += meta
    if o.share:
        lines += o.share.split("\n")
    if rng.random() < 0.3:
        lines += ["", rng.choice(["File image.", "Photo: AFP", "The U.S. embassy in Iraq. AFP", "Image credit: Reuters"])]
    lines.append("")
    first = True
    minute = rng.randint(0, 1200)  # the channel-mirror style: posts stamped "Tuesday, 21:14"
    for p in paras:
        if first:
            p = _dateline(o, city) + p
            first = False
        if o.date_style == "relative" and rng.random() < 0.3:
            minute += rng.randint(3, 40)
            lines += [f"{WEEKDAYS[(published.weekday() + minute // 1440) % 7]}, {minute // 60 % 24:02d}:{minute % 60:02d}", ""]
            lines += [p, "", f"Views {rng.randint(2, 40)}.{rng.randint(0, 9)}K", ""]
        else:
            lines += [p, ""]
    if rng.random() < 0.25:
        lines += ["Key Takeaways:", ""] + [f"  • {_lead_bullet(rng)}" for _ in range(rng.randint(2, 4))] + [""]
    lines += [""] + [l.format(year=published.year) for l in o.footer]
    if o.comments:
        lines += [""] + _comments(rng, o, published)
    if o.css:
        lines.append(o.css)
    return "\n".join(lines).rstrip() + "\n"


def _lead_bullet(rng):
    return rng.choice(["Iraq: Iranian-backed militias appear divided on whether to resume attacks.",
                       "Syria: US forces intercepted a drone near the al-Omar oil field.",
                       "Gaza Strip: fighting continued in the south of the strip.",
                       "Iran: Tehran denied any role in the attacks on US forces.",
                       "West Bank: Israeli forces conducted raids in several towns."])


def _front_matter(rng, o, title, published, slug) -> tuple[str, bool]:
    """YAML front matter: published date, URL-only date, or no date at all."""
    style = rng.random()
    url_date = published.strftime(rng.choice(["/%Y/%m/%d/", "/news/%Y/%m/", "/en/news/%d%m%Y-"]))
    lines = ["---", f"title: \"{title}\"", f"source: {o.name}"]
    if style < 0.45:
        lines += [f"url: https://{o.domain}/news/{slug}", f"published: {published.isoformat()}"]
    elif style < 0.85:
        sep = "" if url_date.endswith("-") else ""
        lines.append(f"url: https://{o.domain}{url_date}{sep}{slug}")
    else:
        lines.append(f"url: https://{o.domain}/news/{slug}")
    lines.append("---")
    return "\n".join(lines) + "\n", style < 0.85


def _html_page(rng, o, title, paras, published, city) -> str:
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    nav = "".join(f'<li><a href="/{_slug(s)}">{s}</a></li>' for s in o.header[-1].split(" | ")[:7]) \
        if " | " in o.header[-1] else "".join(f'<li><a href="/{_slug(s)}">{s}</a></li>' for s in SECTIONS[:6])
    meta_time = (f'<meta property="article:published_time" content="{published.isoformat()}T{rng.randint(0, 23):02d}:00:00+03:00">'
                 if rng.random() < 0.7 else "")
    comments = ""
    if o.comments:
        cs = "".join(f'<div class="comment"><span class="author">{rng.choice(USERNAMES)}</span><p>{esc(rng.choice(COMMENT_TEXT))}</p></div>'
                     for _ in range(rng.randint(1, 4)))
        comments = f'<section class="comments"><h3>Comments</h3>{cs}</section>'
    body = "\n".join(f"    <p>{esc((_dateline(o, city) if i == 0 else '') + p)}</p>" for i, p in enumerate(paras))
    date_text = fmt_date(o.date_style, published, rng) or ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(title)} | {esc(o.name)}</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(title)}">
<meta property="og:site_name" content="{esc(o.name)}">
{meta_time}
<style>{CSS_LINES[1]}</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</head>
<body>
<div class="cookie-notice">We use cookies to improve your experience. <button>Accept all</button></div>
<header><a class="logo" href="/">{esc(o.name)}</a><nav><ul>{nav}</ul></nav></header>
<main>
<article>
  <h1>{esc(title)}</h1>
  <div class="post-meta"><span class="byline">{esc(_byline(o, rng) or o.name)}</span> <time>{esc(date_text)}</time></div>
  <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a> <a href="#">WhatsApp</a></div>
  <div class="post-body">
{body}
  </div>
</article>
<aside class="newsletter"><h3>Sign up for our newsletter</h3><input type="email" placeholder="Email address"><button>Subscribe</button></aside>
<aside class="related"><h3>Related Articles</h3><ul>{''.join(f'<li><a href="#">{esc(r)}</a></li>' for r in rng.sample(RELATED, 3))}</ul></aside>
{comments}
</main>
<footer><p>&copy; {published.year} {esc(o.name)}. All rights reserved.</p><a href="/donate">Donate</a></footer>
</body>
</html>
"""


def make_article(i: int, seed: int) -> tuple[str, str]:
    """Article number i of the archive for `seed`: (file name, file text)."""
    rng = random.Random(f"{seed}:{i}")
    reg = registry()
    o = rng.choice(outlets())
    event = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    published = event + dt.timedelta(days=rng.choice([0, 0, 0, 1, 1, 2, 5]))
    kind = rng.choices(EVENT_TYPES, EVENT_WEIGHTS)[0]
    words_target = int(rng.triangular(200, 1500, 450))
    paras, title, _place, city = body_paragraphs(rng, reg, event, published, kind, words_target)
    form = rng.random()
    if form < HTML_SHARE:
        return f"{i:06d}_{o.slug}.html", _html_page(rng, o, title, paras, published, city)
    date_line = fmt_date(o.date_style, published, rng)
    sub = None
    if rng.random() < 0.3:
        sub = rng.choice(["Pentagon says strikes hit facilities used by the factions near the border",
                          "Plus: drones over Baghdad airport, and what the coalition's mission change really means",
                          "It was the deadliest in a wave of attacks on bases hosting US troops in recent weeks."])
    if form < HTML_SHARE + FRONT_MATTER_SHARE:
        slug = _slug(title)[:60]
        fm, has_date = _front_matter(rng, o, title, published, slug)
        # with front matter the page carries no date line of its own (the scraper kept the body)
        text = fm + "\n" + _text_page(rng, o, title, paras, None, published, city, sub)
        return f"{i:06d}_{o.slug}.txt", text
    return f"{i:06d}_{o.slug}.txt", _text_page(rng, o, title, paras, date_line, published, city, sub)


def generate(n: int, seed: int, out: Path) -> list[Path]:
    """Write n article files into `out` (created if missing); returns their paths in order."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        name, text = make_article(i, seed)
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    paths = generate(a.n, a.seed, a.out)
    print(f"{len(paths)} files -> {a.out}")


if __name__ == "__main__":
    main()
