"""Resources: the run-wide warehouse lock and the dbt CLI."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version

from orchestration.dbt_project import DBT_EXECUTABLE, socle_dbt
from orchestration.orphans import close_orphaned_runs
from socle.lock import pipeline_lock
from socle.settings import Settings, get_settings


@dg.resource(description="Réglages de socle ; tient le verrou d'écriture de l'entrepôt pendant tout le run.")
def socle(context) -> Settings:
    settings = get_settings()
    with pipeline_lock(settings.lock_file):
        close_orphaned_runs(context.instance, f"le run {context.run_id}", exclude=context.run_id)
        yield settings


class SocleDbtCliResource(DbtCliResource):
    """dagster-dbt learns dbt's version by running `dbt --version`, which asks pypi.org for the
    latest dbt-core and adapters (a call home at every run; seconds lost when offline). The
    installed dbt-core says it without a network."""

    @cached_property
    def _cli_version(self) -> version.Version:
        from dbt.version import __version__

        return version.parse(__version__)


def dbt_resource() -> DbtCliResource:
    executable = DBT_EXECUTABLE if Path(DBT_EXECUTABLE).exists() else "dbt"
    os.environ.setdefault("SOCLE_HOME", str(get_settings().home))
    return SocleDbtCliResource(project_dir=socle_dbt, dbt_executable=executable)
