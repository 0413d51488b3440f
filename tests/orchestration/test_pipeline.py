"""The whole pipeline in process: publish, block, sense, share with readers, refuse a second writer."""

from __future__ import annotations

import json

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


def _repeat_keys(path, share_of_copies: int = 3) -> tuple[int, int]:
    """Append copies of the first rows of a CSV file (same key: the last row wins, the earlier ones are
    quarantined as cle_dupliquee); return (rows read, rows quarantined)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = lines[1:]
    copies = rows[: len(rows) // share_of_copies + 1]
    path.write_text("\n".join([lines[0], *rows, *copies]) + "\n", encoding="utf-8")
    return len(rows) + len(copies), len(copies)


def test_a_messy_producer_file_warns_and_the_run_publishes(pipeline_env, capsys, monkeypatch):
    """Issue 16, finding 8: where several orientation files of one département repeat a key in more
    than a fifth of their rows (the contract: last row wins, earlier rows quarantined), the check
    part_quarantaine used to block the run before dbt: no figure of any territory was updated. It is
    a warning now: the run publishes every territory, and the run summary, the open-data manifest
    (and the quality page, tests/dashboards) name the file, the share and the rule."""
    from orchestration import cli

    messy = {}
    for month in ("2024-03", "2024-04", "2024-05", "2024-06"):
        path = pipeline_env.landing_dir / "departements" / "35" / f"orientations_{month}.csv"
        messy[f"departements/35/orientations_{month}.csv"] = _repeat_keys(path)
    assert all(q / n > 0.2 for n, q in messy.values())
    monkeypatch.chdir(pipeline_env.home.parent)  # cli.main changes the working directory: restored after
    cli.main(["run"])  # a failed run exits (SystemExit): the test would fail
    out = capsys.readouterr().out
    published = snapshot.current_snapshot(pipeline_env)
    assert published is not None
    with duckdb.connect(str(published), read_only=True) as con:
        territories = {r[0] for r in con.execute(
            "select distinct code_territoire from marts.indicateurs where niveau = 'departement' "
            "and mois = '2024-06-01'").fetchall()}
    assert {"35", "13"} <= territories  # every territory's figures, the messy producer's included
    assert "Avertissements qualité (4 fichiers" in out, out
    for name, (n, q) in messy.items():
        line = next(l for l in out.splitlines() if name in l)
        assert f"{100 * q / n:.1f}".replace(".", ",") + " % des lignes en quarantaine" in line, line
        assert f"cle_dupliquee ({q} ligne" in line, line
    manifest = json.loads((pipeline_env.opendata / "latest" / "manifest.json").read_text(encoding="utf-8"))
    flagged = {w["fichier"]: w for w in manifest["avertissements_qualite"]}
    assert set(flagged) == set(messy)
    for name, (n, q) in messy.items():
        assert flagged[name]["part"] == round(q / n, 4) and flagged[name]["regles"][0] == {
            "regle": "cle_dupliquee", "lignes": q}


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
