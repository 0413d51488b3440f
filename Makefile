# socle — `make run` runs the pipeline on the sample, `make test` runs the tests.
# Both set everything up first on a fresh machine.
#
# `make run` reads data/echantillon: data/sample's three départements, fifteen months and producers'
# mess at ten times its scale (about 26,000 CAF rows a month), generated at the first `make run`
# (deterministic: seed 42, about 2 s; 35 MB, so not committed). The tests read data/sample.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | sha1sum | cut -c1-12)
DSFR_FONT := dashboards/static/node_modules/@gouvfr/dsfr/dist/fonts/Marianne-Regular.woff2
ECHANTILLON := data/echantillon

export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
export SPARK_LOCAL_IP := 127.0.0.1

.PHONY: run test install system-deps dsfr dbt-parse bench dashboard dagster clean

run: install $(ECHANTILLON).manifest.json
	SOCLE_LANDING_DIR=$(ECHANTILLON) $(PY) -m orchestration run

$(ECHANTILLON).manifest.json: | $(STAMP)
	$(PY) -m synthetic --out $(ECHANTILLON) --scale 0.2 --mess --seed 42 --force --manifest $@.tmp > /dev/null
	mv $@.tmp $@

test: install system-deps
	$(PY) -m pytest

install: $(STAMP) dbt-parse

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv pip install --quiet --python $(PY) --compile-bytecode -r requirements.txt
	$(VENV)/bin/uv pip install --quiet --python $(PY) --compile-bytecode --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $@

# dagster-dbt needs the manifest before the definitions import.
dbt-parse: $(STAMP)
	cd dbt_project && ../$(VENV)/bin/dbt parse --quiet --profiles-dir .

# Debian's chromium for the browser test (never a downloaded browser), axe-core (exact pin in
# tests/dashboards/axe/package.json and its lock file) that the browser test injects in the pages,
# and the DSFR's Marianne font that the dashboards serve (dashboards/static).
system-deps:
	@command -v chromium > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; }
	@command -v npm > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm > /dev/null; }
	@test -f tests/dashboards/axe/node_modules/axe-core/axe.min.js || npm ci --prefix tests/dashboards/axe --no-audit --no-fund --ignore-scripts --silent
	@$(MAKE) --no-print-directory dsfr

# The DSFR package (exact pin in dashboards/static/package.json and its lock file): its Marianne font,
# served by Streamlit from dashboards/static (.streamlit/config.toml). Without npm, the dashboards
# fall back to Arial.
dsfr:
	@test -f $(DSFR_FONT) || ! command -v npm > /dev/null || npm ci --prefix dashboards/static --no-audit --no-fund --ignore-scripts --silent

dashboard: install dsfr
	$(PY) -m orchestration dashboard

dagster: install $(ECHANTILLON).manifest.json
	SOCLE_LANDING_DIR=$(ECHANTILLON) $(PY) -m orchestration dagster

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf var $(ECHANTILLON) $(ECHANTILLON).manifest.json
