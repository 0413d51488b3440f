"""The dbt project as Dagster sees it (its own module: the manifest must exist before import)."""

from __future__ import annotations

import os

from dagster_dbt import DbtProject

from socle.settings import DBT_PROJECT_DIR, PROJECT_DIR

# Runs write their artefacts to one place instead of a new folder per run.
os.environ.setdefault("DBT_TARGET_PATH", str(DBT_PROJECT_DIR / "target"))
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

socle_dbt = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR,
                       target_path=DBT_PROJECT_DIR / "target")
DBT_EXECUTABLE = str(PROJECT_DIR / ".venv" / "bin" / "dbt")
