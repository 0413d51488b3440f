"""Runs killed before Dagster recorded their end are closed by whoever holds the warehouse lock."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration import orphans
from socle.lock import pipeline_lock
from socle.settings import Settings


@pytest.fixture
def instance(tmp_path):
    (tmp_path / "dagster").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster")) as inst:
        yield inst


def _started_run(instance: dg.DagsterInstance) -> str:
    run = instance.create_run_for_job(job_def=dg.GraphDefinition(name="g", node_defs=[]).to_job(name="pipeline"))
    instance.report_dagster_event(dg.DagsterEvent(dg.DagsterEventType.RUN_START.value, "pipeline"), run.run_id)
    assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.STARTED
    return run.run_id


def _failure_message(instance: dg.DagsterInstance, run_id: str) -> str:
    return next(e.message for e in instance.all_logs(run_id)
                if e.dagster_event and e.dagster_event.event_type == dg.DagsterEventType.RUN_FAILURE)


def test_the_sensor_closes_a_dead_run_when_nobody_holds_the_lock(instance, tmp_path, monkeypatch):
    settings = Settings(landing_dir=tmp_path / "depot", home=tmp_path / "home")
    dead = _started_run(instance)
    assert orphans.close_orphaned_runs_if_idle(instance, settings) == []  # started under 120 s ago
    monkeypatch.setattr(orphans, "GRACE_SECONDS", -1)
    with pipeline_lock(settings.lock_file):  # a run holds the warehouse: it may be this one, alive
        assert orphans.close_orphaned_runs_if_idle(instance, settings) == []
    assert instance.get_run_by_id(dead).status == dg.DagsterRunStatus.STARTED
    assert orphans.close_orphaned_runs_if_idle(instance, settings) == [dead]
    assert instance.get_run_by_id(dead).status == dg.DagsterRunStatus.FAILURE
    assert _failure_message(instance, dead) == (
        "Run interrompu sans fin enregistrée (processus tué ou machine arrêtée) ; constaté par le capteur du "
        "dossier de dépôt, qui tenait le verrou de l'entrepôt. Ce run n'a plus rien écrit après son arrêt.")


def test_a_run_holding_the_lock_closes_every_other_started_run(instance):
    dead, alive = _started_run(instance), _started_run(instance)
    assert orphans.close_orphaned_runs(instance, f"le run {alive}", exclude=alive) == [dead]
    assert instance.get_run_by_id(dead).status == dg.DagsterRunStatus.FAILURE
    assert instance.get_run_by_id(alive).status == dg.DagsterRunStatus.STARTED
    assert f"constaté par le run {alive}," in _failure_message(instance, dead)
