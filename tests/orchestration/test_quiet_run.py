"""A quiet `python -m orchestration run`: a line per step, the journal, and nothing redone when
nothing changed (issue 19)."""

from __future__ import annotations

import datetime as dt
import json
import sys

import duckdb
import polars as pl
import pytest

from orchestration import journal, progress, unchanged


def test_the_journal_gets_everything_printed_and_the_console_only_what_is_said(tmp_path, capsys):
    with journal.quiet(tmp_path / "logs") as console:
        print("ligne de dbt")
        print("alerte Dagster", file=sys.stderr)
        console.say("Ingestion : 2 fichiers déposés")
        with journal.to_console(console):
            print("Livraisons : 2 acceptées")
    out = capsys.readouterr().out
    assert out == "Ingestion : 2 fichiers déposés\nLivraisons : 2 acceptées\n"
    assert console.path.parent == tmp_path / "logs" and console.path.name.startswith("run-")
    assert console.path.read_text(encoding="utf-8") == (
        "ligne de dbt\nalerte Dagster\nIngestion : 2 fichiers déposés\nLivraisons : 2 acceptées\n")


def test_journal_names_are_stamped_and_never_reuse_an_old_one(tmp_path):
    now = dt.datetime(2026, 12, 7, 1, 45, 3, tzinfo=dt.timezone.utc)
    first = journal.journal_path(tmp_path, now)
    assert first.name == "run-20261207T014503Z.log"
    first.write_text("ancien")
    assert journal.journal_path(tmp_path, now).name == "run-20261207T014503Z-2.log"


def _ledger(rows):
    con = duckdb.connect()
    con.execute("create schema raw; create table raw.livraisons (id_livraison varchar, statut varchar, "
                "lignes_quarantaine bigint)")
    con.executemany("insert into raw.livraisons values (?, ?, ?)", rows)
    return con


def test_ingestion_line_counts_only_the_files_of_this_run():
    con = _ledger([("a", "acceptee", 3), ("b", "acceptee", 5), ("c", "rejetee", None), ("d", "acceptee", 0)])
    assert progress.ingestion_line(con, {"a"}) == (
        "Ingestion : 3 fichiers déposés, 2 acceptés, 1 rejeté, 5 lignes en quarantaine")
    assert progress.ingestion_line(con, {"a", "b", "c", "d"}) == (
        "Ingestion : 0 fichier déposé, 0 accepté, 0 rejeté, 0 ligne en quarantaine")


def test_transformation_line_reads_dbt_run_results(tmp_path):
    results = [{"unique_id": "model.socle.a", "status": "success"}, {"unique_id": "model.socle.b", "status": "success"},
               {"unique_id": "seed.socle.s", "status": "success"}, {"unique_id": "test.socle.t1", "status": "pass"},
               {"unique_id": "test.socle.t2", "status": "warn"}, {"unique_id": "unit_test.socle.u", "status": "pass"},
               {"unique_id": "test.socle.t3", "status": "fail"}]
    path = tmp_path / "run_results.json"
    path.write_text(json.dumps({"results": results}))
    assert progress.transformation_line(path, since=0) == (
        "Transformation : 2 modèles dbt construits, 1 référentiel chargé, 1 test passé, 1 test unitaire passé, "
        "1 test en avertissement, 1 échec")
    assert progress.transformation_line(path, since=path.stat().st_mtime + 10) == (
        "Transformation : dbt n'a pas été exécuté")


def test_the_fingerprint_changes_with_a_landed_file_and_with_the_key(pipeline_env, monkeypatch):
    start = unchanged.inputs(pipeline_env)
    assert unchanged.inputs(pipeline_env) == start
    first = unchanged.fingerprint(pipeline_env, start)
    (pipeline_env.landing_dir / "ft" / "reprises_emploi_2024-07.csv").write_text("id_ft\n", encoding="utf-8")
    assert unchanged.inputs(pipeline_env) != start
    monkeypatch.setenv("SOCLE_PSEUDO_KEY", "autre-cle")
    assert unchanged.fingerprint(pipeline_env, start) != first


def test_no_skip_without_a_published_snapshot_nor_after_a_run_started(pipeline_env):
    current = unchanged.fingerprint(pipeline_env, unchanged.inputs(pipeline_env))
    pipeline_env.home.mkdir(parents=True)
    unchanged.remember(pipeline_env, current)
    assert unchanged.last_unchanged_run(pipeline_env, current) is None  # nothing published
    unchanged.forget(pipeline_env)
    assert not (pipeline_env.home / "dernier_run.json").exists()


def _repeat_keys(path, share_of_copies: int = 3) -> tuple[int, int]:
    """Append copies of the first rows of a CSV file (same key: the last row wins, the earlier ones are
    quarantined as cle_dupliquee); return (rows read, rows quarantined)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = lines[1:]
    copies = rows[: len(rows) // share_of_copies + 1]
    path.write_text("\n".join([lines[0], *rows, *copies]) + "\n", encoding="utf-8")
    return len(rows) + len(copies), len(copies)



@pytest.mark.slow
def test_a_quiet_run_of_a_messy_landing_then_a_second_one_with_nothing_new(pipeline_env, capsys, monkeypatch):
    """One run as an operator sees it: a line per step, the journal, then nothing redone when nothing
    changed (issue 19). Its landing has a messy producer (issue 16, finding 8): where several
    orientation files of one département repeat a key in more than a fifth of their rows (the
    contract: last row wins, earlier rows quarantined), the check part_quarantaine used to block the
    run before dbt: no figure of any territory was updated. It is a warning now: the run publishes
    every territory, and the run summary, the open-data manifest (and the quality page,
    tests/dashboards) name the file, the share and the rule."""
    from orchestration import cli
    from socle import snapshot

    messy = {}
    for month in ("2024-03", "2024-04", "2024-05", "2024-06"):
        path = pipeline_env.landing_dir / "departements" / "35" / f"orientations_{month}.csv"
        messy[f"departements/35/orientations_{month}.csv"] = _repeat_keys(path)
    assert all(q / n > 0.2 for n, q in messy.values())
    quarantined = sum(q for _, q in messy.values())

    monkeypatch.chdir(pipeline_env.home.parent)  # cli.main changes the working directory
    cli.main(["run"])  # a failed run exits (SystemExit): the test would fail
    out = capsys.readouterr().out
    lines = out.splitlines()
    results = json.loads((pipeline_env.home / "dbt" / "target" / "run_results.json").read_text())["results"]
    models = sum(1 for r in results if r["unique_id"].startswith("model."))
    tests = sum(1 for r in results if r["unique_id"].startswith("test.") and r["status"] == "pass")
    with duckdb.connect(str(pipeline_env.warehouse), read_only=True) as con:
        landed = con.execute("select count(*) from raw.livraisons").fetchone()[0]
    assert lines[0] == (f"Ingestion : {landed} fichiers déposés, {landed} acceptés, 0 rejeté, "
                        f"{quarantined} lignes en quarantaine")
    assert lines[1].startswith(f"Transformation : {models} modèles dbt construits, ")
    assert f", {tests} tests passés" in lines[1] and lines[1].endswith(" ; mois recalculés : 2024-01 à 2024-06")
    assert lines[2].startswith("Contrôles : ")
    assert lines[3].startswith("Publication : instantané socle_") and str(pipeline_env.opendata) in lines[3]
    assert "OK created sql" not in out and "Context impl" not in out and "dagster - " not in out
    assert "Indicateurs nationaux du dernier mois calculé" in out
    logs = list((pipeline_env.home / "logs").glob("run-*.log"))
    assert len(logs) == 1 and lines[-1] == f"Journal complet : {logs[0]}"
    text = logs[0].read_text(encoding="utf-8")
    # dbt's own lines (alembic's too outside pytest, whose handlers take the root logger's records)
    assert text.count("OK created sql") == models and lines[1] in text
    snap = (pipeline_env.snapshots / "CURRENT").read_text()

    # the messy producer's file warned, and every territory was published
    published = snapshot.current_snapshot(pipeline_env)
    with duckdb.connect(str(published), read_only=True) as con:
        territories = {r[0] for r in con.execute(
            "select distinct code_territoire from marts.indicateurs where niveau = 'departement' "
            "and mois = '2024-06-01'").fetchall()}
    assert {"35", "13"} <= territories  # every territory's figures, the messy producer's included
    assert "Avertissements qualité (4 fichiers" in out, out
    for name, (n, q) in messy.items():
        line = next(l for l in lines if name in l)
        assert f"{100 * q / n:.1f}".replace(".", ",") + " % des lignes en quarantaine" in line, line
        assert f"cle_dupliquee ({q} ligne" in line, line
    manifest = json.loads((pipeline_env.opendata / "latest" / "manifest.json").read_text(encoding="utf-8"))
    flagged = {w["fichier"]: w for w in manifest["avertissements_qualite"]}
    assert set(flagged) == set(messy)
    for name, (n, q) in messy.items():
        assert flagged[name]["part"] == round(q / n, 4) and flagged[name]["regles"][0] == {
            "regle": "cle_dupliquee", "lignes": q}
    # the gate did not attack again the months and years that the masking had just masked (issue #21)
    attack = json.loads((pipeline_env.opendata / "latest" / "validation" / "attaque.json").read_text(encoding="utf-8"))
    months = pl.read_parquet(pipeline_env.opendata / "latest" / "indicateurs.parquet")["mois"].n_unique()
    assert (attack["exposees"], attack["periodes_attaquees"], attack["periodes_reprises"]) == (0, 0, months)
    assert (attack["annuels"]["exposees"], attack["annuels"]["periodes_attaquees"]) == (0, 0)

    cli.main(["run"])
    again = capsys.readouterr().out.splitlines()
    assert again[0].startswith("Rien de nouveau depuis le dernier run (")
    assert again[0].endswith(") : aucun chiffre ne change.")
    assert (pipeline_env.snapshots / "CURRENT").read_text() == snap
    assert len(list((pipeline_env.home / "logs").glob("run-*.log"))) == 1
