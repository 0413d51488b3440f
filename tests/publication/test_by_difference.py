"""Publication by difference (issue #21): the snapshot, its masked table and the analyst files are
rewritten only when their content changes, and a masked table made by difference equals one made
from scratch."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import polars as pl

from publication_fixture import indicateurs_frame, make_snapshot
from socle import snapshot as snap

THRESHOLD = 11
KEY = ["indicateur", "niveau", "code_territoire", "mois", "ventilation", "modalite"]


def _warehouse(settings) -> None:
    """A working warehouse holding the fixture's marts (the hand-made snapshot's file), and no
    snapshot published yet."""
    path = make_snapshot(settings)
    shutil.copy(path, settings.warehouse)
    path.unlink()
    settings.current_pointer.unlink()


def _publish(settings) -> snap.Published:
    from publication.table import store_masked_table

    with duckdb.connect(str(settings.warehouse)) as con:
        return snap.publish_snapshot(con, settings, complete=lambda c, catalog: store_masked_table(c, catalog, THRESHOLD))


def _masking_summary(path) -> dict:
    import json

    with duckdb.connect(str(path), read_only=True) as con:
        return json.loads(con.execute("select resume from publie.rapport_masquage").fetchone()[0])


def test_an_unchanged_warehouse_publishes_no_new_snapshot(socle_env):
    _warehouse(socle_env)
    first = _publish(socle_env)
    assert first.new and first.path.exists()
    assert (_masking_summary(first.path)["periodes_masquees"], _masking_summary(first.path)["periodes_reprises"]) == (2, 0)
    second = _publish(socle_env)
    assert not second.new and second.path == first.path
    assert second.message == snap.UNCHANGED
    assert sorted(p.name for p in socle_env.snapshots.glob("socle_*.duckdb")) == [first.path.name]
    assert snap.current_snapshot(socle_env) == first.path


def test_a_changed_month_is_masked_again_and_the_others_are_reused(socle_env):
    from publication.table import CELLS, masked_cells, read_indicateurs

    _warehouse(socle_env)
    first = _publish(socle_env).path
    with duckdb.connect(str(socle_env.warehouse)) as con:   # February's figure of Morbihan: 15 → 3 oriented
        con.execute("update marts.indicateurs set numerateur = 3, valeur = 3 / 30 where indicateur = "
                    "'taux_orientation_15j' and code_territoire = '56' and mois = date '2024-02-01'")
    second = _publish(socle_env)
    assert second.new and second.path != first
    summary = _masking_summary(second.path)
    assert (summary["periodes_masquees"], summary["periodes_reprises"]) == (1, 1)
    with duckdb.connect(str(second.path), read_only=True) as con:
        stored = con.sql(f"select {', '.join(CELLS)} from publie.indicateurs_masques").pl()
        fingerprints = dict(con.execute("select periode, empreinte from publie.empreintes_periodes").fetchall())
        indicateurs = read_indicateurs(con)
        scratch = masked_cells(indicateurs, con.sql("select * from marts.dim_territoires").pl(), THRESHOLD,
                               con.sql("select * from marts.dim_territoires_appartenance").pl())
    assert stored.sort(KEY).equals(scratch.sort(KEY))   # exact, every row
    assert sorted(fingerprints) == ["2024-01-01", "2024-02-01"]
    with duckdb.connect(str(first), read_only=True) as con:
        before = dict(con.execute("select periode, empreinte from publie.empreintes_periodes").fetchall())
    assert before["2024-01-01"] == fingerprints["2024-01-01"] and before["2024-02-01"] != fingerprints["2024-02-01"]
    # the changed cell is now a primary secret
    cell = stored.filter((pl.col("indicateur") == "taux_orientation_15j") & (pl.col("code_territoire") == "56")
                         & (pl.col("mois") == date(2024, 2, 1)))
    assert cell["statut"].to_list() == ["secret"]


def _mtimes(folder) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


def test_analyst_files_are_rewritten_only_when_their_rows_change(socle_env):
    from publication.analysts import rebuild_analyst_files

    make_snapshot(socle_env, personnes=True)
    first = rebuild_analyst_files(socle_env)
    assert [p.name for p in first.rebuilt] == ["national.duckdb", "53.duckdb", "93.duckdb"]
    before = _mtimes(socle_env.analysts)
    again = rebuild_analyst_files(socle_env)
    assert again.rebuilt == [] and [p.name for p in again.unchanged] == ["national.duckdb", "53.duckdb", "93.duckdb"]
    assert _mtimes(socle_env.analysts) == before   # not one file rewritten, README included
    # a new snapshot where only Ille-et-Vilaine (35, région 53) changes: its February mean delay
    changed = indicateurs_frame().with_columns(valeur=pl.when(
        (pl.col("code_territoire") == "35") & (pl.col("indicateur") == "delai_orientation_moyen_j")
        & (pl.col("mois") == date(2024, 2, 1))).then(7.6).otherwise(pl.col("valeur")))
    make_snapshot(socle_env, indicateurs=changed, personnes=True)
    third = rebuild_analyst_files(socle_env)
    assert [p.name for p in third.rebuilt] == ["national.duckdb", "53.duckdb"]
    after = _mtimes(socle_env.analysts)
    changed_files = sorted(k for k in after if after[k] != before.get(k))
    assert all(k.startswith(("national", "53")) for k in changed_files) and "93.duckdb" not in changed_files
    assert {"national.duckdb", "53.duckdb"} <= set(changed_files)
    with duckdb.connect(str(socle_env.analysts / "53.duckdb"), read_only=True) as con:
        assert con.execute("select valeur from indicateurs where code_territoire = '35' and mois = date '2024-02-01' "
                           "and indicateur = 'delai_orientation_moyen_j'").fetchone()[0] == 7.6


def test_an_open_data_export_that_changes_no_figure_publishes_nothing_new(socle_env, caplog):
    import logging

    from publication.no_change import NOTHING_NEW
    from publication.opendata import publish_opendata

    make_snapshot(socle_env)
    first = publish_opendata(socle_env, date(2024, 3, 5))
    assert first.new and first.folder.name == "2024-03-05-01"
    make_snapshot(socle_env)   # a new snapshot, the same figures
    with caplog.at_level(logging.INFO, logger="publication.opendata"):
        second = publish_opendata(socle_env, date(2024, 4, 5))
    assert (second.new, second.folder, second.message) == (False, first.folder, NOTHING_NEW)
    assert NOTHING_NEW == "aucun chiffre ne change : rien de nouveau publié"
    assert any(NOTHING_NEW in r.getMessage() for r in caplog.records)
    assert sorted(p.name for p in socle_env.opendata.iterdir()) == ["2024-03-05-01", "latest"]
    assert (socle_env.opendata / "latest").resolve() == first.folder
    assert not list(socle_env.opendata.glob(".construction-*"))
    # a published figure changes: the nation's February stock is now provisional (definitif → provisoire)
    changed = indicateurs_frame().with_columns(
        statut=pl.when((pl.col("code_territoire") == "FR") & (pl.col("indicateur") == "beneficiaires_sdd")
                       & (pl.col("mois") == date(2024, 2, 1))).then(pl.lit("provisoire")).otherwise(pl.col("statut")))
    make_snapshot(socle_env, indicateurs=changed)
    third = publish_opendata(socle_env, date(2024, 4, 5))
    assert third.new and third.folder.name == "2024-04-05-01"
    assert (socle_env.opendata / "latest").resolve() == third.folder
    assert "national,FR,France,2024-02,ensemble,ensemble,485,485,,provisoire," in (third.folder / "indicateurs.csv").read_text(encoding="utf-8")


def test_the_readme_vintage_is_all_that_may_differ():
    from publication.no_change import readme_without_vintage

    a = "# Titre du 5 mars 2024\n\nIntro.\n\n## Millésime\n\n- Publication du 5 mars 2024.\n\n## Fichiers\n\n| x |\n"
    b = "# Titre du 5 avril 2024\n\nIntro.\n\n## Millésime\n\n- Publication du 5 avril 2024.\n\n## Fichiers\n\n| x |\n"
    c = b.replace("| x |", "| y |")
    assert readme_without_vintage(a) == readme_without_vintage(b) == "\nIntro.\n\n## Fichiers\n\n| x |"
    assert readme_without_vintage(c) != readme_without_vintage(a)


def test_the_caches_keep_only_what_the_last_publication_used(snapshot):
    """cache/attaque (the gate's result per period) and cache/masquage_annuel (the yearly inflow
    rows masked, per year) keep what the last publication read or wrote, not every period ever
    published: February's figure of Morbihan changes, so February's and the year's earlier
    entries go; January's stays (its published rows did not change)."""
    from publication import export_opendata

    attaque, annuel = snapshot.home / "cache" / "attaque", snapshot.home / "cache" / "masquage_annuel"
    export_opendata(snapshot, date(2024, 3, 5))
    first = {p.name for p in attaque.glob("*.json")}
    first_years = {p.name for p in annuel.glob("*.parquet")}
    assert (len(first), len(first_years)) == (3, 1)   # 2024-01, 2024-02, 2024; 2024
    changed = ((pl.col("indicateur") == "taux_orientation_15j") & (pl.col("code_territoire") == "56")
               & (pl.col("mois") == date(2024, 2, 1)))
    ind = indicateurs_frame().with_columns(numerateur=pl.when(changed).then(3).otherwise(pl.col("numerateur")),
                                           valeur=pl.when(changed).then(3 / 30).otherwise(pl.col("valeur")))
    make_snapshot(snapshot, indicateurs=ind)
    export_opendata(snapshot, date(2024, 4, 2))
    second = {p.name for p in attaque.glob("*.json")}
    second_years = {p.name for p in annuel.glob("*.parquet")}
    assert (len(second), len(first & second), len(second_years), len(first_years & second_years)) == (3, 1, 1, 0)
