"""digest.ingest: bytes of a seed file -> RawArticle (text, front matter, warnings)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from digest.errors import InputError
from digest.ingest import MAX_BYTES, discover, parse, read

BODY = "Rockets struck the base on Tuesday, officials said.\n"


def md(front: str, body: str = BODY) -> bytes:
    return f"---\n{front}---\n{body}".encode("utf-8")


# --- front matter ------------------------------------------------------------------------

def test_front_matter_keys_are_read_and_removed_from_the_text():
    raw = parse(md("title: Rockets hit base\nsource: The Courier\n"
                   "url: https://example.com/a\npublished: 'March 3, 2021'\n"), "a.md")
    assert raw.meta == {"title": "Rockets hit base", "source": "The Courier",
                        "url": "https://example.com/a", "published": "March 3, 2021"}
    assert raw.text == BODY
    assert raw.kind == "md"
    assert raw.warnings == ()


def test_front_matter_also_read_in_txt_files():
    raw = parse(md("title: A plain text seed\n"), "a.txt")
    assert raw.meta == {"title": "A plain text seed"}
    assert raw.kind == "txt"
    assert not raw.text.startswith("---")


def test_front_matter_closed_by_dots():
    raw = parse(b"---\ntitle: T\n...\n" + BODY.encode(), "a.md")
    assert raw.meta == {"title": "T"}
    assert raw.text == BODY


def test_yaml_dates_become_iso_text():
    raw = parse(md("published: 2021-03-03\nadded: 2021-03-04 10:15:00\n"), "a.md")
    assert raw.meta["published"] == "2021-03-03"
    assert raw.meta["added"].startswith("2021-03-04T10:15")


def test_unknown_key_is_ignored_with_a_warning():
    raw = parse(md("title: T\nauthor: Jane Roe\n"), "a.md")
    assert raw.meta == {"title": "T"}
    assert any("author" in w and "unknown" in w for w in raw.warnings)


@pytest.mark.parametrize("value, typename", [("2021", "int"), ("[a, b]", "list"),
                                             ("{x: 1}", "dict"), ("true", "bool")])
def test_non_text_value_is_ignored_with_a_warning(value, typename):
    raw = parse(md(f"title: {value}\nsource: Courier\n"), "a.md")
    assert "title" not in raw.meta
    assert raw.meta == {"source": "Courier"}
    assert any("'title'" in w and typename in w for w in raw.warnings)


def test_blank_values_are_dropped_and_text_is_stripped():
    raw = parse(md("title: '   '\nsource: '  Courier  '\nurl:\n"), "a.md")
    assert raw.meta == {"source": "Courier"}


def test_invalid_yaml_is_an_input_error_naming_the_file():
    with pytest.raises(InputError) as exc:
        parse(md("title: [unclosed\n"), "bad.md")
    assert exc.value.file == "bad.md"
    assert "YAML" in exc.value.reason


def test_front_matter_that_is_not_a_mapping_is_an_input_error():
    with pytest.raises(InputError, match="mapping"):
        parse(md("- just\n- a list\n"), "list.md")


def test_dashes_later_in_the_text_are_not_front_matter():
    text = "Headline\n---\ntitle: not meta\n---\nBody of the story goes on here.\n"
    raw = parse(text.encode(), "a.txt")
    assert raw.meta == {}
    assert raw.text == text


def test_empty_front_matter_block_is_removed():
    raw = parse(b"---\n---\n" + BODY.encode(), "a.md")
    assert raw.meta == {}
    assert raw.text == BODY


# --- encodings and line ends -------------------------------------------------------------

def test_utf8_bom_is_dropped_and_front_matter_still_found():
    raw = parse(b"\xef\xbb\xbf" + md("title: Caf\u00e9 attack\n"), "a.md")
    assert raw.meta == {"title": "Caf\u00e9 attack"}
    assert "\ufeff" not in raw.text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec):
    text = "---\ntitle: Kata\u2019ib Hezbollah\n---\nDrones hit \u2018Tower 22\u2019.\n"
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    raw = parse(bom + text.encode(codec), "a.md")
    assert raw.meta == {"title": "Kata\u2019ib Hezbollah"}
    assert raw.text == "Drones hit \u2018Tower 22\u2019.\n"


def test_cp1252_curly_quotes_and_dashes_are_decoded():
    data = b"\x93We will respond,\x94 the group\x92s leader said \x96 in Baghdad caf\xe9s."
    raw = parse(data, "a.txt")
    assert raw.text == "\u201cWe will respond,\u201d the group\u2019s leader said \u2013 in Baghdad caf\u00e9s."


def test_valid_utf8_is_not_read_as_cp1252():
    raw = parse("Kata\u2019ib Hezbollah \u2014 \u201cquote\u201d".encode("utf-8"), "a.txt")
    assert raw.text == "Kata\u2019ib Hezbollah \u2014 \u201cquote\u201d"


def test_crlf_and_lone_cr_become_newlines():
    data = b"---\r\ntitle: T\r\n---\r\nFirst line.\r\nSecond line.\rThird line.\r\n"
    raw = parse(data, "a.md")
    assert raw.meta == {"title": "T"}
    assert raw.text == "First line.\nSecond line.\nThird line.\n"
    assert "\r" not in raw.text


def test_a_few_stray_control_characters_are_removed():
    raw = parse(b"Rockets\x07 struck\x1b the base.", "a.txt")
    assert raw.text == "Rockets struck the base."


def test_truncated_utf8_file_keeps_its_encoding():
    data = b"a" + "\u00e9".encode("utf-8") * (MAX_BYTES // 2 + 10)
    raw = parse(data, "big.txt")
    assert any("only the first" in w for w in raw.warnings)
    assert raw.text.startswith("a\u00e9\u00e9\u00e9")


# --- unusable input ----------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"Rockets\x00 struck", b"\x00\x01\x02\x03" * 50,
                                  "No BOM".encode("utf-16-le")])
def test_nul_bytes_are_an_input_error(data):
    with pytest.raises(InputError, match="binary"):
        parse(data, "bin.txt")


def test_many_control_characters_are_an_input_error():
    with pytest.raises(InputError, match="binary"):
        parse(b"text " + bytes(range(1, 9)) * 4, "ctl.txt")


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n  "])
def test_empty_file_is_an_input_error(data):
    with pytest.raises(InputError) as exc:
        parse(data, "empty.txt")
    assert exc.value.file == "empty.txt"
    assert "empty" in exc.value.reason


def test_front_matter_without_body_is_an_input_error():
    with pytest.raises(InputError, match="no article text"):
        parse(md("title: T\n", body="\n  \n"), "a.md")


# --- bookkeeping -------------------------------------------------------------------------

def test_sha256_is_of_the_original_bytes():
    data = b"\xef\xbb\xbf" + md("title: T\n")
    assert parse(data, "a.md").sha256 == hashlib.sha256(data).hexdigest()


def test_discover_and_read_use_posix_paths_and_skip_hidden(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "sub" / "b.md").write_bytes(md("title: B\n"))
    (tmp_path / "a.TXT").write_bytes(BODY.encode())
    (tmp_path / ".git" / "c.txt").write_bytes(BODY.encode())
    (tmp_path / ".hidden.txt").write_bytes(BODY.encode())
    (tmp_path / "notes.pdf").write_bytes(BODY.encode())
    found = discover(tmp_path)
    assert [(rel, Path(path).relative_to(tmp_path).as_posix()) for rel, path in found] == [("a.TXT",) * 2, ("sub/b.md",) * 2]
    raw = read(Path(found[1][1]), tmp_path)
    assert raw.path == "sub/b.md"
    assert raw.meta == {"title": "B"}


def test_discover_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        discover(tmp_path / "nope")


# --- HTML through trafilatura ------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Drones hit Harir base in northern Iraq | The Zagros Courier</title>
<meta property="og:title" content="Drones hit Harir base in northern Iraq">
<meta property="og:site_name" content="The Zagros Courier">
<meta property="og:url" content="https://zagroscourier.example/news/drones-hit-harir-base">
<meta property="article:published_time" content="2024-01-18T09:30:00+03:00">
</head><body>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a></nav></header>
<main><article>
<h1>Drones hit Harir base in northern Iraq</h1>
<p>Two explosive-laden drones struck Harir air base north of Erbil early on Thursday, the Kurdistan
Region's counter-terrorism service said in a statement, adding that nobody was hurt in the attack.</p>
<p>The base hosts American troops serving with the US-led coalition against the Islamic State group,
and it has been targeted several times since October by Iran-aligned armed groups.</p>
<p>The Islamic Resistance in Iraq later claimed the attack on its Telegram channel, saying it had
used drones against what it called an occupation base in Erbil province.</p>
</article></main>
<script>var tracking = "script-text-must-not-leak";</script>
<footer><p>Copyright 2024 The Zagros Courier. All rights reserved.</p></footer>
</body></html>
"""


def test_html_gives_title_sitename_url_and_date(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    raw = read(path, tmp_path)
    assert raw.kind == "html"
    assert raw.meta["title"] == "Drones hit Harir base in northern Iraq"
    assert raw.meta["source"] == "The Zagros Courier"
    assert raw.meta["url"] == "https://zagroscourier.example/news/drones-hit-harir-base"
    assert raw.meta["published"] == "2024-01-18"
    assert "Two explosive-laden drones struck Harir air base" in raw.text
    assert "The Islamic Resistance in Iraq later claimed the attack" in raw.text
    assert "script-text-must-not-leak" not in raw.text
    assert "<p>" not in raw.text


def test_htm_suffix_is_html_too():
    assert parse(HTML.encode(), "page.HTM").kind == "html"


def test_html_without_main_text_is_an_input_error():
    page = "<html><head><title>Nothing</title></head><body><script>x = 1</script></body></html>"
    with pytest.raises(InputError, match="no main text"):
        parse(page.encode(), "empty.html")


FRONT_SAMPLES = [
    "title: Rockets hit Ain al-Asad\nsource: Reuters\npublished: 2024-01-05\n",
    "title: 'Quoted: with a colon'\nurl: https://example.com/a-b?c=d\npublished: 2023-11-20T10:00:00Z\n",
    'title: "Kata\'ib Hezbollah — “claims”"\ntags: [a, b, {c: d}]\nnotes:\n  - one\n  - two: 2\n',
    "title: >\n  folded\n  text\nsummary: |\n  kept\n  lines\n# a comment\nsource: ~\n",
    "a: &anchor [1, 2]\nb: *anchor\n? complex\n: key\n",
]


@pytest.mark.parametrize("block", FRONT_SAMPLES)
def test_front_matter_read_by_libyaml_is_what_pyyaml_reads(block):
    import yaml
    from digest.ingest import _load_yaml
    assert _load_yaml(block) == yaml.safe_load(block)


@pytest.mark.parametrize("opening", ["[", "- ", "{a: "])
def test_front_matter_nested_past_libyamls_limits_is_an_input_error_not_a_crash(opening):
    """libyaml recurses in C and crashes the interpreter ~30,000 levels down: such YAML goes to
    PyYAML's parser, whose RecursionError skips the file (a crash would end this test run)."""
    block = opening * (60_000 // len(opening)) + "x"
    data = f"---\ntitle: t\nx:\n  {block}\n---\nBaghdad, Jan 5, 2024. Rockets hit a base.\n".encode()
    with pytest.raises(InputError, match="front matter is not valid YAML"):
        parse(data, "deep.md")


# Pages whose metadata takes each of extract_metadata's paths: meta tags, JSON-LD, the
# <title> alone, a relative canonical link, a Twitter handle and a lowercase site name.
_VARIANTS = [
    HTML,
    HTML.replace('<meta property="og:site_name" content="The Zagros Courier">',
                 '<meta name="twitter:site" content="@zagroscourier">'),
    HTML.replace('<meta property="og:url" content="https://zagroscourier.example/news/drones-hit-harir-base">',
                 '<link rel="canonical" href="/news/drones-hit-harir-base">'),
    HTML.replace('<meta property="og:title" content="Drones hit Harir base in northern Iraq">', "")
        .replace('<meta property="og:site_name" content="The Zagros Courier">', ""),
    HTML.replace('<meta property="article:published_time" content="2024-01-18T09:30:00+03:00">',
                 '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harir base hit",'
                 ' "datePublished": "2024-01-17", "publisher": {"@type": "Organization", "name": "zagros"}}</script>'),
    HTML.replace("The Zagros Courier", "zagros courier &amp; co"),
]


@pytest.mark.parametrize("page", _VARIANTS + [p.read_text(encoding="utf-8") for p in
                                              sorted((Path(__file__).parent / "eval" / "articles").glob("*.html"))])
def test_html_reads_what_trafilatura_with_metadata_reads(page):
    """ingest extracts the text without trafilatura's metadata and makes the four fields it
    uses itself (_html_meta): the same text and fields as one bare_extraction(with_metadata=True)."""
    import trafilatura

    from digest.ingest import _check_front, _from_html
    doc = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, include_tables=False,
                                      date_extraction_params={"extensive_search": False, "original_date": True})
    expected = {k: v for k, v in (("title", doc.title), ("source", doc.sitename), ("url", doc.url),
                                  ("published", doc.date)) if v}
    assert _from_html(page, "page.html", []) == (doc.text, _check_front(expected, []))
