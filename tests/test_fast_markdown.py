"""digest.fast_markdown: each shortcut gives what Python-Markdown and MkDocs give without it, on
the golden pages, on examples of what each shortcut must leave to the stock code, and on
generated input (the whole site's equality is tests/test_site_build.py's)."""
import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import preprocessors, treeprocessors
from mkdocs.structure.pages import _RawHTMLPreprocessor

from conftest import ROOT
from digest import fast_markdown

# Markdown that reaches every inline pattern, nested and in a row (escaped article text, and
# the markup the templates write)
INLINE = [
    "plain words only", "a `code` span and ``two `ticks` `` and \\`escaped\\`", "\\\\` odd \\\\\\`x`",
    "*em* **strong** ***both*** _u_ __uu__ snake_case_word * lone * and_ **open",
    "[link](page.md) [ref][r] [short] ![img](a.png) ![ref img][r] [*em link*](x.md#a)",
    "<https://example.com/a?b=c> <me@example.com> <span class=\"x\">raw</span> <!-- c -->",
    "&#39; &amp; &copy; & lone &#x27; AT&T", "line  \nbreak", "[a [nested] link](x.md) `[not](link)`",
    "**[strong link](a.md)** *`code in em`* _[u](b.md)_ ![*alt*](i.png)",
    "| a | `b|c` | *d* |\n|---|---|---|\n| [e](x.md) | &#124; | **f** |",
    "\n\n[r]: https://example.com/r \"title\"",
]


def _convert(texts):
    md = markdown.Markdown(extensions=["tables", "admonition", "attr_list", "toc"])
    return [md.reset().convert(t) for t in texts]


def test_the_sped_up_conversion_gives_the_same_html(monkeypatch):
    texts = INLINE + ["\n\n".join(INLINE)] + RAW_BLOCKS
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "golden").rglob("*.md"))]
    stock = _convert(texts)
    monkeypatch.setattr(treeprocessors.InlineProcessor, "_InlineProcessor__handleInline",
                        treeprocessors.InlineProcessor._InlineProcessor__handleInline)
    monkeypatch.setattr(treeprocessors.InlineProcessor, "run", treeprocessors.InlineProcessor.run)
    monkeypatch.setattr(_RawHTMLPreprocessor, "run", _RawHTMLPreprocessor.run)
    monkeypatch.setattr(preprocessors.HtmlBlockPreprocessor, "run", preprocessors.HtmlBlockPreprocessor.run)
    fast_markdown.speed_up()
    assert treeprocessors.InlineProcessor.run is fast_markdown._run_inline
    assert preprocessors.HtmlBlockPreprocessor.run is fast_markdown._html_block
    assert _convert(texts) == stock
    assert len(texts) > 20 and any("<a href" in html for html in stock)


# Pages as Python-Markdown's HTML extractor meets them: the simple form digest writes (text,
# and blocks that start and end lines), and all it must leave to the stock extractor
TABLE = '<table>\n<tr>\n<td>x &#58; <a href="../a/">y</a> &amp; <strong>z</strong></td>\n</tr>\n</table>'
RAW_BLOCKS = [
    f"# T\n\nsome &#39;text&#39;\n\n{TABLE}\n\nmore\n", f"# T\n\n{TABLE}\n## H\n\nx\n", f"{TABLE}\n{TABLE}\n",
    f"text\n{TABLE}\n\n", f"{TABLE}", f"{TABLE} tail\n\nx", f" {TABLE}\n\n", f"   {TABLE}\n\n", f"x {TABLE}\n",
    '<figure class="c"><svg viewBox="0 0 1 1" role="img"><title id="t">t</title><rect x="1" y="2"/></svg></figure>\n\n',
    "<div>\n<div>\n<p>x</p>\n</div>\n</div>\n\nafter\n", "<div>\n<br>\n</div>\n\nafter\n", "<div><p>x</div>\n\ny\n",
    "<div>\n</span>\n</div>\n\nz\n", "<div>\n<hr>\n</div>\n\nz\n", "<hr>\n\nx\n", "<hr/>\n\nx\n",
    "<DIV>\nx\n</DIV>\n\ny\n", "<div class='a'>x</div>\n\n", "<div\nclass=\"a\">x</div>\n\n", "<div>x</div >\n\n", '<div>x</div class="a">\n\n',
    "<!-- c -->\n\nx\n", "<div>\n<!-- c -->\n</div>\n\n", "<script>if (a<b) {}</script>\n\n", "<div><script>x</script></div>\n",
    "<a href=\"x\">inline</a> at a line start\n\n", "<br/>\n\nx\n", "</div>\n\nx\n", "<div>\nnever closed\n\nx\n",
    "a &#58 b\n\n", "AT&T &amp co &#x3A; &#12a; &copy;\n", f"{TABLE}\n\na &#58 b\n", "<div>&#58</div>\n\n",
    "text <span>inline</span> &lt; more\n\n", "</>\n\n", "<div>x</div><div>y</div>\n\n", "<p>x</p>\n   \n  \nz\n",
    "<div>x</div>&#58;\n\n", "<hr>\n</hr>\n\nx\n", "<span>x</span>\n\ny\n", "<script><script></script></script>\n\nx\n",
    "<div>\n<br>\n<div>\n</br>\n</div>\n\nx\n</div>\n\ny\n",  # the stack as the extractor keeps it
]


def _extract(text: str, run) -> tuple:
    """What HtmlBlockPreprocessor.run makes of a page: its lines and the blocks it stashed."""
    md = markdown.Markdown(extensions=["tables", "admonition", "attr_list", "toc"])
    lines = preprocessors.NormalizeWhitespace(md).run(text.split("\n"))
    return run(preprocessors.HtmlBlockPreprocessor(md), lines), md.htmlStash.rawHtmlBlocks


def test_html_blocks_are_found_as_the_extractor_finds_them():
    stock = fast_markdown._stock_html_block  # Python-Markdown's own, as fast_markdown found it
    pages = RAW_BLOCKS + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "golden").rglob("*.md"))]
    for text in pages:
        assert _extract(text, fast_markdown._html_block) == _extract(text, stock), text
    md = markdown.Markdown()
    simple = [t for t in pages if fast_markdown._raw_blocks("\n".join(preprocessors.NormalizeWhitespace(md).run(t.split("\n"))), md)]
    assert len(simple) > 20  # the shortcut was taken: the golden pages are of the simple form


_attributes = st.lists(st.sampled_from([' class="a"', ' href="../x/?a=1&b=2"', " hidden", ' id="i"', " data-x=''", ' v="<"']), max_size=2)
_names = st.sampled_from(["div", "p", "table", "tr", "td", "a", "span", "figure", "svg", "rect", "br", "hr", "DIV", "script"])
_open = st.builds(lambda n, a, e: f"<{n}{''.join(a)}{e}>", _names, _attributes, st.sampled_from(["", "", "/", " /"]))
_close = st.builds(lambda n, s: f"</{n}{s}>", _names, st.sampled_from(["", "", " "]))
_words = st.sampled_from(["x", "a b", "&#58;", "&amp;", "&#58", "AT&T", "&#x27;", "#", "-", "1.", "</>", "<!-- c -->"])
_space = st.sampled_from(["\n", "\n\n", "\n\n", " ", "", "   ", "\n  \n"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(_open, _close, _words, _space), max_size=30).map("".join))
def test_html_blocks_of_any_page_are_what_the_extractor_finds(text):
    assert _extract(text, fast_markdown._html_block) == _extract(text, fast_markdown._stock_html_block)


# Raw HTML as MkDocs' scan for anchors meets it: ids in every spelling html.parser accepts,
# attributes without a value, names on links and elsewhere, comments, scripts, plain words
RAW_HTML = [
    '<div id="a">x</div>', "<p ID=b>x</p>", "<span\tid = 'c'>", "<a name=d>x</a>", '<A NAME="e">',
    "<div id>x</div>", "<div/id=f>", '<img name="not-an-anchor">', "<!-- <p id=g> -->", "<script>var id=1</script>",
    "the id of the name", 'say "id" and /name', "<p data-id=h class=id>", "<p idx=i nameless=j>", "id=k", "<p class='c'id=l>",
    '<svg><title id="sp-1-t">t</title></svg>', "<table>\n<tr>\n<td>name</td>\n</tr>\n</table>",
]


def _anchors(text: str, scan) -> set:
    pre = _RawHTMLPreprocessor()
    assert scan(pre, text.split("\n")) == text.split("\n")  # the lines go on unchanged
    return pre.present_anchor_ids


def test_the_anchor_scan_skips_only_pages_without_anchors():
    stock = fast_markdown._scan_raw_html  # MkDocs' own, as fast_markdown found it
    texts = RAW_HTML + ["\n\n".join(RAW_HTML)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "golden").rglob("*.md"))]
    for text in texts:
        assert _anchors(text, fast_markdown._anchor_scan) == _anchors(text, stock), text
    assert _anchors("\n".join(RAW_HTML), stock) == {"a", "b", "c", "d", "e", None, "f", "l", "sp-1-t"}
    # pages that declare no anchor are not parsed at all: articles' pages among them
    article = sorted((ROOT / "tests" / "golden" / "articles").glob("*.md"))[0].read_text(encoding="utf-8")
    assert fast_markdown._ANCHOR_ATTRIBUTE.search(article) is None


_attribute = st.tuples(st.sampled_from([" ", "\t", "\n", "/", '" ', ""]), st.sampled_from(["id", "ID", "name", "Name", "x", "nameid"]),
                       st.sampled_from(["", "=", " = ", "=="]), st.sampled_from(["", "v", "'v w'", '"v"', "id", "'"]))
_tag = st.tuples(st.sampled_from(["<a", "<A", "<p", "<div", "</a", "<!--", "<script"]), st.lists(_attribute, max_size=3),
                 st.sampled_from([">", "/>", "", " >", "-->"])).map(lambda t: t[0] + "".join(map("".join, t[1])) + t[2])
_noise = st.sampled_from(["", " ", "\n", "id", " name ", "text", "-->", "</script>", "<", ">", "'", '"'])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_tag, _noise), max_size=12).map("".join))
def test_the_anchor_scan_finds_what_mkdocs_finds(text):
    assert _anchors(text, fast_markdown._anchor_scan) == _anchors(text, fast_markdown._scan_raw_html)
