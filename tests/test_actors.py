"""digest.extract.actors, through digest.analyse.analyse as the build runs it."""
from __future__ import annotations

from pathlib import Path

import pytest

from digest.analyse import analyse
from digest.ingest import parse

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def run(body: str, source: str = "The Tigris Ledger", title: str = "Rockets hit Victory base"):
    front = f"---\ntitle: {title}\nsource: {source}\npublished: 2021-03-03\n---\n"
    return analyse(parse((front + body).encode("utf-8"), "story.md"))


def by_name(article) -> dict:
    return {a.name: a for a in article.actors}


# --- one actor, many spellings ---------------------------------------------------------------

def test_acronym_apostrophe_and_alias_are_one_actor():
    art = run(
        "Rockets struck Victory base near Baghdad airport on Wednesday, officials said.\n"
        "Kata'ib Hezbollah claimed responsibility for the attack in a statement on Telegram.\n"
        "Analysts said the Iraqi Hezbollah Brigades had long threatened to expel foreign forces from the country.\n"
        "KH has fought American troops in Iraq for more than a decade, officials said on Wednesday.\n")
    actors = by_name(art)
    assert "Kataib Hezbollah" in actors
    kh = actors["Kataib Hezbollah"]
    assert kh.mentions == 3
    assert kh.registered and kh.kind == "armed group"
    assert set(kh.names) == {"Kata'ib Hezbollah", "Iraqi Hezbollah Brigades", "KH"}
    assert not {"KH", "Kata'ib Hezbollah", "Iraqi Hezbollah Brigades", "Hezbollah"} & set(actors)


def test_lowercase_kh_is_not_the_acronym():
    art = run("Rockets struck Victory base near Baghdad airport on Wednesday, officials said, "
              "and a kh sound was heard across the district before the sirens.\n"
              "No group has claimed responsibility for the attack so far, the officials said.\n")
    assert "Kataib Hezbollah" not in by_name(art)


# --- discovery of unregistered groups ------------------------------------------------------

def test_group_calling_itself_is_discovered_and_claims():
    art = run("Rockets struck Victory base near Baghdad airport on Wednesday, causing no casualties, officials said.\n"
              "A group calling itself the Saraya Rad al-Adwan claimed responsibility for the attack on Telegram.\n"
              "The group said it had fired six rockets at the base, which hosts American advisers.\n")
    actors = by_name(art)
    assert "Saraya Rad al-Adwan" in actors
    group = actors["Saraya Rad al-Adwan"]
    assert group.registered is False
    assert group.kind == "armed group"
    assert "claimed" in group.roles
    assert art.actors[0].name == "Saraya Rad al-Adwan"  # the claimant leads
    assert any("Saraya Rad al-Adwan" in w and "discovery" in w for w in art.warnings)


def test_discovered_name_is_not_a_registered_actor_or_a_place():
    art = run("Rockets struck Victory base near Baghdad airport on Wednesday, officials said.\n"
              "A faction calling itself the Kataib Hezbollah Iraq claimed responsibility for the attack.\n"
              "A group known as the Baghdad Airport claimed it too, in a post on social media that evening.\n")
    names = {a.name for a in art.actors}
    assert "Kataib Hezbollah" in names
    assert not [n for n in names if n.startswith("Baghdad") or n == "Kataib Hezbollah Iraq"]
    assert not any("discovery" in w for w in art.warnings)


# --- roles -----------------------------------------------------------------------------------

ATTACK = "Rockets struck Victory base near Baghdad airport on Wednesday, wounding two US soldiers, officials said.\n"


def test_claimed_role():
    art = run(ATTACK + "Asaib Ahl al-Haq claimed responsibility for the attack in a statement on Telegram.\n")
    assert by_name(art)["Asaib Ahl al-Haq"].roles[0] == "claimed"


def test_blamed_role():
    art = run(ATTACK + "US officials blamed Asaib Ahl al-Haq for the attack, which the group denied.\n")
    aah = by_name(art)["Asaib Ahl al-Haq"]
    assert "blamed" in aah.roles
    assert "claimed" not in aah.roles


def test_suspected_after_the_name_is_blamed():
    art = run(ATTACK + "Kataib Hezbollah is suspected of firing the rockets from a nearby orchard, officials said.\n")
    assert "blamed" in by_name(art)["Kataib Hezbollah"].roles


def test_target_role():
    art = run(ATTACK + "It was the third attack targeting US forces in Iraq this week, officials said on Wednesday.\n")
    us = by_name(art)["US forces"]
    assert us.roles == ("target",)


def test_no_group_claimed_is_not_a_claim():
    art = run("Rockets struck Victory base near Baghdad airport on Wednesday, officials said.\n"
              "No group has claimed responsibility, but US officials suspect Kataib Hezbollah of the attack.\n")
    kh = by_name(art)["Kataib Hezbollah"]
    assert "claimed" not in kh.roles
    assert "blamed" in kh.roles


def test_named_without_a_role_is_mentioned():
    art = run(ATTACK + "Kataib Sayyid al-Shuhada held a rally in the city on Wednesday, officials said.\n")
    assert by_name(art)["Kataib Sayyid al-Shuhada"].roles == ("mentioned",)


# --- what is never an actor ------------------------------------------------------------------

def test_actors_only_in_a_key_takeaways_list_are_left_out():
    art = run(ATTACK + "Asaib Ahl al-Haq claimed responsibility for the attack in a statement on Telegram.\n"
              "Key Takeaways:\n"
              "• Harakat Hezbollah al-Nujaba threatened to resume attacks on US bases across Iraq and Syria.\n"
              "• Badr Organization leaders met the prime minister to discuss the coalition withdrawal.\n")
    names = {a.name for a in art.actors}
    assert "Asaib Ahl al-Haq" in names
    assert "Harakat Hezbollah al-Nujaba" not in names
    assert "Badr Organization" not in names


def test_commenters_and_comment_text_are_never_actors():
    art = run(ATTACK + "No group has claimed responsibility for the attack, the officials said on Wednesday.\n"
              "Leave a Reply\n"
              "Abu Fadak\n"
              "Asaib Ahl al-Haq claimed this attack and Kataib Hezbollah will strike the Americans again soon.\n"
              "Reply\n"
              "Qais al-Khazali\n"
              "The group calling itself the Sons of Liberty Front claimed it, everyone in Baghdad knows that.\n")
    names = {a.name for a in art.actors}
    assert names, "the article's own actors are still found"
    for name in ("Abu Fadak al-Mohammedawi", "Qais al-Khazali", "Asaib Ahl al-Haq", "Kataib Hezbollah",
                 "Sons of Liberty Front"):
        assert name not in names


def test_site_name_from_front_matter_is_never_an_actor():
    art = run(ATTACK + "Sabereen News, a Telegram channel close to the militias, first reported the attack.\n",
              source="Sabereen News")
    assert "Sabereen News" not in {a.name for a in art.actors}


def test_same_organisation_is_an_actor_when_it_is_not_the_site():
    art = run(ATTACK + "Sabereen News, a Telegram channel close to the militias, first reported the attack.\n")
    assert "Sabereen News" in {a.name for a in art.actors}


NOT_ACTORS = {  # outlets, bylines and commenters of the seeds (tests/eval/gold/seed_00*.yml)
    "000": ["SouthFront", "Ahson", "Tommy Jensen"],
    "001": ["Shafaq Live", "Shafaq News", "Sky News"],
    "002": ["Rudaw", "Rudaw English"],
    "003": ["S K Singh", "World War"],
    "004": ["Lisa's Top Ten", "Micaela Burrow", "Daily Caller News Foundation"],
}


@pytest.mark.parametrize("stem", sorted(NOT_ACTORS))
def test_seed_site_and_people_around_the_page_are_not_actors(stem):
    (path,) = SEEDS.glob(f"{stem}_*.txt")
    art = analyse(parse(path.read_bytes(), path.name))
    names = {a.name for a in art.actors}
    assert names
    for bad in NOT_ACTORS[stem]:
        assert not any(bad.lower() in n.lower() for n in names), bad


def test_seed_unregistered_claimant_is_found():
    (path,) = SEEDS.glob("000_*.txt")
    art = analyse(parse(path.read_bytes(), path.name))
    group = by_name(art)["International Resistance"]
    assert (group.registered, group.roles) == (False, ("claimed",))


def test_has_not_claimed_is_not_a_claim():
    art = run(ATTACK + "Kataib Hezbollah has not claimed responsibility for the attack, officials said.\n")
    assert "claimed" not in by_name(art)["Kataib Hezbollah"].roles


def test_claim_after_a_long_appositive():
    # seed 002: the claimant's statement comes after a 100-character description of the group
    (path,) = SEEDS.glob("002_*.txt")
    art = analyse(parse(path.read_bytes(), path.name))
    actors = by_name(art)
    assert "claimed" in actors["Islamic Resistance in Iraq"].roles
    assert "target" in actors["US forces"].roles
