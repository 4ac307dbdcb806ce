"""`digest check`: one line per problem with a level and a fix; --strict fails on errors only."""
import re

import pytest
from click.testing import CliRunner

from digest.archive_cli import register
from digest.check import ERROR, WARNING, Problem, check, print_report, summary
from digest.cli import cli
from digest.config import Config

register(cli)  # harmless when digest.cli already registers the commands

LINE = re.compile(r"^(ERROR|WARNING)  (\S[^:]*): (.+) — fix: (.+)$")
COUNT = re.compile(r"^(\d+) errors?, (\d+) warnings? in (\d+) files? checked$")

GOOD = """---
title: Rockets hit base
published: 2021-03-03
---
Kataib Hezbollah fighters fired three rockets at the Ain al-Asad air base in western Iraq on Wednesday, \
wounding two soldiers, officials said.

The US-led coalition said the rockets landed inside the base and caused minor damage to a hangar.
"""
WIRE = """---
title: {title}
published: 2021-03-03
---
{lead}

Kataib Hezbollah fighters fired three rockets at the Ain al-Asad air base in western Iraq on Wednesday, \
wounding two soldiers and damaging a hangar used by the coalition, officials said.

The US-led coalition said the rockets landed inside the base perimeter and that an investigation into the \
launch site near al-Baghdadi was under way with the help of Iraqi security forces.

The attack was the third on the base this month, and came as the government in Baghdad pressed armed \
factions to halt their strikes ahead of talks on the future of foreign troops in the country.
"""
FILES = {
    "good.md": GOOD,
    "undated.txt": "Rockets struck a base on Friday morning, wounding two soldiers, officials said, in the latest attack.\n",
    "empty.txt": "   \n",
    "badyaml.md": "---\ntitle: [broken\n---\nSome text that is long enough to read as a paragraph of an article here.\n",
    "chrome.txt": "Home | News | World\n\nSubscribe to our newsletter\n",
    "types.md": "---\ntitle: Drone downed\npublished: 2021-04-14\nsource: [1, 2]\ncolour: red\n---\nKataib "
                "Hezbollah launched an explosive-laden drone at Erbil airport late on Wednesday, and the US-led "
                "coalition said it was shot down before it reached the base.\n",
    "noactor.md": "---\ntitle: Quiet day\npublished: 2021-05-05\n---\nThe weather in the capital was mild on "
                  "Tuesday and the markets were busy with shoppers buying food for the holiday weekend.\n",
    "discovered.md": "---\ntitle: New group claims attack\npublished: 2021-03-03\n---\nA group calling itself the "
                     "Harakat Nasr Jadida claimed responsibility for a rocket attack on the Ain al-Asad air base in "
                     "western Iraq on Wednesday, in a statement on Telegram.\n",
    "wire-reuters.md": WIRE.format(title="Rockets hit Ain al-Asad", lead="BAGHDAD (Reuters) - Rockets hit the "
                                   "base early on Wednesday, the latest in a string of attacks on US forces."),
    "wire-afp.md": WIRE.format(title="Base hosting US troops attacked", lead="Several rockets slammed into the "
                               "desert base in Anbar province on Wednesday, according to security sources."),
    "a b.md": "---\ntitle: Market fire\npublished: 2021-06-01\n---\nA fire broke out in a crowded market in Basra "
              "on Tuesday evening and was put out by the civil defence before it spread to nearby shops.\n",
    "a-b.md": "---\ntitle: Bridge opens\npublished: 2021-07-01\n---\nA new bridge over the Tigris in Mosul opened "
              "to traffic on Sunday after three years of work paid for by foreign donors and the city council.\n",
}


def run(*args):
    return CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)


@pytest.fixture
def seeds(tmp_path):
    d = tmp_path / "seeds"
    d.mkdir()
    for name, text in FILES.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def lines_of(res):
    out = res.stdout.strip().splitlines()
    problems = [LINE.match(l) for l in out[:-1]]
    assert all(problems), [l for l, m in zip(out, problems) if not m]
    assert COUNT.match(out[-1]), out[-1]
    return [(m.group(1), m.group(2).rsplit("/", 1)[-1], m.group(3), m.group(4)) for m in problems], out[-1]


def find(problems, level, file, text):
    return [p for p in problems if p[0] == level and p[1] == file and text in p[2]]


def test_every_kind_of_problem_is_reported_with_its_level_and_a_fix(seeds):
    res = run("--seeds", str(seeds))
    assert res.exit_code == 0, res.output  # without --strict, errors do not fail
    problems, count = lines_of(res)
    assert find(problems, "ERROR", "empty.txt", "file is empty")
    assert find(problems, "ERROR", "badyaml.md", "front matter is not valid YAML")
    assert find(problems, "ERROR", "chrome.txt", "no article text left after cleaning")
    assert find(problems, "ERROR", "a-b.md", "page id 'a-b' is already used by a b.md")
    assert find(problems, "WARNING", "undated.txt", "no month could be established")
    assert find(problems, "WARNING", "types.md", "front matter 'source' should be text")
    assert find(problems, "WARNING", "types.md", "front matter key 'colour' is unknown")
    assert find(problems, "WARNING", "noactor.md", "no actor found")
    assert find(problems, "WARNING", "discovered.md", "actor 'Harakat Nasr Jadida' is not in the registry")
    near = [p for p in problems if "near-duplicate of" in p[2] and {p[1], p[2].split("/")[-1].split()[0]}
            == {"wire-reuters.md", "wire-afp.md"}]
    assert len(near) == 1 and near[0][0] == "WARNING"
    assert float(re.search(r"similarity (\d\.\d\d)", near[0][2]).group(1)) >= 0.5
    assert not [p for p in problems if p[1] == "good.md"]
    assert all(p[3].strip() for p in problems)  # every problem has a fix
    errors = sum(p[0] == "ERROR" for p in problems)
    m = COUNT.match(count)
    assert int(m.group(1)) == errors and int(m.group(2)) == len(problems) - errors
    assert int(m.group(3)) == len(FILES)


def test_strict_exits_1_on_errors(seeds):
    res = run("--strict", "--seeds", str(seeds))
    assert res.exit_code == 1
    assert "ERROR  " in res.stdout


def test_warnings_alone_do_not_fail_strict(seeds):
    for name in ("empty.txt", "badyaml.md", "chrome.txt", "a-b.md"):
        (seeds / name).unlink()
    res = run("--strict", "--seeds", str(seeds))
    assert res.exit_code == 0, res.output
    assert "ERROR" not in res.stdout and "WARNING" in res.stdout
    assert res.stdout.strip().splitlines()[-1].startswith("0 errors, ")


def test_a_clean_archive_has_no_problems(tmp_path):
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    res = run("--strict", "--seeds", str(tmp_path))
    assert res.exit_code == 0
    assert res.stdout.strip() == "0 errors, 0 warnings in 1 file checked"


def test_inferred_year_is_a_warning(tmp_path):
    (tmp_path / "x.txt").write_text(
        "JUNE 2023\n\nMilitants attack US supply convoy near Baghdad\n\nOn January 12, a convoy moving logistic "
        "supplies for the United States-led coalition came under attack in the Taji district to the north of the "
        "Iraqi capital, Baghdad.\n\nKataib Hezbollah claimed responsibility for the attack, which resulted in "
        "material losses only, in a statement on Telegram.\n", encoding="utf-8")
    problems, files = check(Config(seeds=tmp_path))
    assert files == 1
    (p,) = problems
    assert p.level == WARNING and "year inferred" in p.problem and "published:" in p.fix


def test_exact_duplicate_text_is_named_as_such(tmp_path):
    (tmp_path / "one.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "two.md").write_text(GOOD.replace("title: Rockets hit base", "title: Other"), encoding="utf-8")
    problems, _ = check(Config(seeds=tmp_path))
    (dup,) = problems
    assert dup.level == WARNING and dup.file.endswith("two.md") and "exact duplicate" in dup.problem


def test_missing_seeds_folder_is_one_line(tmp_path):
    res = CliRunner().invoke(cli, ["check", "--seeds", str(tmp_path / "nope")])
    assert res.exit_code == 1 and "seeds folder not found" in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_a_terminal_gets_a_table(capsys):
    problems = [Problem(ERROR, "seeds/a.txt", "file is empty", "paste the text"),
                Problem(WARNING, "seeds/b.txt", "no actor found [x]", "add an alias")]
    print_report(problems, 2, True, print)
    out = capsys.readouterr().out
    assert "digest check" in out and "no actor found [x]" in out and "─" in out
    assert out.strip().splitlines()[-1] == summary(problems, 2) == "1 error, 1 warning in 2 files checked"


def test_plain_lines_when_not_a_terminal(capsys):
    problems = [Problem(WARNING, "seeds/b.txt", "no actor found", "add an alias")]
    print_report(problems, 1, False, print)
    assert capsys.readouterr().out.splitlines() == [
        "WARNING  seeds/b.txt: no actor found — fix: add an alias", "0 errors, 1 warning in 1 file checked"]
