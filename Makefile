# Set-up is part of every target: a fresh clone needs only `make run` or `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CONFIG ?= monitor.toml
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_HOME ?= $(CURDIR)/data/prefect

.PHONY: install run test lint typecheck bench clean screenshots

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	@echo "installing pinned dependencies into $(VENV) (log: $(VENV)/install.log)"
	@( $(BIN)/python -m pip install --upgrade pip && \
	   $(BIN)/python -m pip install -r requirements.lock && \
	   $(BIN)/python -m pip install --no-deps -e . && \
	   $(BIN)/python -m compileall -q src flows ) > $(VENV)/install.log 2>&1 \
	   || { tail -n 40 $(VENV)/install.log; echo "install failed: see $(VENV)/install.log"; exit 1; }
	touch $@

run: install
	@mkdir -p data/prefect
	$(BIN)/monitor --config $(CONFIG) ingest --all
	$(BIN)/monitor --config $(CONFIG) digest

test: install
	@mkdir -p data/prefect
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: install
	@mkdir -p data/prefect
	$(BIN)/python -m bench.run

# PNGs of a digest (DIGEST=path.html, default: the newest in [digest] out_dir) at laptop
# (1366x900) and phone (390x844) widths, next to it; installs Debian's chromium when missing.
screenshots: install
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)
	$(BIN)/python scripts/screenshot_digest.py --config $(CONFIG) --full 4000 $(DIGEST)

clean:
	rm -rf $(VENV) data
