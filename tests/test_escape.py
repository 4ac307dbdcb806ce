"""digest.escape: untrusted article text -> inert Markdown; link targets -> http(s) only."""
from __future__ import annotations

import html
import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.escape import Md, href, md, paragraphs

EXTENSIONS = ["tables", "admonition", "attr_list", "toc"]  # as in mkdocs.yml

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example/"></iframe>',
    "[x](javascript:alert(1))",
    "[x]: javascript:alert(1)",
    "![](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<https://evil.example/>",
    "{{ config.secret }}",
    "{% include '/etc/passwd' %}",
    "!!! note",
    '!!! danger "Click me"',
    "{: onclick=x }",
    "# Heading {: onclick=alert(1) }",
    '--8<-- "/etc/passwd"',
    "| a | b |",
    "- list item",
    "1. numbered item",
    "> quoted",
    "*emphasis* and `code` and ~~strike~~",
]


def render(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def visible_text(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_md_leaves_no_markup_characters(payload):
    out = md(payload)
    assert not set(out) & set("<>[]{}")
    assert not out.lstrip().startswith(("!!!", "--8<--", "#", "-", ">", "|", "1."))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_text_renders_inert(payload):
    out = render(md(payload))
    low = out.lower()
    for bad in ("<script", "onerror=", "onclick=", 'href="javascript', "<iframe", "<img", "<a ",
                'class="admonition', "<ul", "<ol", "<blockquote", "<h1", "<table", "<em", "<code"):
        assert bad not in low, (bad, out)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_text_reads_as_the_original(payload):
    assert visible_text(render(md(payload))) == payload


def test_multiline_text_keeps_lines_and_escapes_each_line_start():
    payload = 'Intro line\n!!! warning "Boom"\n--8<-- "/etc/passwd"\n- item\n12) item\n{: onclick=x }'
    out = md(payload)
    assert out.count("\n") == payload.count("\n")
    for line in out.split("\n")[1:]:
        assert not line.startswith(("!!!", "--8<--", "-", "{"))
    rendered = render(out)
    assert "admonition" not in rendered and "onclick=" not in rendered and "<li" not in rendered
    assert visible_text(rendered) == payload


def test_single_line_whitespace_is_collapsed():
    assert md("  Rockets \t hit   the base  ") == "Rockets hit the base"


def test_plain_prose_is_untouched():
    text = "Two rockets struck the base on Tuesday, causing no casualties"
    assert md(text) == text


def test_none_and_non_strings():
    assert md(None) == ""
    assert md(2024) == "2024"


def test_md_wrapper_is_printed_as_is():
    built = Md("**2021-03-03** (day)")
    assert md(built) is built


def test_entities_in_the_input_are_shown_literally():
    out = render(md("&lt;script&gt; &#60;b&#62;"))
    assert "<script" not in out and "<b>" not in out
    assert visible_text(out) == "&lt;script&gt; &#60;b&#62;"


def test_paragraphs_escape_each_paragraph():
    body = "First <b>para</b>\nstill first.\n\n!!! note\n\n\n[x](javascript:alert(1))\n\n</div>\n\n<p>&amp; \x02x\x03"
    out = paragraphs(body)
    assert isinstance(out, Md)
    assert out.count("<p>") == 5 and out.startswith('<div class="article-text">') and out.endswith("</div>")
    assert "<p>First &lt;b&gt;para&lt;/b&gt; still first.</p>" in out
    rendered = render(out)
    assert rendered.count("<p>") == 5 and rendered.count("</div>") == 1
    assert "<b>" not in rendered and "admonition" not in rendered
    assert "&amp;amp; x" in rendered and "\x02" not in rendered
    assert "<a " not in rendered


def _paragraph_by_paragraph(body: str) -> str:
    """What paragraphs() makes, spelled out: each non-blank paragraph with its control
    characters (but whitespace) removed, its whitespace made single spaces, HTML-escaped."""
    paras = [html.escape(" ".join(re.sub(r"[\x00-\x08\x0e-\x1f\x7f]", "", p).split()))
             for p in body.split("\n\n") if p.strip()]
    return '<div class="article-text">\n' + "".join(f"<p>{p}</p>\n" for p in paras) + "</div>"


WORD = st.text(st.characters(blacklist_categories=("Z", "Cc", "Cs")), min_size=1, max_size=8)
CLEAN_BODY = st.lists(st.lists(WORD, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=5).map("\n\n".join)
EDGY_BODY = st.one_of(  # spaces and newlines where the fast path must not be taken
    st.text("a< \n", max_size=20), st.lists(st.text("a< ", max_size=4), max_size=4).map("\n\n".join),
    st.text(" \n\t\r\x0b\x1c\x85\xa0\u2028a&\x02", max_size=20))


@settings(max_examples=1000, deadline=None)
@given(st.one_of(CLEAN_BODY, EDGY_BODY, st.text(max_size=60)))
def test_paragraphs_fast_path_makes_what_each_paragraph_would(body):
    """A cleaned body (CLEAN_BODY: what the reader makes) takes paragraphs()' fast path, which
    escapes it in one go; any other text (whitespace and control characters above all) takes
    the general one. Both must give each paragraph as if made on its own."""
    assert paragraphs(body) == _paragraph_by_paragraph(body)


# --- href ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["https://example.com/a?b=1&c=2#x", "http://example.com", "HTTPS://EXAMPLE.COM/x"])
def test_href_accepts_http_and_https(url):
    out = href(url)
    assert isinstance(out, Md)
    assert out == url


def test_href_strips_surrounding_space():
    assert href("  https://example.com/a  ") == "https://example.com/a"


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\nscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://example.com/x",
    "mailto:someone@example.com", "//evil.example/x", "/relative/path", "http:///no-host", "https:no-host",
    "", None,
])
def test_href_rejects_everything_else(url):
    assert href(url) is None


def test_href_cannot_break_out_of_a_link():
    out = href('https://example.com/"><script>alert(1)</script> )[x](javascript:alert(1))')
    assert out is not None
    assert not set(out) & set("\"'<> ()[]")
    rendered = render(f"[{md('story <b>title</b>')}]({out})")
    assert rendered.count("<a ") == 1
    assert re.search(r'<a href="https://example\.com/[^"]*">', rendered)
    assert "<script" not in rendered and "<b>" not in rendered
