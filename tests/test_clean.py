"""digest.clean: article text apart from the page chrome a scraper kept."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from digest.clean import Cleaned, clean

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(stem: str) -> str:
    (path,) = SEEDS.glob(f"{stem}_*.txt")
    return path.read_text(encoding="utf-8")


def body(c: Cleaned) -> str:
    return "\n".join(c.paragraphs)


def removed_lines(c: Cleaned) -> list[str]:
    return [r.split(": ", 1)[1] for r in c.removed]


def assert_removed(c: Cleaned, line: str) -> None:
    assert line not in body(c), f"{line!r} left in the body"
    assert line in removed_lines(c), f"{line!r} not kept in `removed`"


# --- the five seeds ----------------------------------------------------------------------
# Each: (stem, headline, allowed outlets, lines that are chrome or comments, text the body keeps)
SEED_CASES = [
    ("000", "Iraqi ‘Resistance’ Resume Attacks On U.S. Supply Convoys", {"SouthFront"},
     ["JUNE 2023", "2,500 $", "Support SouthFront", "File image.", "Notify of", "Newest Most Voted",
      "Inline Feedbacks", "View all comments", "Last edited 4 months ago by Ahson", "Tommy Jensen",
      "Would love your thoughts, please comment.x"],
     ["On January 12, a convoy moving logistic supplies",
      "The convoy was reportedly able to continue its way after the attack.",
      "These groups are still determined to achieve their goal as evident by the new attack."]),
    ("001", "After the embassy being targeted... a large American military convoy leaves Iraq",
     {"Shafaq News"},
     ["2020-02-16T14:38:27+00:00", "Shafaq Live", "Radio radio icon"],
     ["On Sunday morning, several missiles landed near the US embassy in Baghdad",
      "were subjected to 19 missile attacks since the end of last October.",
      "On January 3, American forces carried out an air strike"]),
    ("002", "Iraqi militia claims to target US forces in Syria", {"Rudaw"},
     ["A+ A-", "05-11-2023", "UPDATED at 8:35 pm with the correction", "Comments",
      "Post a comment", "Required",
      "Comments that do not meet our guidelines will be rejected. Comments are not edited – they are "
      "either approved or rejected."],
     ["used drones to attack the Tel Baydar base", "SOHR initially reported that the drone was Turkish.",
      "“We are doing everything in our power to deter and prevent that."]),
    ("003", "Iranian-backed Iraqi militias appear divided on whether to resume attacks !!!", {None},
     ["World War", "S K Singh : Editor-in-Chief", "Key Takeaways:", "Related Articles", "Leave a Reply",
      "Your email address will not be published. Required fields are marked *", "Back to top button",
      "error: Content is protected !!",
      '.site-below-footer-wrap[data-section="section-below-footer-builder"] { margin-bottom: 40px;}'],
     ["Kataib Hezbollah (KH) is advocating for the resumption of attacks",
      "did not approve the recent attacks on US forces on April 21 and 22",
      "These fissures highlight the risk that KH and other militias could resume regular attacks"]),
    ("004", "U.S. Embassy in Baghdad Shelled as Attacks on U.S. Troops Trend Back Up",
     {"Daily Caller News Foundation", "Lisa's Top Ten"},
     ["DONATE", "SUBSCRIBE", "Sign Up for Lisa's Top Ten", "Untitled(Required)",
      "The U.S. embassy in Iraq. AFP", "By: Micaela Burrow, Daily Caller News Foundation",
      "Related Story: Biden Admin Labels Group Behind Attacks on U.S. Troops a Terrorist Organization",
      "Read More", "Total", "Shares", "Related Posts"],
     ["came under rocket fire on Friday morning", "No group immediately claimed responsibility.",
      "The U.S. consulate general in Erbil did not immediately respond"]),
]


@pytest.fixture(scope="module", params=SEED_CASES, ids=[c[0] for c in SEED_CASES])
def seed_case(request):
    stem, *rest = request.param
    return (seed(stem), clean(seed(stem)), *rest)


def test_seed_title(seed_case):
    _, c, title, *_ = seed_case
    assert c.title == title
    assert title not in c.paragraphs


def test_seed_outlet(seed_case):
    _, c, _, outlets, *_ = seed_case
    assert c.source in outlets


def test_seed_chrome_and_comments_are_removed_and_kept_for_audit(seed_case):
    _, c, _, _, chrome, _ = seed_case
    for line in chrome:
        assert_removed(c, line)


def test_seed_body_is_kept(seed_case):
    _, c, _, _, _, kept = seed_case
    for snippet in kept:
        assert snippet in body(c)


def test_seed_every_line_is_either_body_or_removed(seed_case):
    text, c, *_ = seed_case
    out = set(c.paragraphs) | set(removed_lines(c))
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line:
            assert line in out or re.sub(r"^[•*-] ", "• ", line) in out, line
    assert len(c.is_list) == len(c.paragraphs)
    assert all(re.match(r"^[\w ]+: ", r) for r in c.removed)


def test_comment_text_never_reaches_the_body():
    c = clean(seed("000"))
    assert "America sent 11 tir of heavy weapons" not in body(c)
    assert "They are shooting after a top exceptional US service member." not in body(c)
    assert "Pro-Iranian Iraqi armed groups attacked hundreds" in c.paragraphs[-1]


def test_key_takeaways_are_kept_as_list_items():
    c = clean(seed("003"))
    items = [p for p, is_list in zip(c.paragraphs, c.is_list) if is_list]
    assert len(items) == 5
    assert all(p.startswith("• ") for p in items)
    assert items[0] == "• Iraq: Iranian-backed Iraqi militias appear divided on whether to resume attacks targeting US forces."
    prose = [p for p, is_list in zip(c.paragraphs, c.is_list) if not is_list]
    assert prose[0].startswith("WAR-REPORT :- Iranian-backed Iraqi militias appear divided")


def test_duplicated_caption_and_headline_appear_once_at_most():
    c = clean(seed("004"))
    assert c.after_title.count("The U.S. embassy in Iraq. AFP") == 2
    assert len(c.paragraphs) == len(set(c.paragraphs))


# --- general rules, on pages of an outlet the rules have never seen ----------------------

LEAD = ("Three rockets struck near a base hosting coalition troops at Baghdad International Airport "
        "late on Tuesday, Iraqi security officials said, causing no casualties.")
SECOND = ("The rockets were launched from an orchard in the Radwaniyah area south of the airport, "
          "according to a statement from the Security Media Cell.")
THIRD = ("No group has claimed responsibility, but Washington has repeatedly blamed Iran-backed "
         "factions for similar attacks on its forces in the country.")
HEADLINE = "Rockets target coalition base near Baghdad airport"


def page(*middle: str, tail: tuple[str, ...] = ()) -> str:
    top = ["Skip to content", "Menu", "The Euphrates Monitor", "Home", "Politics", HEADLINE,
           "By Layla Hassan, Staff Writer"]
    return "\n".join(top + [LEAD, *middle, SECOND, THIRD, *tail]) + "\n"


def test_unseen_outlet_header_and_headline():
    c = clean(page())
    assert c.title == HEADLINE
    assert c.paragraphs == (LEAD, SECOND, THIRD)
    for line in ("Skip to content", "Menu", "Home", "By Layla Hassan, Staff Writer"):
        assert_removed(c, line)


@pytest.mark.parametrize("bar", [
    ("Share this article", "Facebook Twitter WhatsApp Email"),
    ("Share:", "Facebook", "Twitter", "Telegram", "Copy link"),
    ("1.2K Shares", "Click to share on Facebook (Opens in new window)", "Tweet"),
])
def test_share_bar(bar):
    c = clean(page(*bar))
    assert c.paragraphs == (LEAD, SECOND, THIRD)
    for line in bar:
        assert_removed(c, line)


@pytest.mark.parametrize("box", [
    ("Sign up for our daily newsletter to get the top stories in your inbox.",),
    ("Subscribe to our newsletter", "Enter your email address", "Subscribe"),
    ("Get the Euphrates Briefing: subscribe for free email updates every morning",),
])
def test_newsletter_box_in_the_middle_does_not_end_the_article(box):
    c = clean(page(*box))
    assert c.paragraphs == (LEAD, SECOND, THIRD)
    for line in box:
        assert_removed(c, line)


@pytest.mark.parametrize("notice", [
    ("We use cookies to improve your experience on our site. By continuing you accept our cookie policy.",
     "Accept"),
    ("Cookie settings", "Accept all cookies"),
])
def test_cookie_notice(notice):
    c = clean(page(*notice))
    assert c.paragraphs == (LEAD, SECOND, THIRD)
    for line in notice:
        assert_removed(c, line)


RELATED = ("Drone attack targets Erbil airport in the north of the country, officials say",
           "Militias threaten US forces after strike near the Syrian border town of Albu Kamal")


@pytest.mark.parametrize("heading", ["Related Posts", "RELATED ARTICLES", "You may also like", "Read more"])
def test_related_posts_tail_is_removed_with_everything_after_it(heading):
    c = clean(page(tail=(heading, *RELATED)))
    assert c.paragraphs == (LEAD, SECOND, THIRD)
    assert c.removed[-3:] == tuple(f"tail: {l}" for l in (heading, *RELATED))


COMMENTS = ("Leave a Reply", "Your email address will not be published. Required fields are marked *",
            "Abu Karrar", "March 4, 2021 at 9:12 am",
            "The Americans must leave Iraq now and never come back to our land again, everyone here knows this.",
            "Reply", "Sara M.",
            "This is the third attack on the airport this month and the government still does nothing about it.",
            "Reply")


def test_comment_thread_after_leave_a_reply_is_removed():
    c = clean(page(tail=COMMENTS))
    assert c.paragraphs == (LEAD, SECOND, THIRD)
    assert removed_lines(c)[-len(COMMENTS):] == list(COMMENTS)
    assert all(r.startswith("tail: ") for r in c.removed[-len(COMMENTS):])


def test_tail_marker_before_any_body_does_not_swallow_the_article():
    c = clean("\n".join(["Comments (3)", HEADLINE, LEAD, SECOND, THIRD]))
    assert c.paragraphs == (LEAD, SECOND, THIRD)


def test_long_prose_mentioning_boilerplate_words_is_kept():
    line = ("Officials said the group would share the footage on Telegram and urged residents to "
            "subscribe to official channels rather than rumours, after rockets hit the base.")
    c = clean(page(line))
    assert line in c.paragraphs


def test_written_out_date_below_the_headline_is_not_the_title():
    text = "\n".join(["The Euphrates Monitor", HEADLINE, "By Layla Hassan", "March 3, 2021", LEAD, SECOND])
    c = clean(text)
    assert c.title == HEADLINE
    assert "March 3, 2021" in c.after_title


# --- pathological input: must simply finish --------------------------------------------

def test_huge_line_of_braces_and_colons():
    junk = "{:" * 50_000 + "{" * 50_000 + ":" * 50_000  # 200 KB, one line
    c = clean("\n".join([HEADLINE, junk, LEAD, SECOND]))
    assert isinstance(c, Cleaned)
    assert c.paragraphs == (LEAD, SECOND)


def test_huge_line_of_braces_and_colons_alone():
    c = clean(":{" * 100_000)
    assert isinstance(c, Cleaned)
    assert c.paragraphs == ()


def test_line_of_five_thousand_repeated_words():
    words = "Word " * 5_000
    c = clean("\n".join([HEADLINE, words, LEAD]))
    assert isinstance(c, Cleaned)
    assert c.paragraphs[0] == words.strip()
    assert c.paragraphs[-1] == LEAD


def test_empty_and_whitespace_text():
    for text in ("", "\n \n\t\n"):
        c = clean(text)
        assert c.title is None and c.paragraphs == () and c.removed == ()
