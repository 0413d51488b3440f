"""The breakdown rows (pilotage.md) of the nation are published, masked with the `ensemble` rows
by the same call (#20); those of the other levels are not published yet.
One reader (publication.table.read_indicateurs) feeds both the open data and the masked table
stored in the snapshot for the dashboards."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from publication import export_opendata
from publication.source import current_snapshot
from publication.table import MASKED_SCHEMA, MASKED_TABLE, store_masked_table
from publication_fixture import TERRITOIRES, indicateurs_frame, make_snapshot

DAY = date(2024, 3, 5)
REGION = {code: region for niveau, code, _l, region, _d in TERRITOIRES if niveau == "departement"}


def _with_breakdown() -> pl.DataFrame:
    """The hand-made mart plus a `sexe` breakdown of every row: in each département, H holds
    min(3, q) of each quantity q and F the rest; a région's and the nation's categories are the
    sums of their départements' (bassins: the département rule, never published)."""
    ind = indicateurs_frame()
    small = lambda c: pl.min_horizontal(pl.col(c), pl.lit(3, pl.Int64))  # noqa: E731
    base = ind.filter(pl.col("niveau").is_in(["departement", "bassin"])).with_columns(
        h_num=small("numerateur"), h_den=small("denominateur"))
    deps = base.filter(pl.col("niveau") == "departement").with_columns(
        code_region=pl.col("code_territoire").replace_strict(REGION))
    regions = deps.group_by("indicateur", "mois", "code_region").agg(pl.col("h_num", "h_den").sum()).rename(
        {"code_region": "code_territoire"}).with_columns(niveau=pl.lit("region"))
    nation = deps.group_by("indicateur", "mois").agg(pl.col("h_num", "h_den").sum()).with_columns(
        code_territoire=pl.lit("FR"), niveau=pl.lit("national"))
    keys = ["indicateur", "niveau", "code_territoire", "mois"]
    h = pl.concat([base.select(*keys, "h_num", "h_den"), regions.select(*keys, "h_num", "h_den"),
                   nation.select(*keys, "h_num", "h_den")])
    null_if = lambda c, h: pl.when(pl.col(c).is_null()).then(None).otherwise(h)  # noqa: E731
    rows = ind.join(h, on=keys, how="left")
    men = rows.with_columns(modalite=pl.lit("H"), numerateur=null_if("numerateur", pl.col("h_num")),
                            denominateur=null_if("denominateur", pl.col("h_den")))
    women = rows.with_columns(modalite=pl.lit("F"), numerateur=pl.col("numerateur") - pl.col("h_num"),
                              denominateur=pl.col("denominateur") - pl.col("h_den"))
    parts = [p.with_columns(ventilation=pl.lit("sexe")).select(ind.columns) for p in (women, men)]
    return pl.concat([ind, *parts])


def test_breakdown_rows_of_the_nation_are_published_masked(socle_env):
    """H is 3 (or the whole quantity when smaller) in every département, so 12 in the nation's
    stock of January (published, with F = 465 − 12 = 453), but 9 entrants of which 9 oriented for
    its orientation rate (primary secret): F, which would give it back, is masked with it."""
    make_snapshot(socle_env, indicateurs=_with_breakdown())
    published = export_opendata(socle_env, DAY)   # the gate (attack included) passed
    table = pl.read_csv(published / "indicateurs.csv", infer_schema=False)
    cats = table.filter(pl.col("ventilation") == "sexe")
    assert table.filter(pl.col("ventilation") == "ensemble").height == 66
    assert cats.height == 12 and set(cats["code_territoire"]) == {"FR"}
    assert set(pl.read_parquet(published / "indicateurs.parquet")["ventilation"]) == {"ensemble", "sexe"}
    january = cats.filter(pl.col("mois") == "2024-01")
    assert sorted(january.select("indicateur", "modalite", "numerateur", "denominateur", "statut").rows()) == [
        ("beneficiaires_sdd", "F", "453", None, "definitif"), ("beneficiaires_sdd", "H", "12", None, "definitif"),
        ("delai_orientation_moyen_j", "F", None, None, "secret"), ("delai_orientation_moyen_j", "H", None, None, "secret"),
        ("taux_orientation_15j", "F", None, None, "secret"), ("taux_orientation_15j", "H", None, None, "secret")]
    readme = (published / "README.md").read_text(encoding="utf-8")
    assert ("les répartitions (ventilations) le sont pour la France" in readme
            and "Celles qui concernent les régions, les départements et les bassins ne sont pas encore publiées." in readme)
    assert "| `sexe` | Sexe | `F` Femmes, `M` Hommes, `inconnu` Non renseigné |" in readme
    # no published breakdown cell shows a count, numerator or denominator between 1 and 10
    shown = cats.filter(pl.col("statut") != "secret").select(
        pl.col("numerateur", "denominateur").cast(pl.Int64)).to_numpy().ravel()
    assert not [v for v in shown if v == v and 1 <= v <= 10]


def test_the_masked_snapshot_table_holds_the_same_rows(socle_env):
    make_snapshot(socle_env, indicateurs=_with_breakdown())
    with duckdb.connect() as con:
        con.execute(f"attach '{current_snapshot(socle_env)}' as snap")
        store_masked_table(con, "snap", 11)
        rows = con.execute(f"select ventilation, count(*) from snap.{MASKED_SCHEMA}.{MASKED_TABLE} "
                           "group by ventilation order by ventilation").fetchall()
        con.execute("detach snap")
    assert rows == [("ensemble", 66), ("sexe", 12)]
