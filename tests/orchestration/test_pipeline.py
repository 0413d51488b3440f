"""The whole pipeline in process: publish, block, sense, share with readers, refuse a second writer."""

from __future__ import annotations


import duckdb
import dagster as dg
import pytest

from orchestration.run import run_pipeline
from socle import snapshot
from socle.lock import pipeline_lock

pytestmark = pytest.mark.slow


def _indicators(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select * from marts.indicateurs order by all").fetchall()


def test_full_run_publishes_then_a_new_month_is_seen_by_a_reader(pipeline_env, small_landing):
    result = run_pipeline(pipeline_env)
    assert result.success
    first = snapshot.current_snapshot(pipeline_env)
    assert first is not None and first.exists()
    reader = duckdb.connect(str(first), read_only=True)  # a dashboard holding the snapshot open
    before = reader.execute("select max(mois) from marts.indicateurs").fetchone()[0]
    # one more month lands
    from synthetic import generate

    extra = pipeline_env.landing_dir.parent / "extra"
    generate(extra, departements=["35", "13"], debut="2024-01", fin="2024-07", seed=7, scale=0.004,
             mess=False, bassins=None)
    for path in extra.rglob("*_2024-07.*"):
        target = pipeline_env.landing_dir / path.relative_to(extra)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    assert run_pipeline(pipeline_env).success  # the open reader did not block the run
    assert reader.execute("select max(mois) from marts.indicateurs").fetchone()[0] == before
    reader.close()
    second = snapshot.current_snapshot(pipeline_env)
    assert second != first
    with duckdb.connect(str(second), read_only=True) as con:
        after = con.execute("select max(mois) from marts.indicateurs").fetchone()[0]
    assert (after.year, after.month) == (2024, 7) and after > before


def test_a_second_writer_is_refused(pipeline_env):
    with pipeline_lock(pipeline_env.lock_file):
        result = run_pipeline(pipeline_env)
    assert not result.success
    assert snapshot.current_snapshot(pipeline_env) is None


def test_sensor_requests_a_run_only_when_the_landing_changes(pipeline_env):
    from orchestration.definitions import defs

    sensor = defs.get_repository_def().get_sensor_def("depot_sensor")
    with dg.instance_for_test() as instance:
        first = sensor.evaluate_tick(dg.build_sensor_context(cursor=None, instance=instance))
        assert len(first.run_requests) == 1
        again = sensor.evaluate_tick(dg.build_sensor_context(cursor=first.cursor, instance=instance))
        assert again.run_requests == [] and again.cursor == first.cursor
        (pipeline_env.landing_dir / "ft" / "reprises_emploi_2024-07.csv").write_text(
            "id_ft,date_embauche,type_contrat,duree_prevue_jours\n", encoding="utf-8")
        third = sensor.evaluate_tick(dg.build_sensor_context(cursor=first.cursor, instance=instance))
        assert len(third.run_requests) == 1 and third.cursor != first.cursor
