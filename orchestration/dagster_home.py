"""Prepare DAGSTER_HOME under $SOCLE_HOME: no telemetry, one run at a time."""

from __future__ import annotations

import os

from socle.settings import Settings

DAGSTER_YAML = """\
telemetry:
  enabled: false
run_queue:
  max_concurrent_runs: 1
"""


def prepare(settings: Settings) -> None:
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    (settings.dagster_home / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(settings.dagster_home)
    os.environ.setdefault("SOCLE_HOME", str(settings.home))
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ["DBT_LOG_PATH"] = str(settings.logs / "dbt")
