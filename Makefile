# Two commands for a new user: `make site` and `make test`. Each sets up .venv itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: site test serve golden eval clean

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "digest needs Python 3.11 or newer")'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

site: $(STAMP)  ## build the site from seeds/ into site/
	$(BIN)/digest build

serve: $(STAMP)  ## preview on http://127.0.0.1:8000 with live reload
	$(BIN)/digest serve

test: $(STAMP)  ## every test (exit 5, "no tests collected", counts as a failure)
	$(BIN)/python -m pytest -q -p no:cacheprovider; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; fi; exit $$rc

golden: $(STAMP)  ## refresh the golden pages after an intended change; review the diff
	DIGEST_REFRESH_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

eval: $(STAMP)  ## score the extractors on tests/eval/ against the pinned floors
	$(BIN)/digest eval

clean:
	rm -rf site .cache
