"""Runs killed before Dagster could record their end (SIGKILL, machine stopped).

Such a run stays STARTED in Dagster's storage for ever and, with `max_concurrent_runs: 1`, holds
the only place of the run queue under `dagster dev`. Every job of socle holds the warehouse lock
(`pipeline.lock`) while it runs, so whoever holds the lock knows that no other run is alive.
"""

from __future__ import annotations

import time

import dagster as dg

from socle.lock import PipelineBusy, pipeline_lock
from socle.settings import Settings

MESSAGE = ("Run interrompu sans fin enregistrée (processus tué ou machine arrêtée) ; constaté par {by}, "
           "qui tenait le verrou de l'entrepôt. Ce run n'a plus rien écrit après son arrêt.")
# a live run takes the lock within seconds of its start: older STARTED runs without it are dead
GRACE_SECONDS = 120


def close_orphaned_runs(instance: dg.DagsterInstance | None, by: str, exclude: str | None = None,
                        started_before: float | None = None) -> list[str]:
    """Mark as failed every STARTED run but `exclude` (started before `started_before`, if given).
    The caller must hold the warehouse lock."""
    if instance is None:
        return []
    records = instance.get_run_records(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
    orphans = [r.dagster_run for r in records if r.dagster_run.run_id != exclude
               and (started_before is None or (r.start_time or 0) < started_before)]
    for run in orphans:
        instance.report_run_failed(run, MESSAGE.format(by=by))
    return [run.run_id for run in orphans]


def close_orphaned_runs_if_idle(instance: dg.DagsterInstance, settings: Settings) -> list[str]:
    """From outside any run (the sensor): runs STARTED more than GRACE_SECONDS ago, closed only if
    the lock is free (nobody runs). The lock is tried only when there is such a run: a live run
    then holds it (and is left alone), or the queue's only place is taken by an orphan, so no
    queued run can be starting at that moment."""
    started_before = time.time() - GRACE_SECONDS
    records = instance.get_run_records(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
    if not any((r.start_time or 0) < started_before for r in records):
        return []
    try:
        with pipeline_lock(settings.lock_file):
            return close_orphaned_runs(instance, "le capteur du dossier de dépôt", started_before=started_before)
    except PipelineBusy:
        return []
