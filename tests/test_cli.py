"""The command line as a user meets it: exit codes, one-line errors, --help everywhere."""
import csv
import io
import json

import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.export import validate


def run(*args, **kw):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kw)


def test_every_command_has_help():
    assert cli.commands, "no commands registered"
    for name, cmd in cli.commands.items():
        res = run(name, "--help")
        assert res.exit_code == 0, name
        first = " ".join(cmd.help.split("\n")[0].split()) if cmd.help else ""
        assert first and first in " ".join(res.output.split()), f"{name} has no docstring help"


def test_missing_seeds_folder_is_one_clear_line(tmp_path):
    res = CliRunner().invoke(cli, ["export", "--seeds", str(tmp_path / "nope")])
    assert res.exit_code != 0
    assert "seeds folder not found" in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_build_no_site_writes_markdown(project):
    res = run("build", "--no-site")
    assert res.exit_code == 0, res.output
    assert (project / "docs" / "index.md").exists()
    assert (project / "docs" / "actors" / "kataib-hezbollah.md").exists()
    assert not (project / "site").exists()


def test_bad_file_is_named_skipped_and_others_still_build(project):
    (project / "seeds" / "empty.txt").write_text("   \n")
    res = run("build", "--no-site")
    assert res.exit_code == 3
    assert "empty.txt: file is empty" in res.output
    assert len(list((project / "docs" / "articles").glob("*.md"))) == 5


def test_strict_makes_a_skip_fatal(project):
    (project / "seeds" / "empty.txt").write_bytes(b"")
    res = CliRunner().invoke(cli, ["build", "--no-site", "--strict"])
    assert res.exit_code == 1
    assert "--strict" in res.output


def test_export_json_follows_the_schema(project, tmp_path):
    out = tmp_path / "x.json"
    res = run("export", "--format", "json", "-o", str(out))
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert validate(data) == []
    assert len(data["articles"]) == 5


def test_export_csv_has_one_row_per_article(project):
    res = run("export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert len(rows) == 5
    assert {r["month"] for r in rows} >= {"2023-01", "2020-02", "2023-11", "2024-04", ""}


def test_serve_rebuilds_when_an_article_is_added(project):
    """`digest serve` end to end: the first build, then a new file in seeds/ is on the site
    after the next rebuild, served over loopback, without restarting."""
    import re
    import subprocess
    import sys
    import threading
    import time
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-m", "digest.cli_main", "serve", "--port", "0"], cwd=project,
                            stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True).start()

    def wait_for(word: str) -> str:
        for _ in range(1800):  # 180 s at most: a shared, loaded machine
            found = [line for line in lines if word in line]
            if found or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert found, f"no '{word}' line from digest serve: {lines}"
        return found[0]

    try:
        url = re.search(r"http://\S+?/", wait_for("serving site/")).group(0)
        seed = sorted((project / "seeds").iterdir())[0]
        (project / "seeds" / "zz-late-report.txt").write_bytes(seed.read_bytes())
        assert "6 articles (1 analysed, 5 from cache)" in wait_for("rebuilt:")
        with urllib.request.urlopen(f"{url}articles/zz-late-report/") as page:
            assert page.status == 200 and b"<h1" in page.read()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_console_script_keeps_exit_codes_and_output(project):
    """main() ends with os._exit (no freeing of what a build made): its exit codes and its
    output are still the command's."""
    import subprocess
    import sys

    def script(*args):
        return subprocess.run([sys.executable, "-m", "digest.cli_main", *args], cwd=project,
                              capture_output=True, text=True, timeout=300)

    exported = script("export", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    assert len(json.loads(exported.stdout)["articles"]) == 5
    (project / "seeds" / "empty.txt").write_text("   \n")
    built = script("build", "--no-site")
    assert built.returncode == 3
    assert "empty.txt: file is empty" in built.stderr and "5 articles" in built.stderr
    assert script("build", "--no-site", "--strict").returncode == 1
    assert script("no-such-command").returncode == 2


def test_the_preview_watches_hand_written_pages_not_generated_ones(project):
    """`digest serve` rebuilds when about.md changes (a hand-written page), not when the build
    writes its own pages, nor for an editor's hidden swap file."""
    from digest.cli import _snapshot
    from digest.config import Config
    assert CliRunner().invoke(cli, ["build", "--no-site"]).exit_code == 0
    cfg = Config()
    before = _snapshot(cfg)
    page = next((project / "docs" / "articles").iterdir())
    page.write_text(page.read_text(encoding="utf-8") + "\nrewritten by a build\n", encoding="utf-8")
    (project / "docs" / ".about.md.swp").write_text("swap", encoding="utf-8")
    assert _snapshot(cfg) == before
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert _snapshot(cfg) != before


def test_the_preview_is_woken_by_a_change_or_looks_every_second_where_it_cannot_watch(project, monkeypatch):
    from watchdog.observers import Observer

    from digest.cli import LONGEST, _snapshot, _woken
    from digest.config import Config
    from digest.pipeline import generate
    cfg = Config()
    generate(cfg)  # docs/.generated, which a look reads
    with _woken(cfg) as (changed, longest):
        assert longest == LONGEST
        _snapshot(cfg)
        assert not changed.wait(2)  # a look reads files: not a change, or it would wake itself
        (project / "seeds" / "zz-new.txt").write_text("Baghdad, 5 January 2024. A new article.\n")
        assert changed.wait(60)
        changed.clear()
        (project / "templates" / "article.md.j2").write_text("# {{ a.title }}\n")
        assert changed.wait(60)

    def no_watches(self):
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(Observer, "start", no_watches)
    with _woken(cfg) as (changed, longest):
        assert longest == 1.0


def test_a_change_made_while_the_preview_first_builds_is_built_next(project, monkeypatch):
    """`digest serve` takes its first look before its first build: a file added meanwhile
    is built at once, not missed until some other change."""
    import digest.cli as dcli
    from digest.config import Config
    cfg = Config()
    seen = dcli._snapshot(cfg)  # as serve does, before its first build
    (project / "seeds" / "zz-during-the-build.txt").write_text("Baghdad, 5 January 2024. A new article.\n")
    looks, built = [], []
    snapshot = dcli._snapshot

    def look(cfg):
        looks.append(1)
        if len(looks) > 3:
            raise KeyboardInterrupt  # this test's end, built or not
        return snapshot(cfg)

    def rebuild(cfg, known):
        built.append(sorted(p.name for p in cfg.seeds.iterdir()))
        raise KeyboardInterrupt

    monkeypatch.setattr(dcli, "_snapshot", look)
    monkeypatch.setattr(dcli, "_rebuild", rebuild)
    monkeypatch.setattr(dcli, "SETTLE", 0)
    monkeypatch.setattr(dcli, "LONGEST", 0.01)
    monkeypatch.setattr("digest.pipeline.warm_up", lambda: None)
    dcli._watch(cfg, {}, seen)
    assert built and "zz-during-the-build.txt" in built[0]


def test_a_watch_that_cannot_start_leaves_none_of_the_preview_watches_running(project, monkeypatch):
    """No watches left for the second folder (inotify's limit): the preview looks every
    second, and the first folder's watch, started already, is stopped too."""
    import threading

    from digest.cli import _woken
    from digest.config import Config
    inotify = pytest.importorskip("watchdog.observers.inotify")
    start, started = inotify.InotifyEmitter.on_thread_start, []

    def second_fails(self):
        started.append(self)
        if len(started) == 2:
            raise OSError(28, "inotify watch limit reached")
        start(self)

    monkeypatch.setattr(inotify.InotifyEmitter, "on_thread_start", second_fails)
    with _woken(Config()) as (changed, longest):
        assert longest == 1.0 and len(started) == 2
        assert not [t for t in threading.enumerate() if isinstance(t, inotify.InotifyEmitter) and t.is_alive()]
