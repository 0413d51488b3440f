"""cibles.csv: the targets of the monthly figures (pilotage.md, « Targets »), public, not masked.

The rows of marts.cibles, `mois` written `YYYY-MM` like indicateurs.csv, with the labels and the
parent codes of the territory (publication.parents) so that the file joins indicateurs.csv on
(indicateur, niveau, code_territoire, mois) and reads alone. `valeur_cible` is written with the
decimals of its indicator (a rate as a fraction with 4 decimals).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from publication.parents import PARENT_COLUMNS, parents_of
from socle.rounding import round_text_column

MART = "cibles"
COLUMNS = ["indicateur", "libelle_indicateur", "niveau", "code_territoire", "libelle_territoire", "mois",
           "valeur_cible", "sens", "source", *PARENT_COLUMNS]
KEY = ["indicateur", "niveau", "code_territoire", "mois"]
SENS = ["minimum", "maximum"]
FILE = "cibles.csv"


def read_cibles(con) -> pl.DataFrame | None:
    """marts.cibles, or None when the snapshot has no such table (older than the targets)."""
    cur = con.cursor()  # its own cursor: the caller's connection may hold a partly fetched result
    tables = set(cur.execute("select table_schema, table_name from information_schema.tables").fetchall())
    if ("marts", MART) not in tables:
        return None
    return cur.sql(f"select indicateur, niveau, code_territoire, mois, valeur_cible, sens, source "
                   f"from marts.{MART}").pl()


def cibles_table(cibles: pl.DataFrame, dim_indicateurs: pl.DataFrame, dim_territoires: pl.DataFrame,
                 decimals: dict[str, int], appartenance: pl.DataFrame | None = None) -> pl.DataFrame:
    """The text table written as cibles.csv (columns COLUMNS), sorted like indicateurs.csv."""
    from publication.table import NIVEAUX

    order = dim_indicateurs.select("indicateur", pl.col("libelle").alias("libelle_indicateur"),
                                   (pl.col("ordre") if "ordre" in dim_indicateurs.columns else pl.lit(0)).alias("_o"))
    labels = dim_territoires.select("niveau", "code_territoire", "libelle_territoire")
    places = pl.col("indicateur").replace_strict(decimals, default=4, return_dtype=pl.Int64)
    return (cibles.join(order, on="indicateur", how="left")
            .join(labels, on=["niveau", "code_territoire"], how="left")
            .join(parents_of(dim_territoires, appartenance), on=["niveau", "code_territoire"], how="left")
            .with_columns(mois=pl.col("mois").dt.strftime("%Y-%m"),
                          valeur_cible=round_text_column("valeur_cible", places),
                          _n=pl.col("niveau").replace_strict({n: i for i, n in enumerate(NIVEAUX)},
                                                             default=len(NIVEAUX), return_dtype=pl.Int64))
            .sort("_o", "indicateur", "_n", "code_territoire", "mois", nulls_last=True)
            .select([pl.col(c).cast(pl.String) for c in COLUMNS]))


def write_cibles(folder: Path, table: pl.DataFrame) -> Path:
    path = folder / FILE
    table.write_csv(path)
    return path
