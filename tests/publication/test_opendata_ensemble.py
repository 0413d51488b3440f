"""The publication publishes only the `ensemble` rows of marts.indicateurs for now: breakdown rows
wait for their masking (#20). One reader (publication.table.read_indicateurs) feeds both the open
data and the masked table stored in the snapshot for the dashboards."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from publication import export_opendata
from publication.source import current_snapshot
from publication.table import MASKED_SCHEMA, MASKED_TABLE, store_masked_table
from publication_fixture import indicateurs_frame, make_snapshot

DAY = date(2024, 3, 5)


def _with_breakdown() -> pl.DataFrame:
    """The hand-made mart plus breakdown rows (sexe = F / H) for every ensemble row, one of them
    holding a small count (3) that no public file may show."""
    ind = indicateurs_frame()
    women = ind.with_columns(ventilation=pl.lit("sexe"), modalite=pl.lit("F"),
                             numerateur=pl.col("numerateur") // 2 + 3)
    men = ind.with_columns(ventilation=pl.lit("sexe"), modalite=pl.lit("H"), numerateur=pl.lit(3, pl.Int64))
    return pl.concat([ind, women, men])


def test_breakdown_rows_are_not_published_yet(socle_env):
    make_snapshot(socle_env)
    plain = (export_opendata(socle_env, DAY) / "indicateurs.csv").read_bytes()
    make_snapshot(socle_env, indicateurs=_with_breakdown())
    published = export_opendata(socle_env, DAY)
    table = pl.read_csv(published / "indicateurs.csv", infer_schema=False)
    assert table.height == 66
    assert set(table["ventilation"]) == {"ensemble"} and set(table["modalite"]) == {"ensemble"}
    assert (published / "indicateurs.csv").read_bytes() == plain  # the breakdown rows change nothing
    assert pl.read_parquet(published / "indicateurs.parquet")["ventilation"].unique().to_list() == ["ensemble"]


def test_the_masked_snapshot_table_holds_only_ensemble_rows(socle_env):
    make_snapshot(socle_env, indicateurs=_with_breakdown())
    with duckdb.connect() as con:
        con.execute(f"attach '{current_snapshot(socle_env)}' as snap")
        store_masked_table(con, "snap", 11)
        rows = con.execute(f"select ventilation, count(*) from snap.{MASKED_SCHEMA}.{MASKED_TABLE} "
                           "group by ventilation").fetchall()
        con.execute("detach snap")
    assert rows == [("ensemble", 66)]
