"""bench/unique_sentences.py: the copy's sentences are unique, and what digest extracts
(names, dates, abbreviations) is left as it was; a missing folder is one line."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent.parent / "bench" / "unique_sentences.py"
SPEC = importlib.util.spec_from_file_location("unique_sentences", SCRIPT)
unique_sentences = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(unique_sentences)

TEXT = ("Rockets struck the base near Baghdad on Sept. 5, 2024, officials said. The U.S. military "
        "said no one was hurt in the attack. Kata'ib Hezbollah denied any role in the attack.\n")


def test_copy_makes_repeated_sentences_unique(tmp_path, capsys):
    src, out = tmp_path / "seeds", tmp_path / "out"
    src.mkdir()
    for name in ("a.txt", "b.txt"):
        (src / name).write_text(TEXT * 2, encoding="utf-8")
    assert unique_sentences.main([str(src), str(out)]) == 0
    a, b = ((out / n).read_text(encoding="utf-8") for n in ("a.txt", "b.txt"))
    assert a != b
    sentences = [s for t in (a, b) for line in t.splitlines() for s in unique_sentences.SPLIT.split(line)]
    assert len(set(sentences)) == len(sentences) == 12
    for kept in ("Baghdad", "Sept. 5, 2024", "The U.S. military", "Kata'ib Hezbollah"):
        assert a.count(kept) == TEXT.count(kept) * 2
    assert "100% before, 0% after" in capsys.readouterr().out


def test_a_missing_folder_is_one_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        unique_sentences.main([str(tmp_path / "nowhere"), str(tmp_path / "out")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].endswith("nowhere: not a folder")
    assert "Traceback" not in err
