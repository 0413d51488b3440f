"""Helpers of the dashboard tests: the expected masked figures, computed from the snapshot."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

PROJET = Path(__file__).resolve().parents[2]
APP = PROJET / "dashboards" / "app.py"


def seuil_du_seed() -> int:
    """The masking threshold as governed (dbt seed `parametres`)."""
    from socle.parameters import parameter

    return int(parameter("seuil_secret"))


def masque(snapshot: Path, seuil: int | None = None) -> pl.DataFrame:
    """The expected masked figures, computed here from the snapshot with socle.masking."""
    from publication.table import read_indicateurs
    from socle.masking import mask

    with duckdb.connect(str(snapshot), read_only=True) as con:
        brut = read_indicateurs(con)
        terr = con.sql("select niveau, code_territoire, code_region, code_departement from marts.dim_territoires").pl()
        appartenance = con.sql("select * from marts.dim_territoires_appartenance").pl()
    return mask(brut, terr, seuil or seuil_du_seed(), appartenance)


def figure(masked: pl.DataFrame, indicateur: str, niveau: str, code: str, mois) -> dict:
    rows = masked.filter((pl.col("indicateur") == indicateur) & (pl.col("niveau") == niveau)
                         & (pl.col("code_territoire") == code) & (pl.col("mois") == mois))
    assert rows.height == 1, (indicateur, niveau, code, mois)
    return rows.row(0, named=True)
