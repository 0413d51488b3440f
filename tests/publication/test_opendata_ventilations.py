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
from publication_fixture import indicateurs_frame, make_snapshot, with_sexe_breakdown

DAY = date(2024, 3, 5)


def test_breakdown_rows_of_the_nation_are_published_masked(socle_env):
    """H is 3 (or the whole quantity when smaller) in every département, so 12 in the nation's
    stock of January (published, with F = 465 − 12 = 453), but 9 entrants of which 9 oriented for
    its orientation rate (primary secret): F, which would give it back, is masked with it."""
    make_snapshot(socle_env, indicateurs=with_sexe_breakdown(indicateurs_frame()))
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
    make_snapshot(socle_env, indicateurs=with_sexe_breakdown(indicateurs_frame()))
    with duckdb.connect() as con:
        con.execute(f"attach '{current_snapshot(socle_env)}' as snap")
        store_masked_table(con, "snap", 11)
        rows = con.execute(f"select ventilation, count(*) from snap.{MASKED_SCHEMA}.{MASKED_TABLE} "
                           "group by ventilation order by ventilation").fetchall()
        con.execute("detach snap")
    assert rows == [("ensemble", 66), ("sexe", 12)]
