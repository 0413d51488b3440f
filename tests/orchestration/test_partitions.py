"""Monthly partitions of the warehouse: the keys, the window of a run, the sensor launching just the
changed months, and the dbt vars of a range run (a CLI backfill)."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import dagster as dg
import pytest

from orchestration import mois_a_recalculer
from orchestration.defs.publication.assets import SNAPSHOT
from orchestration.defs.warehouse import partitions
from orchestration.defs.warehouse.jobs import ANALYSTES
from orchestration.definitions import defs

D = dt.date
START, END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"
SEED = dg.AssetKey(["seeds", "modalites_intensives"])


def _fenetre(monkeypatch, window):
    monkeypatch.setattr(mois_a_recalculer, "fenetre", lambda settings: window)


def test_keys_of_the_sample_months_and_the_window_of_a_run():
    mois = partitions.mois_partitions("2024-01")
    keys = mois.get_partition_keys(current_time=dt.datetime(2024, 7, 15))
    assert keys == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07"]
    default = defs.resolve_job_def("entrepot").partitions_def
    assert default.get_partition_keys(current_time=dt.datetime(2025, 3, 10))[:2] == ["2020-01", "2020-02"]
    assert len(default.get_partition_keys(current_time=dt.datetime(2025, 3, 10))) == 63  # 2020-01 … 2025-03
    assert partitions.plage(D(2024, 3, 1), D(2024, 6, 1)) == dg.PartitionKeyRange("2024-03", "2024-06")
    assert partitions.dbt_vars(dg.PartitionKeyRange("2024-03", "2024-06")) == {
        "mois_debut": "2024-03-01", "mois_fin": "2024-06-01"}
    # a delivery older than the first partition: every month, and then no window for dbt
    assert partitions.plage(D(2019, 11, 1), D(2024, 6, 1)) == partitions.tout()
    assert partitions.dbt_vars(partitions.tout()) == {}


def test_the_dbt_assets_are_partitioned_by_month_and_backfilled_in_one_run():
    repo = defs.get_repository_def()
    node = repo.asset_graph.get(dg.AssetKey(["marts", "indicateurs"]))
    assert isinstance(node.partitions_def, dg.MonthlyPartitionsDefinition)
    assert node.backfill_policy == dg.BackfillPolicy.single_run()
    assert repo.asset_graph.get(dg.AssetKey(["raw", "rsa"])).partitions_def is None
    assert repo.asset_graph.get(SNAPSHOT).partitions_def is None
    assert defs.resolve_job_def("ingestion").partitions_def is None
    assert repo.get_sensor_def("depot_sensor").job_name == "ingestion"


def test_a_resent_file_requests_exactly_its_window_and_nothing_changed_skips(monkeypatch):
    from orchestration.defs.warehouse.sensors import requete_mois

    _fenetre(monkeypatch, mois_a_recalculer.Fenetre(D(2024, 3, 1), D(2024, 5, 1), ["orientations 35 2024-03 renvoyée"]))
    request = requete_mois(settings=None, run_key="r1")
    assert isinstance(request, dg.RunRequest)
    assert request.run_key == "r1"
    assert request.tags[START] == "2024-03" and request.tags[END] == "2024-05"
    assert request.tags["socle/motifs"] == "orientations 35 2024-03 renvoyée"
    _fenetre(monkeypatch, None)
    skip = requete_mois(settings=None)
    assert isinstance(skip, dg.SkipReason) and "aucun mois à recalculer" in skip.skip_message


def test_the_month_sensor_answers_a_successful_ingestion_with_the_window(monkeypatch):
    _fenetre(monkeypatch, mois_a_recalculer.Fenetre(D(2024, 6, 1), D(2024, 6, 1), ["nouveau mois"]))
    sensor = defs.get_repository_def().get_sensor_def("mois_sensor")
    with dg.instance_for_test() as instance:
        run = instance.create_run_for_job(job_def=defs.resolve_job_def("ingestion"))
        event = dg.DagsterEvent(dg.DagsterEventType.RUN_SUCCESS.value, "ingestion")
        context = dg.build_run_status_sensor_context(sensor_name="mois_sensor", dagster_event=event,
                                                     dagster_instance=instance, dagster_run=run)
        request = sensor(context)
    assert request.run_key == run.run_id
    assert (request.tags[START], request.tags[END]) == ("2024-06", "2024-06")
    assert sensor.job_name == "entrepot"


class _Result(SimpleNamespace):
    all_events: list = []


def test_run_is_ingestion_then_the_warehouse_on_the_window(pipeline_env, monkeypatch):
    from orchestration import run

    calls = []

    def execute(job_name, log_level, tags=None, asset_selection=None):
        calls.append((job_name, tags, asset_selection))
        return _Result(success=True, run_id=str(len(calls)))

    monkeypatch.setattr(run, "_execute", execute)
    _fenetre(monkeypatch, mois_a_recalculer.Fenetre(D(2024, 2, 1), D(2024, 4, 1), ["renvoi"]))
    result = run.run_pipeline(pipeline_env)
    assert calls == [("ingestion", None, None), ("entrepot", {START: "2024-02", END: "2024-04"}, None)]
    assert result.success and result.mois == dg.PartitionKeyRange("2024-02", "2024-04") and result.run_id == "2"

    calls.clear()
    _fenetre(monkeypatch, None)  # nothing changed: the snapshot and analyst files only, no dbt
    result = run.run_pipeline(pipeline_env)
    assert calls == [("ingestion", None, None), ("entrepot", None, [SNAPSHOT, ANALYSTES])] and result.mois is None

    calls.clear()
    monkeypatch.setenv("SOCLE_TOUT_RECALCULER", "1")
    result = run.run_pipeline(pipeline_env)
    monkeypatch.delenv("SOCLE_TOUT_RECALCULER")
    first, last = partitions.tout().start, partitions.tout().end
    assert calls[1] == ("entrepot", {START: first, END: last, "socle/tout_recalculer": "1"}, None)

    calls.clear()
    monkeypatch.setattr(run, "_execute", lambda *a, **k: calls.append(a[0]) or _Result(success=False, run_id="x"))
    assert not run.run_pipeline(pipeline_env).success and calls == ["ingestion"]  # no warehouse after a failure


def _dbt_args(settings) -> dict:
    return json.loads((settings.home / "dbt" / "target" / "run_results.json").read_text())["args"]


@pytest.mark.slow
def test_a_cli_backfill_of_two_months_builds_them_with_their_vars(pipeline_env, monkeypatch, capsys):
    """`recalculer --de 2024-03 --a 2024-04`: one run on the two partitions, dbt called with exactly
    their window (on one seed: dbt's own work is the same code path, without the minutes)."""
    from orchestration import cli, run

    real = run._execute
    monkeypatch.setattr(run, "_execute", lambda job, level, tags=None, asset_selection=None:
                        real(job, level, tags=tags, asset_selection=[SEED]))
    recorded = []
    _fenetre(monkeypatch, mois_a_recalculer.Fenetre(D(2024, 1, 1), D(2024, 6, 1), ["premier build"]))
    monkeypatch.setattr(mois_a_recalculer, "memoriser", lambda settings: recorded.append(settings))
    monkeypatch.chdir(pipeline_env.home.parent)
    cli.main(["recalculer", "--de", "2024-03", "--a", "2024-04"])
    out = capsys.readouterr().out
    args = _dbt_args(pipeline_env)
    assert args["vars"] == {"mois_debut": "2024-03-01", "mois_fin": "2024-04-01"}
    assert not args.get("full_refresh")
    assert "mois recalculés : 2024-03 à 2024-04" in out
    assert recorded == []  # the ledger's window (2024-01 → 2024-06) is wider: still to rebuild
    instance = dg.DagsterInstance.get()
    assert instance.get_materialized_partitions(SEED) == {"2024-03", "2024-04"}
    [record] = instance.get_runs(filters=dg.RunsFilter(job_name="entrepot"))
    assert (record.tags[START], record.tags[END]) == ("2024-03", "2024-04")

    # every month, rebuilt from scratch: no window, --full-refresh, and the build is recorded
    assert run.run_warehouse(pipeline_env, partitions.tout(), tout_recalculer=True).success
    args = _dbt_args(pipeline_env)
    assert args["vars"] == {} and args["full_refresh"] is True
    assert recorded == [pipeline_env]
    assert len(instance.get_materialized_partitions(SEED)) == len(partitions.MOIS.get_partition_keys())


def test_cli_backfill_refuses_a_reversed_or_malformed_range(pipeline_env, capsys):
    from orchestration import cli

    with pytest.raises(SystemExit) as reversed_:
        cli.main(["recalculer", "--de", "2024-06", "--a", "2024-03"])
    assert "--de 2024-06 est après --a 2024-03" in str(reversed_.value)
    with pytest.raises(SystemExit):
        cli.main(["recalculer", "--de", "mars", "--a", "2024-03"])
    assert "mois attendu au format AAAA-MM" in capsys.readouterr().err


def test_the_transformation_line_says_which_months_were_rebuilt():
    from orchestration.progress import months_text

    assert months_text(dg.PartitionKeyRange("2024-03", "2024-06"), True) == " ; mois recalculés : 2024-03 à 2024-06"
    assert months_text(None, True) == " ; aucun mois recalculé (aucune livraison nouvelle ou renvoyée)"
    assert months_text(None, False) == ""  # the ingestion failed: no warehouse run to speak of
