"""Incremental and atomic builds: the cache, rewriting only what changed, surviving failures."""
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import digest.cache
import digest.pipeline
from digest.cache import hydrate
from digest.cli import cli
from digest.config import Config
from digest.model import HEAVY
from digest.pipeline import gather, generate
from digest.write import generated


def tree_hash(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit_seed(seed: Path) -> None:
    """An editor's change to an article: one sentence added."""
    seed.write_text(seed.read_text() + "\nOne more sentence was added to this article by an editor.\n")


def test_second_gather_comes_from_cache_and_a_changed_file_is_analysed_again(project):
    cfg = Config(cache=project / "c.sqlite")
    counts = lambda result: {k: result.stats[k] for k in ("analysed", "cached")}  # noqa: E731
    first = gather(cfg)
    assert counts(first) == {"analysed": 5, "cached": 0}
    again = gather(cfg)
    assert counts(again) == {"analysed": 0, "cached": 5}
    assert [a.to_record() for a in again.articles] == [a.to_record() for a in first.articles]
    seed = sorted((project / "seeds").iterdir())[0]
    edit_seed(seed)
    assert counts(gather(cfg)) == {"analysed": 1, "cached": 4}


def test_the_cache_forgets_the_entries_of_removed_and_changed_files(project):
    cfg = Config(cache=project / "c.sqlite")
    seeds = sorted((project / "seeds").iterdir())
    gather(cfg)
    seeds[0].unlink()
    edit_seed(seeds[1])
    kept = gather(cfg).outcomes
    cache = digest.cache.Cache(cfg.cache)
    for table in ("article", "heavy"):
        assert sorted(k for (k,) in cache.db.execute(f"SELECT key FROM {table}")) == sorted(kept) and len(kept) == 4
    cache.close()


def test_the_cache_reads_back_exactly_the_entries_asked_for_few_or_most(tmp_path):
    """Most of the table is read by one scan and filtered, a few entries looked up by key:
    either way exactly the entries asked for that exist, with their values."""
    cache = digest.cache.Cache(tmp_path / "c.sqlite")
    entries = {f"k{i:02d}": digest.cache.pack({"n": i}) for i in range(40)}
    cache.update(iter(entries.items()), list(entries))
    for asked in (["k03", "k17", "missing"], [k for k in entries if k != "k05"] + ["missing"]):
        assert cache.get_many(asked) == {k: {"n": int(k[1:])} for k in asked if k in entries}
        assert cache.stored(asked) == {k for k in asked if k in entries}
    cache.close()


def test_cached_articles_read_their_heavy_values_on_first_use_or_many_at_once(project, monkeypatch):
    """An article from the cache holds none of its HEAVY values (body, export texts) until one
    is used, which reads that one; hydrate reads many articles' at once, with one connection.
    Either way they are the values analysis made."""
    cfg = Config(cache=project / "c.sqlite")
    first = {a.id: a for a in gather(cfg).articles}
    again = gather(cfg).articles
    assert len(again) == 5 and all(not set(HEAVY) & a.__dict__.keys() for a in again)
    one = again[0]
    assert one.body == first[one.id].body and set(HEAVY) & one.__dict__.keys() == {"body"}
    connect, opened = digest.cache.sqlite3.connect, []
    monkeypatch.setattr(digest.cache.sqlite3, "connect", lambda *a, **k: opened.append(a) or connect(*a, **k))
    hydrate(again)
    assert len(opened) == 1
    for a in again:
        assert {n: a.__dict__[n] for n in HEAVY} == {n: first[a.id].__dict__[n] for n in HEAVY}
    hydrate(again)
    assert len(opened) == 1  # nothing left to read


def test_an_article_whose_cache_entry_is_gone_fails_the_build_in_one_line(project):
    cfg = Config(cache=project / "c.sqlite")
    gather(cfg)
    again = gather(cfg).articles
    with sqlite3.connect(cfg.cache) as db:
        db.execute("DELETE FROM heavy")
    with pytest.raises(RuntimeError, match=r"^[^\n]+\.txt: its entry left the cache during the build; build again$"):
        again[0].body
    cfg.cache.unlink()
    with pytest.raises(RuntimeError, match=r"c\.sqlite: cannot read the cache \(.*\); build again$"):
        hydrate(again)
    assert not cfg.cache.exists()  # read only: never made anew


@pytest.mark.parametrize("jobs", [1, 2])
def test_pages_made_from_cached_articles_are_those_made_without_the_cache(project, jobs):
    """Every page and download rendered again from cached articles, whose HEAVY values are
    read apart (hydrate; in a forked process for the downloads with two jobs), has the bytes
    of a build without the cache."""
    generate(Config(jobs=jobs))
    cached = generate_all_again(project, Config(jobs=jobs))
    assert cached.stats["cached"] == 5 and cached.stats["written"] == len(generated(project / "docs")) > 20
    made = tree_hash(project / "docs")
    assert generate_all_again(project, Config(cache=None, jobs=jobs)).stats["analysed"] == 5
    assert tree_hash(project / "docs") == made


def generate_all_again(project: Path, cfg: Config):
    """A build that makes and writes every generated page and download again."""
    for rel in generated(project / "docs"):
        (project / "docs" / rel).unlink()
    (project / "docs" / ".generated").unlink()
    return generate(cfg)


def test_a_first_build_starts_its_workers_before_reading_the_files(project, monkeypatch):
    """No record of a previous build: the workers load their analysers while the files are
    read (a later build reads first: most files are cached). The articles are the ones a
    single process makes."""
    monkeypatch.setattr(digest.pipeline, "PARALLEL_FROM", 2)
    events, read, pool = [], digest.pipeline._read_bytes, digest.pipeline.ProcessPoolExecutor

    class Pool(pool):
        def __init__(self, *args, **kwargs):
            events.append("workers")
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(digest.pipeline, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(digest.pipeline, "_read_bytes", lambda path: events.append("read") or read(path))
    cfg = Config(cache=project / "c.sqlite", jobs=2)
    first = gather(cfg)
    assert events[0] == "workers" and events.count("workers") == 1
    # the seeds were just written: their signatures are not remembered (cache.RACY_NS), so the
    # next build has no record either and starts its workers early, for nothing to analyse
    assert gather(cfg).stats["analysed"] == 0
    monkeypatch.setattr(digest.cache, "RACY_NS", 0)
    gather(cfg)  # now remembered
    serial = gather(Config(cache=None, jobs=1))
    assert [a.to_record() for a in first.articles] == [a.to_record() for a in serial.articles]
    events.clear()
    next(project.joinpath("seeds").iterdir()).write_text("Baghdad, 5 January 2024. A new article.\n")
    gather(cfg)
    assert events and events[0] == "read"


def test_gather_takes_articles_held_in_memory_before_the_cache(project, monkeypatch):
    """`digest serve` passes the previous build's outcomes: nothing is read from the cache
    for them, and only a new file is analysed."""
    cfg = Config(cache=project / "c.sqlite")
    first = gather(cfg)
    monkeypatch.setattr("digest.cache.Cache.get_many", lambda self, keys: pytest.fail(f"read {len(keys)} entries") if keys else {})
    again = gather(cfg, known=first.outcomes)
    assert {k: again.stats[k] for k in ("analysed", "cached")} == {"analysed": 0, "cached": 5}
    assert [a.to_record() for a in again.articles] == [a.to_record() for a in first.articles]
    seed = sorted((project / "seeds").iterdir())[0]
    (project / "seeds" / "zz-copy.txt").write_bytes(seed.read_bytes())
    third = gather(cfg, known=again.outcomes)
    assert {k: third.stats[k] for k in ("analysed", "cached")} == {"analysed": 1, "cached": 5}
    assert len(third.articles) == 6 and len(third.outcomes) == 6


def _count_reads(monkeypatch) -> list[str]:
    reads, real = [], digest.pipeline._read_bytes
    monkeypatch.setattr(digest.pipeline, "_read_bytes", lambda path: reads.append(os.path.basename(path)) or real(path))
    return reads


def test_a_file_whose_signature_is_unchanged_is_not_read_again(project, monkeypatch):
    """Size, times and inode unchanged: the key comes from the cache without reading the file.
    New bytes under the old size and modification time still show in the change time."""
    monkeypatch.setattr("digest.cache.RACY_NS", 0)  # the seeds were written a moment ago
    cfg = Config(cache=project / "c.sqlite")
    first = gather(cfg)
    reads = _count_reads(monkeypatch)
    again = gather(cfg)
    assert reads == [] and again.stats["cached"] == 5
    assert [a.to_record() for a in again.articles] == [a.to_record() for a in first.articles]
    seed = sorted((project / "seeds").iterdir())[0]
    before = seed.stat()
    seed.write_bytes(seed.read_bytes().replace(b"the ", b"THE ", 1))
    os.utime(seed, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert seed.stat().st_size == before.st_size
    reads.clear()
    third = gather(cfg)
    assert reads == [seed.name] and third.stats["analysed"] == 1


def test_a_file_changed_within_the_racy_window_is_read_every_time(project, monkeypatch):
    cfg = Config(cache=project / "c.sqlite")
    gather(cfg)
    reads = _count_reads(monkeypatch)
    assert gather(cfg).stats["cached"] == 5
    assert len(reads) == 5  # written just now: a same-tick change could keep the signature


def test_corrupt_cache_is_ignored_and_rebuilt(project):
    path = project / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    result = gather(Config(cache=path))
    assert result.stats["analysed"] == 5 and len(result.articles) == 5
    assert gather(Config(cache=path)).stats["cached"] == 5


def test_an_unreadable_cache_entry_is_analysed_again(project):
    import sqlite3
    path = project / "c.sqlite"
    first = gather(Config(cache=path))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE article SET blob = ? WHERE rowid = (SELECT min(rowid) FROM article)", (b"not a pickle",))
    again = gather(Config(cache=path))
    assert {k: again.stats[k] for k in ("analysed", "cached")} == {"analysed": 1, "cached": 4}
    assert [a.to_record() for a in again.articles] == [a.to_record() for a in first.articles]
    assert gather(Config(cache=path)).stats["cached"] == 5  # stored again


def test_deleted_article_page_is_removed_and_others_untouched(project):
    assert CliRunner().invoke(cli, ["build", "--no-site"]).exit_code == 0
    docs = project / "docs"
    kept = docs / "articles" / "000-222972cea841efa1.md"
    before = kept.stat().st_mtime_ns
    (project / "seeds" / "001_b4548a4fd260a6a2.txt").unlink()
    res = CliRunner().invoke(cli, ["build", "--no-site"])
    assert res.exit_code == 0
    assert not (docs / "articles" / "001-b4548a4fd260a6a2.md").exists()
    assert kept.stat().st_mtime_ns == before  # same text: not rewritten, same URL
    assert (docs / "about.md").exists()  # hand-written pages are never touched


def test_failed_site_build_leaves_docs_and_site_as_they_were(project):
    assert CliRunner().invoke(cli, ["build"]).exit_code == 0
    docs, site = tree_hash(project / "docs"), tree_hash(project / "site")
    (project / "seeds" / "new.txt").write_text("Rockets hit the base on 3 March 2021, officials said in a statement.\n" * 3)
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text() + "\nnot_a_real_option: [\n")
    res = CliRunner().invoke(cli, ["build"])
    assert res.exit_code != 0
    assert tree_hash(project / "docs") == docs and tree_hash(project / "site") == site
    assert not list(project.glob(".digest-stage-*"))


def test_killed_build_leaves_previous_outputs_intact(project):
    assert CliRunner().invoke(cli, ["build"]).exit_code == 0
    docs, site = tree_hash(project / "docs"), tree_hash(project / "site")
    for i in range(40):  # enough work that the build is still running when killed
        (project / "seeds" / f"extra{i}.txt").write_text(
            f"Extra report {i}\n\nRockets struck a base near Baghdad on 3 March 2021, wounding {i} people, officials said.\n")
    proc = subprocess.Popen([sys.executable, "-m", "digest.cli_main", "build", "--no-cache"], cwd=project,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not list(project.glob(".digest-stage-*/site")) and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert tree_hash(project / "docs") == docs and tree_hash(project / "site") == site
    res = CliRunner().invoke(cli, ["build"])  # the next build cleans up and completes
    assert res.exit_code == 0 and not list(project.glob(".digest-stage-*"))
    assert (project / "docs" / "articles" / "extra0.md").exists()


def test_a_broken_link_fails_the_strict_site_build(project):
    (project / "docs" / "about.md").write_text("# About\n\nSee [the missing page](nowhere.md).\n")
    res = CliRunner().invoke(cli, ["build"])
    assert res.exit_code != 0
    assert "nowhere.md" in res.output and "previous site kept" in res.output


@pytest.mark.parametrize("cp_works", [True, False], ids=["cp -al", "no cp: copytree"])
def test_staged_copy_is_hard_links(tmp_path, monkeypatch, cp_works):
    from digest import pipeline
    src = tmp_path / "site"
    (src / "a" / "b").mkdir(parents=True)
    (src / "a" / "b" / "index.html").write_text("page", encoding="utf-8")
    (src / "top.txt").write_text("top", encoding="utf-8")
    if not cp_works:
        def no_cp(*args, **kwargs):
            raise OSError("no cp here")
        monkeypatch.setattr(pipeline.subprocess, "run", no_cp)
    pipeline._link_tree(src, tmp_path / "copy")
    for rel in ("a/b/index.html", "top.txt"):
        assert (tmp_path / "copy" / rel).stat().st_ino == (src / rel).stat().st_ino
    assert sorted(p.relative_to(tmp_path / "copy").as_posix() for p in (tmp_path / "copy").rglob("*")) == \
        ["a", "a/b", "a/b/index.html", "top.txt"]


def _html(site: Path) -> dict:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and not p.relative_to(site).parts[0].startswith("pagefind")}


def test_an_incremental_site_equals_a_full_build(project):
    from digest.pipeline import generate
    eval_dir = Path(__file__).parent / "eval" / "articles"
    assert generate(Config(), site=True).stats["site"] == "full"
    for src in sorted(eval_dir.glob("*.txt"))[:3]:
        (project / "seeds" / src.name).write_bytes(src.read_bytes())
    (project / "seeds" / sorted(os.listdir(project / "seeds"))[0]).unlink()
    assert generate(Config(), site=True).stats["site"] == "incremental"
    incremental = _html(project / "site")
    assert generate(Config(full=True), site=True).stats["site"] == "full"
    assert incremental == _html(project / "site")


def test_a_merge_cut_short_makes_the_next_build_full(project, monkeypatch):
    from digest import pipeline
    pipeline.generate(Config(), site=True)
    eval_dir = Path(__file__).parent / "eval" / "articles"
    src = sorted(eval_dir.glob("*.txt"))[0]
    (project / "seeds" / src.name).write_bytes(src.read_bytes())

    def cut(*args):  # the search bundles are swapped in after the pages were replaced
        raise OSError("disk full")
    swap = pipeline._swap
    monkeypatch.setattr(pipeline, "_swap", cut)
    with pytest.raises(OSError):
        pipeline.generate(Config(), site=True)
    monkeypatch.setattr(pipeline, "_swap", swap)
    assert pipeline.generate(Config(), site=True).stats["site"] == "full"
    from digest.analyse import article_id
    assert (project / "site" / "articles" / article_id(src.name) / "index.html").exists()


def test_unscanned_loads_go_straight_to_the_oldest_generation_and_cycles_stay_collectable():
    import gc
    import weakref

    from digest.pipeline import unscanned

    class Node:
        pass

    assert gc.isenabled()
    with unscanned():
        assert not gc.isenabled()
        loaded = [[i] for i in range(100_000)]
        cycle = Node()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        del cycle
    assert gc.isenabled()
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(loaded) in oldest and id(loaded[-1]) in oldest  # not scanned as young objects
    gc.collect()
    assert gone() is None
