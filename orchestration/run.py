"""Run the whole pipeline in process (no server): what `make run` does."""

from __future__ import annotations

import dagster as dg

from socle.dagster_home import prepare
from socle.settings import Settings


def run_pipeline(settings: Settings, log_level: str = "WARNING", job_name: str = "pipeline"
                 ) -> dg.ExecuteInProcessResult:
    prepare(settings)
    from orchestration.definitions import defs

    job = defs.resolve_job_def(job_name)
    return job.execute_in_process(
        instance=dg.DagsterInstance.get(), raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}})
