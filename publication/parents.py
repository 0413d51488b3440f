"""Parent columns of the open data (issue #20): the département and région of each row, so that a
user can filter or aggregate without another file.

- `code_region`: the région of a région, département or bassin row, when the territory lies
  entirely within one région (marts.dim_territoires); empty for France and for a bassin spanning
  régions.
- `code_departement`: the département of a département row, and of a bassin lying entirely
  within one département; empty for France, the régions and a bassin spanning départements.
- `departements_bassin`, `regions_bassin` (bassin rows only): every département (région) holding
  communes of the bassin (marts.dim_territoires_appartenance), sorted, separated by `|`: one code
  for a bassin within one département, several (`13|84`) for a bassin that spans départements,
  so that it says so in the row itself.
"""

from __future__ import annotations

import polars as pl

PARENT_COLUMNS = ["code_departement", "code_region", "departements_bassin", "regions_bassin"]
SEPARATOR = "|"


def _joined(column: str) -> pl.Expr:
    return pl.col(column).drop_nulls().unique().sort().str.join(SEPARATOR)


def bassin_lists(dim_territoires: pl.DataFrame, appartenance: pl.DataFrame | None) -> pl.DataFrame:
    """code_territoire (bassin) → departements_bassin, regions_bassin. Without the bridge table (an
    older snapshot), from dim_territoires' own codes (empty for a spanning bassin)."""
    schema = {"code_territoire": pl.String, "departements_bassin": pl.String, "regions_bassin": pl.String}
    if appartenance is not None and {"niveau", "code_territoire", "code_departement", "code_region"} <= set(
            appartenance.columns):
        out = (appartenance.filter(pl.col("niveau") == "bassin")
               .group_by("code_territoire")
               .agg(_joined("code_departement").alias("departements_bassin"),
                    _joined("code_region").alias("regions_bassin")))
    else:
        bassins = dim_territoires.filter(pl.col("niveau") == "bassin")
        out = bassins.select("code_territoire",
                             _col(bassins, "code_departement").alias("departements_bassin"),
                             _col(bassins, "code_region").alias("regions_bassin"))
    return out.select([pl.col(c).cast(t) for c, t in schema.items()]).with_columns(
        [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in list(schema)[1:]])


def _col(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name) if name in frame.columns else pl.lit(None, pl.String)


def parents_of(dim_territoires: pl.DataFrame, appartenance: pl.DataFrame | None = None) -> pl.DataFrame:
    """(niveau, code_territoire) → PARENT_COLUMNS, one row per territory of dim_territoires."""
    terr = dim_territoires.select(
        "niveau", "code_territoire",
        _col(dim_territoires, "code_departement").cast(pl.String).alias("code_departement"),
        _col(dim_territoires, "code_region").cast(pl.String).alias("code_region"))
    terr = terr.with_columns(
        code_departement=pl.when(pl.col("niveau") == "departement").then(pl.col("code_territoire"))
        .when(pl.col("niveau") == "bassin").then(pl.col("code_departement")),
        code_region=pl.when(pl.col("niveau") == "region").then(pl.col("code_territoire"))
        .when(pl.col("niveau").is_in(["departement", "bassin"])).then(pl.col("code_region")))
    lists = bassin_lists(dim_territoires, appartenance).with_columns(niveau=pl.lit("bassin"))
    return terr.join(lists, on=["niveau", "code_territoire"], how="left").select(
        "niveau", "code_territoire", *PARENT_COLUMNS)
