"""`digest add`: files, standard input and URLs (a local http.server, no network) into seeds/."""
import datetime as dt
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
from click.testing import CliRunner

import digest.add as add_mod
from digest.archive_cli import register
from digest.cli import cli
from digest.config import Config
from digest.ingest import parse
from digest.pipeline import gather

register(cli)  # harmless when digest.cli already registers the commands

LEAD = ("At least ten rockets struck the Ain al-Asad air base in western Iraq on Wednesday morning, "
        "the US-led coalition said, in an attack that came two days before a visit by the Pope.")
WIRE = [
    "A civilian contractor died of a heart attack while sheltering from the rockets, the Pentagon said "
    "in a statement issued late on Wednesday evening.",
    "No group immediately claimed responsibility for the attack, which came a week after US strikes on "
    "Kataib Hezbollah positions along the border with Syria.",
    "Iraqi security forces later found the launcher mounted on a burnt truck near the town of al-Baghdadi, "
    "two security officials told reporters on condition of anonymity.",
    "The base hosts American troops training Iraqi forces and was hit by Iranian ballistic missiles in "
    "January of last year after the killing of Qassem Soleimani in Baghdad.",
]
OTHER = ("Gunmen on motorcycles attacked a checkpoint manned by the army on the edge of Tarmiyah district "
         "north of Baghdad overnight, killing two soldiers and wounding three others, the military said.")


def article(title="Rockets hit Ain al-Asad air base", published="2021-03-03", lead=LEAD, extra=()):
    front = f"---\ntitle: {title}\nsource: Reuters\npublished: {published}\n---\n" if title else ""
    return front + "\n\n".join([lead, *WIRE, *extra]) + "\n"


HTML = """<!doctype html><html><head><title>Rockets hit Ain al-Asad air base - Example News</title>
<meta property="og:site_name" content="Example News"><meta property="og:title" content="Rockets hit Ain al-Asad air base">
<meta name="date" content="2021-03-03"></head><body><nav><a href="/">Home</a> | <a href="/w">World</a></nav>
<article><h1>Rockets hit Ain al-Asad air base</h1>""" + "".join(f"<p>{p}</p>" for p in [LEAD, *WIRE]) + \
    """</article><footer>Copyright Example News</footer></body></html>"""


def run(*args, **kw):
    return CliRunner().invoke(cli, ["add", *args], catch_exceptions=False, **kw)


def front_and_body(path):
    text = path.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n\n(.*)\Z", text, re.S)
    assert m, text[:200]
    return yaml.safe_load(m.group(1)), m.group(2)


@pytest.fixture
def seeds(tmp_path):
    d = tmp_path / "seeds"
    d.mkdir()
    return d


# --- a local web server --------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, code, body: bytes, ctype="text/html; charset=utf-8", length=True):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/article.html":
            self._send(200, HTML.encode("utf-8"))
        elif self.path == "/plain":
            self._send(200, article(title=None).encode("utf-8"), "text/plain; charset=utf-8")
        elif self.path == "/latin1":
            body = ("<html><head><title>Caf\u00e9 attack</title></head><body><article><p>" + LEAD.replace("Wednesday", "Wednesday at the caf\u00e9")
                    + "</p>" + "".join(f"<p>{p}</p>" for p in WIRE) + "</article></body></html>")
            self._send(200, body.encode("latin-1"), "text/html; charset=iso-8859-1")
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200, HTML.encode("utf-8"))
        elif self.path == "/big":
            self._send(200, b"x" * 20_000, "text/plain")
        elif self.path == "/big-stream":  # no Content-Length: the limit must stop the reading itself
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"word " * 400)
        elif self.path == "/file.pdf":
            self._send(200, b"%PDF-1.4 ...", "application/pdf")
        else:
            self._send(404, b"not here", "text/plain")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass  # the client hanging up on /big-stream or /slow is the point of those tests


@pytest.fixture(scope="module")
def server():
    srv = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


# --- files and standard input --------------------------------------------------------------

def test_add_from_file_writes_one_normalised_file(seeds, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(article().replace("\n\n", "\n\n\n\n") + "   \n\n", encoding="utf-8")
    res = run(str(src), "--seeds", str(seeds), "--added", "2024-05-01")
    assert res.exit_code == 0, res.output
    files = [p.name for p in seeds.iterdir()]
    assert files == ["2021-03-03_rockets-hit-ain-al-asad-air-base.md"]
    meta, body = front_and_body(seeds / files[0])
    assert meta == {"title": "Rockets hit Ain al-Asad air base", "source": "Reuters",
                    "published": "2021-03-03", "added": "2024-05-01"}
    assert body.startswith(LEAD) and "\n\n\n" not in body
    assert f"added {(seeds / files[0]).as_posix()}" in res.stdout
    # the written file reads back through the build's own ingest, and builds
    raw = parse((seeds / files[0]).read_bytes(), files[0])
    assert raw.meta["title"] == "Rockets hit Ain al-Asad air base" and not raw.warnings
    result = gather(Config(seeds=seeds))
    assert not result.skipped and result.articles[0].published.value == "2021-03-03"


def test_add_from_stdin_infers_title_and_is_undated(seeds):
    res = run("-", "--seeds", str(seeds), "--added", "2024-05-01",
              input="Rockets hit Ain al-Asad air base\n\n" + "\n\n".join([LEAD, *WIRE]))
    assert res.exit_code == 0, res.output
    (path,) = seeds.iterdir()
    assert path.name == "undated_rockets-hit-ain-al-asad-air-base.md"
    meta, _ = front_and_body(path)
    assert meta["title"] == "Rockets hit Ain al-Asad air base" and meta["added"] == "2024-05-01"
    assert "published" not in meta


def test_added_comes_from_the_injectable_clock(seeds, tmp_path, monkeypatch):
    monkeypatch.setattr(add_mod, "today", lambda: dt.date(2030, 1, 2))
    src = tmp_path / "in.md"
    src.write_text(article(), encoding="utf-8")
    assert run(str(src), "--seeds", str(seeds)).exit_code == 0
    (path,) = seeds.iterdir()
    assert front_and_body(path)[0]["added"] == "2030-01-02"


def test_exact_duplicate_is_refused_naming_the_existing_file(seeds, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(article(), encoding="utf-8")
    assert run(str(src), "--seeds", str(seeds), "--added", "2024-05-01").exit_code == 0
    (existing,) = seeds.iterdir()
    # the same body with other whitespace and other front matter is the same text
    again = tmp_path / "again.md"
    again.write_text(article(title="Another headline", published="2021-03-04").replace(". ", ".  "), encoding="utf-8")
    res = run(str(again), "--seeds", str(seeds))
    assert res.exit_code == 1
    assert f"duplicate of {existing.as_posix()}" in res.output
    assert len(res.output.strip().splitlines()) == 1 and "Traceback" not in res.output
    assert list(seeds.iterdir()) == [existing]


def test_duplicate_of_a_seed_that_was_dropped_in_by_hand(seeds, tmp_path):
    (seeds / "by-hand.txt").write_text("\n\n".join([LEAD, *WIRE]), encoding="utf-8")
    src = tmp_path / "in.txt"
    src.write_text(article(), encoding="utf-8")
    res = run(str(src), "--seeds", str(seeds))
    assert res.exit_code == 1 and (seeds / "by-hand.txt").as_posix() in res.output


def test_near_duplicate_is_flagged_but_accepted(seeds, tmp_path):
    first = tmp_path / "reuters.txt"
    first.write_text(article(), encoding="utf-8")
    assert run(str(first), "--seeds", str(seeds), "--added", "2024-05-01").exit_code == 0
    (existing,) = seeds.iterdir()
    # the same wire story from another outlet: its own lead and one more paragraph
    second = tmp_path / "afp.txt"
    second.write_text(article(title="Rocket attack on Iraqi base hosting US troops", published="2021-03-03",
                              lead="Rockets slammed into an air base hosting American troops in the western desert "
                                   "of Iraq on Wednesday, officials said, without giving any toll.",
                              extra=["The attack was the first since the new administration took office, according "
                                     "to a tally kept by the news agency over the past year."]), encoding="utf-8")
    res = run(str(second), "--seeds", str(seeds), "--added", "2024-05-01")
    assert res.exit_code == 0, res.output
    m = re.search(r"near-duplicate of (\S+) \(similarity (\d\.\d\d)\)", res.output)
    assert m, res.output
    assert m.group(1) == existing.as_posix() and 0.5 <= float(m.group(2)) < 1.0
    assert len(list(seeds.iterdir())) == 2


def test_a_different_story_is_not_a_near_duplicate(seeds, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(article(), encoding="utf-8")
    b.write_text(f"---\ntitle: Gunmen attack checkpoint\n---\n{OTHER}\n\n{LEAD}\n", encoding="utf-8")
    assert run(str(a), "--seeds", str(seeds)).exit_code == 0
    res = run(str(b), "--seeds", str(seeds))
    assert res.exit_code == 0 and "near-duplicate" not in res.output


def test_a_taken_name_gets_a_numeric_suffix(seeds, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(article(), encoding="utf-8")
    b.write_text(article(lead=OTHER, extra=[OTHER.replace("two soldiers", "four soldiers")]), encoding="utf-8")
    assert run(str(a), "--seeds", str(seeds)).exit_code == 0
    assert run(str(b), "--seeds", str(seeds)).exit_code == 0
    names = sorted(p.name for p in seeds.iterdir())
    assert names == ["2021-03-03_rockets-hit-ain-al-asad-air-base-2.md",
                     "2021-03-03_rockets-hit-ain-al-asad-air-base.md"]
    assert not gather(Config(seeds=seeds)).skipped  # the page ids differ too


def test_long_titles_are_cut_to_60_characters(seeds, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(article(title="Rockets " * 20), encoding="utf-8")
    assert run(str(src), "--seeds", str(seeds)).exit_code == 0
    (path,) = seeds.iterdir()
    slug = path.stem.split("_", 1)[1]
    assert len(slug) <= 60 and slug.startswith("rockets-rockets")


def test_writes_atomically_leaving_no_temp_file(seeds, tmp_path, monkeypatch):
    src = tmp_path / "in.txt"
    src.write_text(article(), encoding="utf-8")

    def boom(a, b):
        raise OSError("disk full")

    monkeypatch.setattr(add_mod.os, "replace", boom)
    res = CliRunner().invoke(cli, ["add", str(src), "--seeds", str(seeds)])
    assert res.exit_code == 1 and "cannot write" in res.output and "disk full" in res.output
    assert list(seeds.iterdir()) == []  # neither the target nor a temp file


@pytest.mark.parametrize("published, prefix", [
    ("2021-03-03", "2021-03-03"), ("2021-03-03T10:15:00+00:00", "2021-03-03"), ("2021-03", "2021-03"),
    ("2021", "2021"), ("March 3, 2021", "undated"), (None, "undated"),
])
def test_file_name_prefix_is_the_iso_date_or_undated(published, prefix):
    meta = {"title": "Rockets hit base", "published": published}
    assert add_mod.file_name(meta, set(), set()) == f"{prefix}_rockets-hit-base.md"


def test_missing_file_and_wrong_suffix_are_one_line(seeds, tmp_path):
    res = run(str(tmp_path / "nope.txt"), "--seeds", str(seeds))
    assert res.exit_code == 1 and "file not found" in res.output
    assert len(res.output.strip().splitlines()) == 1
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    res = run(str(tmp_path / "x.pdf"), "--seeds", str(seeds))
    assert res.exit_code == 1 and "not a .txt, .md or .html file" in res.output


def test_one_bad_source_does_not_stop_the_others(seeds, tmp_path):
    good = tmp_path / "in.txt"
    good.write_text(article(), encoding="utf-8")
    res = run(str(tmp_path / "nope.txt"), str(good), "--seeds", str(seeds))
    assert res.exit_code == 1
    assert len(list(seeds.iterdir())) == 1


# --- URLs ----------------------------------------------------------------------------------

def test_add_from_url_uses_trafilatura_metadata(seeds, server):
    url = f"{server}/article.html"
    res = run(url, "--seeds", str(seeds), "--added", "2024-05-01")
    assert res.exit_code == 0, res.output
    (path,) = seeds.iterdir()
    assert path.name == "2021-03-03_rockets-hit-ain-al-asad-air-base.md"
    meta, body = front_and_body(path)
    assert meta["title"] == "Rockets hit Ain al-Asad air base"
    assert meta["source"] == "Example News" and meta["url"] == url
    assert meta["published"] == "2021-03-03" and meta["added"] == "2024-05-01"
    assert LEAD in body and "Home" not in body and "Copyright" not in body
    assert body.count("\n\n") >= len(WIRE)  # one paragraph per block, blank lines between


def test_the_same_page_twice_is_a_duplicate(seeds, server):
    assert run(f"{server}/article.html", "--seeds", str(seeds)).exit_code == 0
    res = run(f"{server}/article.html", "--seeds", str(seeds))
    assert res.exit_code == 1 and "duplicate of" in res.output


def test_plain_text_url_and_declared_charset(seeds, server):
    assert run(f"{server}/plain", "--seeds", str(seeds)).exit_code == 0
    res = run(f"{server}/latin1", "--seeds", str(seeds))
    assert res.exit_code == 0, res.output
    texts = [p.read_text(encoding="utf-8") for p in seeds.iterdir()]
    assert any("caf\u00e9" in t for t in texts)


@pytest.mark.parametrize("path, patch, expected", [
    ("/slow", {"FETCH_TIMEOUT": 0.5}, "timed out"),
    ("/big", {"FETCH_LIMIT": 10_000}, "limit"),
    ("/big-stream", {"FETCH_LIMIT": 10_000}, "stopped reading"),
    ("/missing", {}, "HTTP 404"),
    ("/file.pdf", {}, "application/pdf"),
])
def test_url_errors_are_one_line(seeds, server, monkeypatch, path, patch, expected):
    for name, value in patch.items():
        monkeypatch.setattr(add_mod, name, value)
    t0 = time.monotonic()
    res = CliRunner().invoke(cli, ["add", f"{server}{path}", "--seeds", str(seeds)])
    assert time.monotonic() - t0 < 2.5  # the timeout, not the server, decides
    assert res.exit_code == 1, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and f"{server}{path}" in lines[0], res.output
    assert "Traceback" not in res.output
    assert list(seeds.iterdir()) == []


def test_unreachable_host_is_one_line(seeds):
    res = CliRunner().invoke(cli, ["add", "http://127.0.0.1:9/x", "--seeds", str(seeds)])
    assert res.exit_code == 1 and "cannot fetch" in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_the_real_limits_are_the_documented_ones():
    assert add_mod.FETCH_TIMEOUT == 10 and add_mod.FETCH_LIMIT == 5_000_000


def test_register_twice_is_harmless():
    register(cli)
    register(cli)
    assert {"add", "check"} <= set(cli.commands)
