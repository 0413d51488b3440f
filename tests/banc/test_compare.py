"""benchmarks/compare.py: every row (all breakdowns) on the full key, agreement per indicator."""

from __future__ import annotations

import duckdb

from benchmarks.compare import compare

COLS = "indicateur, niveau, code_territoire, mois, ventilation, modalite, numerateur, denominateur, valeur, statut"


def test_compare_every_breakdown_row(tmp_path):
    snap = tmp_path / "snap.duckdb"
    con = duckdb.connect(str(snap))
    con.execute("create schema marts")
    con.execute(f"""create table marts.indicateurs as select * from (values
        ('beneficiaires_sdd', 'national', 'FR', date '2024-03-01', 'ensemble', 'ensemble', 4::bigint, null::bigint, 4.0, 'definitif'),
        ('beneficiaires_sdd', 'national', 'FR', date '2024-03-01', 'sexe', 'F', 1, null, 1.0, 'definitif'),
        ('beneficiaires_sdd', 'national', 'FR', date '2024-03-01', 'sexe', 'M', 3, null, 3.0, 'definitif'),
        ('part_accompagnement_intensif', 'national', 'FR', date '2024-03-01', 'ensemble', 'ensemble', 1, 4, 0.25, 'definitif'),
        ('part_accompagnement_intensif', 'national', 'FR', date '2024-03-01', 'sexe', 'F', 0, 1, 0.0, 'definitif'),
        ('part_accompagnement_intensif', 'national', 'FR', date '2024-03-01', 'sexe', 'M', null, 0, null, 'definitif')
    ) as t({COLS})""")
    con.close()
    floor = tmp_path / "floor.parquet"
    duckdb.execute(f"""copy (select * from (values
        ('beneficiaires_sdd', 'national', 'FR', date '2024-03-01', 'ensemble', 'ensemble', 4::bigint, null::bigint, 4.0, 'definitif'),
        ('beneficiaires_sdd', 'national', 'FR', date '2024-03-01', 'sexe', 'F', 1, null, 1.0, 'definitif'),
        ('beneficiaires_sdd', 'national', 'FR', date '2024-03-01', 'sexe', 'M', 2, null, 2.0, 'definitif'),
        ('part_accompagnement_intensif', 'national', 'FR', date '2024-03-01', 'ensemble', 'ensemble', 1, 4, 0.25, 'definitif'),
        ('part_accompagnement_intensif', 'national', 'FR', date '2024-03-01', 'sexe', 'F', 0, 1, 0.0, 'provisoire'),
        ('part_accompagnement_intensif', 'national', 'FR', date '2024-03-01', 'sexe', 'M', null, 0, null, 'definitif'),
        ('part_stock_oriente', 'national', 'FR', date '2024-03-01', 'ensemble', 'ensemble', 3, 4, 0.75, 'definitif')
    ) as t({COLS})) to '{floor.as_posix()}' (format parquet)""")

    r = compare(floor, snap)

    assert (r["rows_compared"], r["rows_in_both"], r["rows_only_in_floor"], r["rows_only_in_pipeline"]) == (7, 6, 1, 0)
    assert (r["rows_with_count_differences"], r["rows_with_value_differences"],
            r["rows_with_status_differences"]) == (1, 1, 1)
    assert r["identical"] is False and r["identical_on_rows_in_both"] is False
    per = {d["indicateur"]: d for d in r["per_indicator"]}
    assert (per["beneficiaires_sdd"]["rows_in_both"], per["beneficiaires_sdd"]["agreeing"],
            per["beneficiaires_sdd"]["count_differences"]) == (3, 2, 1)
    assert (per["part_accompagnement_intensif"]["agreeing"], per["part_accompagnement_intensif"]["status_differences"]) == (2, 1)
    assert (per["part_stock_oriente"]["rows_only_in_floor"], per["part_stock_oriente"]["agreeing"]) == (1, 0)
    assert per["beneficiaires_sdd"]["ventilations"] == "ensemble,sexe"
    assert r["differences_by_indicator"] == [
        {"indicateur": "beneficiaires_sdd", "niveau": "national", "rows": 3, "differences": 1},
        {"indicateur": "part_accompagnement_intensif", "niveau": "national", "rows": 3, "differences": 1},
        {"indicateur": "part_stock_oriente", "niveau": "national", "rows": 1, "differences": 1}]
    assert [n["indicateur"] for n in r["national_last_month"]] == [
        "beneficiaires_sdd", "part_accompagnement_intensif", "part_stock_oriente"]
