"""Malformed input: every bad file is skipped with one line naming it and the reason, every
repairable file is repaired (encodings, mojibake, size, front matter), and the good articles
build regardless. One `digest build --no-site` over a seeds folder mixing all the cases."""
from __future__ import annotations

import random
import re
import resource
import time
from pathlib import Path

import pytest

from conftest import copy_skeleton
from click.testing import CliRunner

from digest.analyse import article_id
from digest.cli import cli
from digest.ingest import MAX_BYTES

ROOT = Path(__file__).resolve().parent.parent
GOOD = ["000_222972cea841efa1.txt", "001_b4548a4fd260a6a2.txt"]
PROSE = ("Rockets struck a base hosting US troops near Baghdad on Tuesday, officials said, "
         "and Kata’ib Hezbollah later claimed the attack in a statement.\n\n"
         "The US-led coalition said nobody was hurt and that the damage to the base was being assessed.\n")
ARABIC = ("قال مسؤولون إن صواريخ سقطت على قاعدة عين الأسد الجوية في محافظة الأنبار غرب العراق يوم الثلاثاء.\n\n"
          "وأعلنت كتائب حزب الله مسؤوليتها عن الهجوم في بيان نشرته على قناتها في تلغرام مساء اليوم نفسه.\n")

# file -> words its one "skipped" line must contain
SKIPPED = {
    "empty.txt": "file is empty",
    "blank.md": "file is empty",
    "image.txt": "binary data (NUL byte",
    "nul.txt": "binary data (NUL byte at offset 8)",
    "utf16-no-bom.txt": "binary data",
    "controls.txt": "binary data (control characters)",
    "broken-utf8.txt": "invalid UTF-8",
    "bad-yaml.md": "front matter is not valid YAML (line 3",
    "bad-date.md": "front matter is not valid YAML",
    "deep-yaml.md": "front matter is not valid YAML (nested too deeply)",
    "list-front.md": "front matter is not a mapping",
    "huge-front.md": "front matter is too long",
    "front-only.md": "no article text",
    "no-text.html": "HTML page has no main text",
    "audio-root.html": "HTML page could not be read (AssertionError in trafilatura)",
    "a-b.txt": "its page id 'a-b' is already used by a b.txt",
}


def huge(size: int) -> bytes:
    """~`size` bytes of varied prose (repeated lines would be dropped as duplicates)."""
    rnd = random.Random(7)
    words = (ROOT / "seeds" / GOOD[0]).read_text(encoding="utf-8").split()
    line = PROSE.split("\n")[0].encode() + b"\n\n"
    out, n = [line], len(line)
    while n < size:
        para = f"Paragraph {len(out)}: {' '.join(rnd.choices(words, k=80))}.\n\n".encode()
        out.append(para)
        n += len(para)
    return b"".join(out)


def write_cases(seeds: Path) -> None:
    w = lambda name, data: (seeds / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    # unusable
    w("empty.txt", b"")
    w("blank.md", b"\xef\xbb\xbf  \r\n\t\n   \n")
    w("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    w("nul.txt", b"Rockets \x00 struck " + PROSE.encode())
    w("utf16-no-bom.txt", PROSE.encode("utf-16-le"))
    w("controls.txt", b"Rockets" + bytes(range(1, 9)) * 20 + PROSE.encode())
    w("broken-utf8.txt", "Kata’ib Hezbollah — “claimed” ".encode() * 20 + b"\xff\xfe\xc3(" + PROSE.encode())
    w("bad-yaml.md", "---\ntitle: fine\nsource: [unclosed\n---\n" + PROSE)
    w("bad-date.md", "---\npublished: 2021-02-30\n---\n" + PROSE)
    w("deep-yaml.md", "---\ntitle: " + "[" * 3000 + "]" * 3000 + "\n---\n" + PROSE)
    w("list-front.md", "---\n- just\n- a list\n---\n" + PROSE)
    w("huge-front.md", "---\n" + "".join(f"key{i}: value number {i}\n" for i in range(5000)) + "---\n" + PROSE)
    w("front-only.md", "---\ntitle: Only a title\n---\n\n   \n")
    w("no-text.html", "<html><head><title>Nothing</title></head><body><script>x = 1</script></body></html>")
    w("audio-root.html", "<AUDIO>\n\n<A00000></A00000><A>")  # lxml asserts in htmldate (found by hypothesis)
    w("a b.txt", PROSE)
    w("a-b.txt", PROSE.replace("Tuesday", "Wednesday"))
    # repairable
    w("cp1252.txt", ("Rockets hit the base near Baghdad on Tuesday, officials said, in an attack Kata\x92ib "
                     "Hezbollah claimed in a statement.\n\n\x93We will respond,\x94 the group\x92s leader said "
                     "\x96 according to Baghdad caf\xe9 owners who heard the blasts.\n").encode("latin-1"))
    w("latin1.txt", ("Rockets hit the base near Mosul on Tuesday, officials said, and the caf\xe9 owner "
                     "Ren\xe9 Fran\xe7ois said the blast \xabshook the whole street\xbb before dawn.\n"
                     ).encode("latin-1"))
    w("mojibake.txt", "Rockets hit the base on Tuesday, officials said, after Kataâ€™ib Hezbollah warned "
                      "the USâ€™s troops in a statement.\n\nâ€œWe will respond,â€\x9d the groupâ€™s leader "
                      "said â€” in Baghdad cafÃ©s the blasts were heard.\n")
    w("utf16-le.md", b"\xff\xfe" + ("---\r\ntitle: Kata\u2019ib Hezbollah claims drone strike\r\n---\r\n"
                                   + PROSE.replace("\n", "\r\n")).encode("utf-16-le"))
    w("utf16-be.txt", b"\xfe\xff" + PROSE.replace("\n", "\r\n").encode("utf-16-be"))
    w("huge.txt", huge(20_000_000))
    w("comments.md", "".join(f"<!-- scraper comment line {i} -->\n" for i in range(10_000)) + PROSE)
    w("yaml-comments.md", "---\n" + "".join(f"# yaml comment line {i}\n" for i in range(10_000))
      + "title: Commented front matter\n---\n" + PROSE)
    w("wrong-types.md", "---\ntitle: [1, 2]\npublished: 12\nsource: {a: 1}\nauthor: Jane Roe\n"
                        "url: javascript:alert(1)\n---\n" + PROSE)
    w("arabic.txt", ARABIC)
    w("Kata’ib attack in Baghdad 2024.txt", PROSE)
    w("هجوم على قاعدة.txt", PROSE)
    w("Ünïcödé näme.md", PROSE)
    (seeds / "sub dir").mkdir()
    w("sub dir/نص الخبر.txt", ARABIC + "\n" + PROSE)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """conftest's `project` (the site skeleton copied to a temporary folder, as cwd), built once
    for the module: the 20 MB file makes each build cost seconds."""
    project = copy_skeleton(tmp_path_factory.mktemp("malformed"))
    seeds = project / "seeds"
    for extra in [p for p in seeds.iterdir() if p.name not in GOOD]:
        extra.unlink()
    write_cases(seeds)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(project)
        t0 = time.perf_counter()
        result = CliRunner().invoke(cli, ["build", "--no-site"])
        seconds = time.perf_counter() - t0
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
    return project, result, seconds, grown_mb


def page(project: Path, file: str) -> str:
    return (project / "docs" / "articles" / f"{article_id(file)}.md").read_text(encoding="utf-8")


def test_build_finishes_with_skips_and_no_traceback(built):
    _, result, _, _ = built
    assert result.exit_code == 3, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "Error:" not in result.output


def test_each_bad_file_is_named_once_with_its_reason_on_one_line(built):
    _, result, _, _ = built
    lines = [l for l in result.output.splitlines() if l.startswith("skipped ")]
    for name, reason in SKIPPED.items():
        mine = [l for l in lines if l.startswith(f"skipped {name}: ")]
        assert len(mine) == 1, (name, lines)
        assert reason in mine[0], (name, mine[0])
    assert len(lines) == len(SKIPPED), "\n".join(lines)


def test_good_and_repaired_articles_are_built(built):
    project, result, _, _ = built
    made = {p.stem for p in (project / "docs" / "articles").glob("*.md")}
    skipped = set(SKIPPED) - {"a-b.txt"}
    expected = {article_id(p.relative_to(project / "seeds").as_posix())
                for p in (project / "seeds").rglob("*") if p.is_file()
                and p.relative_to(project / "seeds").as_posix() not in skipped}
    assert made == expected
    for name in GOOD:
        assert page(project, name).startswith("# ") or "\n# " in page(project, name)
    assert f"{len(made)} articles" in result.output


def test_windows_1252_latin_1_and_mojibake_are_decoded(built):
    project = built[0]
    cp = page(project, "cp1252.txt")
    assert "Kata’ib Hezbollah" in cp and "“We will respond,” the group’s leader said – according to Baghdad café" in cp
    assert "René François" in page(project, "latin1.txt") and "«shook the whole street»" in page(project, "latin1.txt")
    moji = page(project, "mojibake.txt")
    assert "Kata’ib Hezbollah" in moji and "the US’s troops" in moji
    assert "“We will respond,” the group’s leader said — in Baghdad cafés" in moji
    assert not re.search("[âÃÂ]", moji)
    assert "repaired 7 mojibake sequence" in moji


def test_utf16_with_bom_and_crlf(built):
    project = built[0]
    le = page(project, "utf16-le.md")
    assert le.startswith("# Kata’ib Hezbollah claims drone strike") or "# Kata’ib Hezbollah claims drone strike" in le
    assert "\r" not in le
    assert "Rockets struck a base hosting US troops" in page(project, "utf16-be.txt")


def test_20_mb_file_is_truncated_with_a_warning_in_bounded_time_and_memory(built):
    project, _, seconds, grown_mb = built
    text = page(project, "huge.txt")
    assert re.search(rf"file is 20,0\d\d,\d\d\d bytes&#58; only the first {MAX_BYTES:,} were read", text)
    assert len(text.encode()) < 3 * MAX_BYTES
    # no timed assertion (shared, noisy machines): the per-article time bound is the guard
    assert grown_mb < 600, grown_mb


def test_comments_cost_nothing(built):
    project = built[0]
    assert "scraper comment" not in page(project, "comments.md")
    assert "Rockets struck a base" in page(project, "comments.md")
    heading = next(l for l in page(project, "yaml-comments.md").split("\n") if l.startswith("# "))
    assert "Commented front matter" in heading


def test_wrong_front_matter_types_and_unknown_keys_are_dropped_with_notes(built):
    text = page(built[0], "wrong-types.md")
    for note in ("&#39;title&#39; should be text, not list", "&#39;published&#39; should be text, not int",
                 "&#39;source&#39; should be text, not dict", "key &#39;author&#39; is unknown",
                 "&#39;url&#39; is not an http&#40;s&#41; address"):
        assert note in text, note
    assert "<td>Link</td>\n<td>none given</td>" in text


def test_arabic_text_and_non_ascii_names(built):
    project = built[0]
    assert "صواريخ سقطت على قاعدة عين الأسد" in page(project, "arabic.txt")
    for name, slug in [("Kata’ib attack in Baghdad 2024.txt", "kataib-attack-in-baghdad-2024"),
                       ("هجوم على قاعدة.txt", "hjwm-l-q-d"), ("Ünïcödé näme.md", "unicode-name"),
                       ("sub dir/نص الخبر.txt", "sub-dir-ns-lkhbr")]:
        assert article_id(name) == slug  # stable: the URL never moves
        assert (project / "docs" / "articles" / f"{slug}.md").is_file(), name
        assert f"<td>File</td>\n<td>{name}</td>" in page(project, name)
    for p in (project / "docs" / "articles").glob("*.md"):
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", p.stem), p.name
