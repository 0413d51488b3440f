"""Row checks: pandera on the typed frame, then the duplicated-key rule."""

from __future__ import annotations

from datetime import date

import pandera.polars as pa
import polars as pl

from ingestion.readers import LINE
from ingestion.schemas import Kind, pandera_schema

_RULES = {"not_nullable": "valeur_obligatoire_vide"}
FAILURE_SCHEMA = {LINE: pl.Int64, "colonne": pl.String, "valeur": pl.String, "regle": pl.String}


def check_values(typed: pl.DataFrame, kind: Kind, max_date: date) -> pl.DataFrame:
    """Failures [ligne, colonne, valeur, regle] of the pandera schema, one per failing cell."""
    try:
        pandera_schema(kind, max_date).validate(typed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.filter(pl.col("index").is_not_null())
        unexpected = exc.failure_cases.filter(pl.col("index").is_null())
        if unexpected.height:
            raise RuntimeError(f"schema {kind.name} failed as a whole: {unexpected['check'].to_list()}")
        rows = typed.with_row_index("index").select(pl.col("index").cast(pl.Int32), LINE)
        return (cases.join(rows, on="index")
                .select(LINE, pl.col("column").alias("colonne"), pl.col("failure_case").alias("valeur"),
                        pl.col("check").replace(_RULES).alias("regle")))
    return pl.DataFrame(schema=FAILURE_SCHEMA)
