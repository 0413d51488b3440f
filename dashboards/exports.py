"""CSV downloads of exactly the figures on screen, masked as on screen.

One long table per block (cards, charts, table of sub-territories), in the open data's columns
(publication.md) plus `bloc` and, for the cards, `role` (the yearly figures of the cards: `bloc`
'annee', `annee` filled and `mois` empty): a masked cell has `statut = secret` and
empty `valeur`, `numerateur`, `denominateur`. Values are written as in the open data's CSV, by the one
function of socle.rounding (`round_text_column`: half-up, to the indicator's `decimales` of
marts.dim_indicateurs: counts as integers, rates as fractions with 4 decimals, delays with 1). UTF-8 with a byte-order mark (so that a spreadsheet opens the
accents right), comma-separated, months as YYYY-MM; text cells that a spreadsheet would run as a
formula (a label starting with `=`, `+`, `-`, `@`…) are neutralised (socle.csv_safety).
"""

from __future__ import annotations

import polars as pl

from dashboards import formatting as fmt
from dashboards.data import Snapshot
from socle.csv_safety import spreadsheet_csv
from socle.rounding import round_text_column

COLONNES = ["bloc", "role", "indicateur", "libelle_indicateur", "niveau", "code_territoire", "libelle_territoire",
            "mois", "annee", "valeur", "numerateur", "denominateur", "statut"]


def table(snapshot: Snapshot, bloc: str, figures: pl.DataFrame) -> pl.DataFrame:
    """Normalise masked figures (with niveau, code_territoire, indicateur, mois or annee, numerateur,
    denominateur, valeur, statut; optional role, libelle_territoire) to the download's columns."""
    df = figures
    if "mois" not in df.columns:
        df = df.with_columns(mois=pl.lit(None, pl.Date))
    if "annee" not in df.columns:
        df = df.with_columns(annee=pl.lit(None, pl.Int64))
    if "role" not in df.columns:
        df = df.with_columns(role=pl.lit(None, pl.String))
    if "libelle_territoire" not in df.columns:
        df = df.join(snapshot.territoires.select("niveau", "code_territoire", "libelle_territoire"),
                     on=["niveau", "code_territoire"], how="left")
    df = df.join(snapshot.indicateurs.select("indicateur", pl.col("libelle").alias("libelle_indicateur"),
                                         "decimales", "ordre"), on="indicateur", how="left")
    secret = pl.col("statut") == fmt.SECRET
    df = df.with_columns(
        bloc=pl.lit(bloc),
        mois=pl.col("mois").dt.strftime("%Y-%m"),
        annee=pl.col("annee").cast(pl.Int64),
        # the open data's text: counts as integers (2245, never 2245.0), rates with 4 decimals, delays with 1
        valeur=pl.when(secret).then(None).otherwise(round_text_column("valeur", "decimales")),
        numerateur=pl.when(secret).then(None).otherwise(pl.col("numerateur").cast(pl.Int64)),
        denominateur=pl.when(secret).then(None).otherwise(pl.col("denominateur").cast(pl.Int64)),
    )
    sort = [c for c in ("ordre", "role", "niveau", "code_territoire", "mois", "annee") if c in df.columns]
    return df.sort(sort, nulls_last=True).select(COLONNES)


def csv(*tables: pl.DataFrame) -> bytes:
    df = pl.concat(tables, how="vertical_relaxed") if tables else pl.DataFrame(schema=dict.fromkeys(COLONNES, pl.String))
    return spreadsheet_csv(df, numbers=("valeur",))  # valeur: numbers as text (round_text_column)
