"""The masking socle used before issue 16, kept for the tests as a deliberately weak masking:
the attack of socle.attack must recover secret figures from what it publishes.


Primary: a cell is secret when its count (counts), numerator or denominator
(rates, delays) is between 1 and threshold − 1. Secondary: in each additive
group — départements of a région, régions of the nation, bassins of the
nation — when a published total sits over exactly one masked cell, the next
smallest published cell of the group is masked too, until no group is left
with a single masked cell under a published total. A masked cell publishes
`statut = secret` and empty `valeur`, `numerateur` and `denominateur`.
Masking never touches `marts.indicateurs`: it works on a copy.
"""

from __future__ import annotations

import polars as pl

KEY = ["indicateur", "mois", "ventilation", "modalite"]
SECRET = "secret"


def group_members(territories: pl.DataFrame) -> pl.DataFrame:
    """Additive groups from the territories [niveau, code_territoire, code_region]:
    rows (niveau, code_territoire, groupe) where groupe names the parent total ('FR', 'region:<code>'…)."""
    deps = territories.filter(pl.col("niveau") == "departement").select(
        "niveau", "code_territoire", (pl.lit("region:") + pl.col("code_region")).alias("groupe"))
    regions = territories.filter(pl.col("niveau") == "region").select(
        "niveau", "code_territoire", pl.lit("national:regions").alias("groupe"))
    bassins = territories.filter(pl.col("niveau") == "bassin").select(
        "niveau", "code_territoire", pl.lit("national:bassins").alias("groupe"))
    return pl.concat([deps, regions, bassins])


def _parents(members: pl.DataFrame) -> pl.DataFrame:
    """The parent cell of each group."""
    groups = members.select("groupe").unique()
    return groups.with_columns(
        niveau=pl.when(pl.col("groupe").str.starts_with("region:")).then(pl.lit("region"))
        .otherwise(pl.lit("national")),
        code_territoire=pl.when(pl.col("groupe").str.starts_with("region:"))
        .then(pl.col("groupe").str.strip_prefix("region:")).otherwise(pl.lit("FR")))


def primary_secret(threshold: int) -> pl.Expr:
    small = lambda c: pl.col(c).is_between(1, threshold - 1).fill_null(False)  # noqa: E731
    return small("numerateur") | small("denominateur")


def mask(frame: pl.DataFrame, territories: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """Return `frame` with secret cells masked (primary then secondary)."""
    members = group_members(territories)
    parents = _parents(members)
    df = frame.with_row_index("_row").with_columns(
        _masked=primary_secret(threshold),
        _size=pl.coalesce("denominateur", "numerateur").fill_null(0))
    children = df.join(members, on=["niveau", "code_territoire"], how="inner")
    parent_rows = df.join(parents, on=["niveau", "code_territoire"], how="inner").select(
        *KEY, "groupe", pl.col("_row").alias("_parent_row"))
    children = children.join(parent_rows, on=[*KEY, "groupe"], how="inner").select(
        "_row", "_parent_row", *KEY, "groupe", "_size", "code_territoire")
    masked = set(df.filter("_masked")["_row"].to_list())
    while True:
        state = children.with_columns(
            _m=pl.col("_row").is_in(list(masked)), _pm=pl.col("_parent_row").is_in(list(masked)))
        lone = (state.filter(~pl.col("_pm"))
                .group_by([*KEY, "groupe"]).agg(pl.col("_m").sum().alias("n"))
                .filter(pl.col("n") == 1))
        if lone.is_empty():
            break
        groups = [*KEY, "groupe"]
        extra = (state.join(lone.select(groups), on=groups)
                 .filter(~pl.col("_m")).sort("_size", "code_territoire")
                 .group_by(groups, maintain_order=True).first())
        masked |= set(extra["_row"].to_list())
        # a lone masked cell with no other cell in its group: its total is masked instead
        alone = state.join(lone.select(groups), on=groups).join(extra.select(groups), on=groups, how="anti")
        masked |= set(alone["_parent_row"].to_list())
    is_masked = pl.col("_row").is_in(list(masked))
    return df.with_columns(
        valeur=pl.when(is_masked).then(None).otherwise(pl.col("valeur")),
        numerateur=pl.when(is_masked).then(None).otherwise(pl.col("numerateur")),
        denominateur=pl.when(is_masked).then(None).otherwise(pl.col("denominateur")),
        statut=pl.when(is_masked).then(pl.lit(SECRET)).otherwise(pl.col("statut")),
    ).drop("_row", "_masked", "_size")
