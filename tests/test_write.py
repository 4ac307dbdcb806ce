"""digest.write.write_pages: only changed files are written, stale generated ones removed,
hand-written pages never touched."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from digest.write import MANIFEST, write_pages

OLD = 1_000_000_000  # an mtime far in the past (2001), so any rewrite shows


def age(docs: Path) -> None:
    """Set every file under docs to the old mtime."""
    for p in docs.rglob("*"):
        if p.is_file():
            os.utime(p, (OLD, OLD))


def mtime(p: Path) -> int:
    return int(p.stat().st_mtime)


def manifest(docs: Path) -> list[str]:
    return (docs / MANIFEST).read_text(encoding="utf-8").split()


PAGES = {
    "index.md": "# Digest\n",
    "articles/a.md": "# Article A\n\nRockets hit the base.\n",
    "articles/b.md": "# Article B — Kata’ib Hezbollah\n",
    "months/2021-03.md": "# March 2021\n",
}


@pytest.fixture
def docs(tmp_path) -> Path:
    return tmp_path / "docs"


def test_first_run_writes_every_page_and_the_manifest(docs):
    stats = write_pages(PAGES, docs)
    assert stats == {"written": 4, "unchanged": 0, "removed": 0}
    for rel, text in PAGES.items():
        assert (docs / rel).read_text(encoding="utf-8") == text
    assert manifest(docs) == sorted(PAGES)


def test_unchanged_pages_are_not_rewritten(docs):
    write_pages(PAGES, docs)
    age(docs)
    stats = write_pages(dict(PAGES), docs)
    assert stats == {"written": 0, "unchanged": 4, "removed": 0}
    for rel in PAGES:
        assert mtime(docs / rel) == OLD


def test_only_the_changed_page_is_rewritten(docs):
    write_pages(PAGES, docs)
    age(docs)
    changed = dict(PAGES, **{"articles/a.md": "# Article A\n\nRockets hit the base again.\n"})
    stats = write_pages(changed, docs)
    assert stats == {"written": 1, "unchanged": 3, "removed": 0}
    assert (docs / "articles/a.md").read_text(encoding="utf-8").endswith("again.\n")
    assert mtime(docs / "articles/a.md") != OLD
    for rel in ("index.md", "articles/b.md", "months/2021-03.md"):
        assert mtime(docs / rel) == OLD


def test_a_page_changed_by_hand_is_restored(docs):
    write_pages(PAGES, docs)
    (docs / "index.md").write_text("edited\n", encoding="utf-8")
    stats = write_pages(PAGES, docs)
    assert stats["written"] == 1
    assert (docs / "index.md").read_text(encoding="utf-8") == PAGES["index.md"]


def test_stale_generated_pages_are_removed_with_their_empty_folders(docs):
    write_pages(PAGES, docs)
    fewer = {k: v for k, v in PAGES.items() if not k.startswith("months/")}
    fewer.pop("articles/b.md")
    stats = write_pages(fewer, docs)
    assert stats == {"written": 0, "unchanged": 2, "removed": 2}
    assert not (docs / "articles/b.md").exists()
    assert not (docs / "months").exists()
    assert (docs / "articles/a.md").exists()
    assert manifest(docs) == sorted(fewer)


def test_hand_written_files_are_never_touched(docs):
    docs.mkdir()
    (docs / "articles").mkdir()
    (docs / "months").mkdir()
    hand = {"about.md": "# About\n", "articles/notes.md": "my notes\n", "months/README.txt": "keep\n",
            "extra.css": "body{}\n"}
    for rel, text in hand.items():
        (docs / rel).write_text(text, encoding="utf-8")
    age(docs)
    write_pages(PAGES, docs)
    # every generated month page goes away; the folder keeps the hand-written file
    stats = write_pages({k: v for k, v in PAGES.items() if not k.startswith("months/")}, docs)
    assert stats["removed"] == 1
    write_pages({}, docs)
    for rel, text in hand.items():
        assert (docs / rel).read_text(encoding="utf-8") == text
        assert mtime(docs / rel) == OLD
    assert set(manifest(docs)) == set()
    assert not (docs / "index.md").exists()


def test_manifest_lists_only_generated_pages(docs):
    docs.mkdir()
    (docs / "about.md").write_text("# About\n", encoding="utf-8")
    write_pages(PAGES, docs)
    assert "about.md" not in manifest(docs)


def test_no_temporary_files_are_left_behind(docs):
    write_pages(PAGES, docs)
    write_pages(dict(PAGES, **{"index.md": "# New\n"}), docs)
    leftovers = [p.name for p in docs.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_text_is_written_as_utf8_bytes(docs):
    write_pages({"a.md": "Kata’ib — café\n"}, docs)
    assert (docs / "a.md").read_bytes() == "Kata’ib — café\n".encode("utf-8")


def test_missing_manifest_means_nothing_is_stale(docs):
    docs.mkdir()
    (docs / "old.md").write_text("hand-written or from an unknown run\n", encoding="utf-8")
    stats = write_pages(PAGES, docs)
    assert stats["removed"] == 0
    assert (docs / "old.md").exists()


def test_pages_written_into_a_stage_are_moved_in(docs, tmp_path):
    from digest.memo import WRITTEN
    staged = tmp_path / "stage"
    (staged / "articles").mkdir(parents=True)
    (staged / "articles/a.md").write_text("staged A\n", encoding="utf-8")
    stats = write_pages(dict(PAGES, **{"articles/a.md": WRITTEN}), docs, staged)
    assert stats == {"written": 4, "unchanged": 0, "removed": 0}
    assert (docs / "articles/a.md").read_text(encoding="utf-8") == "staged A\n"
    assert not (staged / "articles/a.md").exists()  # moved, not copied


def test_a_staged_folder_docs_lacks_is_moved_in_whole(docs, tmp_path):
    """A first build's 11,000 pages: the folders move, not each page; a folder docs/ has
    already is filled page by page, its other pages kept."""
    from digest.memo import KEPT, WRITTEN
    staged = tmp_path / "stage"
    for rel in ("articles/a.md", "articles/deep/b.md", "months/2021-04.md"):
        (staged / rel).parent.mkdir(parents=True, exist_ok=True)
        (staged / rel).write_text(f"staged {rel}\n", encoding="utf-8")
    write_pages({"months/2021-03.md": PAGES["months/2021-03.md"]}, docs)
    folder = (staged / "articles").stat().st_ino
    pages = {"articles/a.md": WRITTEN, "articles/deep/b.md": WRITTEN, "months/2021-04.md": WRITTEN,
             "months/2021-03.md": KEPT}
    assert write_pages(pages, docs, staged) == {"written": 3, "unchanged": 1, "removed": 0}
    assert (docs / "articles").stat().st_ino == folder  # the folder itself moved
    assert (docs / "months").stat().st_ino != (staged / "months").stat().st_ino
    for rel in ("articles/a.md", "articles/deep/b.md", "months/2021-04.md"):
        assert (docs / rel).read_text(encoding="utf-8") == f"staged {rel}\n"
    assert (docs / "months/2021-03.md").read_text(encoding="utf-8") == PAGES["months/2021-03.md"]
    assert sorted(manifest(docs)) == sorted(pages)


def test_a_kept_page_gone_from_docs_is_an_error_and_one_in_a_linked_folder_is_kept(docs, tmp_path):
    from digest.memo import KEPT
    write_pages(dict(PAGES), docs)
    os.replace(docs / "articles", tmp_path / "elsewhere")
    (docs / "articles").symlink_to(tmp_path / "elsewhere")  # a linked folder: the listing skips it
    assert write_pages({"articles/a.md": KEPT, "index.md": KEPT}, docs)["unchanged"] == 2
    (docs / "index.md").unlink()
    with pytest.raises(RuntimeError, match="index.md: removed during the build"):
        write_pages({"index.md": KEPT}, docs)


def test_a_big_file_has_its_blocks_reserved_before_it_is_written(docs, tmp_path, monkeypatch):
    """The data downloads: reserved at their full size (see write._write), written whole,
    whether into the stage or in place of a page; a file system that cannot reserve is
    written to all the same."""
    import digest.write as write
    reserved = []
    monkeypatch.setattr(write.os, "posix_fallocate", lambda fd, start, size: reserved.append((start, size)))
    big = write.Chunks([b"[" + b"1," * (write.RESERVE_FROM // 2), b"1]\n"])
    size = sum(map(len, big))
    assert write.put("downloads/digest.json", big, docs, tmp_path / "stage")
    write_pages({"downloads/digest.json": big, "index.md": "# Home\n"}, docs)
    assert reserved == [(0, size), (0, size)]  # the page: too small to reserve
    for path in (tmp_path / "stage" / "downloads" / "digest.json", docs / "downloads" / "digest.json"):
        assert path.read_bytes() == b"".join(big)

    def cannot(fd, start, size):
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(write.os, "posix_fallocate", cannot)
    bigger = write.Chunks([*big, b" "])
    write_pages({"downloads/digest.json": bigger, "index.md": "# Home\n"}, docs)
    assert (docs / "downloads" / "digest.json").read_bytes() == b"".join(bigger)
