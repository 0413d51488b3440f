"""Rounding of a published value: one rule for the open data, the dashboards and their CSV downloads.

A published `valeur` is rounded half-up on its decimal form (ties away from zero, the usual rule
of French official statistics): 10.25 → 10.3 at 1 decimal, 0.12345 → 0.1235 at 4, −10.25 →
−10.3. The decimal form is the shortest one that reads back as the same double (`str(x)`), so a
value written 10.25 rounds as 10.25 whatever its binary approximation (Python's `round` and
polars' `round` work on the binary value and give 10.2 or 1.0 for 10.25 or 1.005).

How many decimals each indicator keeps is data, not code: column `decimales` of the seed
`indicateurs_definitions` (marts.dim_indicateurs). A dimension without that column (a snapshot
built before it existed) falls back on the indicator's kind, as the seed sets it today.
"""

from __future__ import annotations

import math

from decimal import ROUND_HALF_UP, Decimal

import polars as pl

# Fallback only (dimension without `decimales`): what the seed says for each kind today.
DECIMALS_BY_KIND = {"effectif": 0, "taux": 4, "delai_moyen": 1, "delai_median": 1}


def _quantized(value: float | int | None, decimals: int) -> Decimal | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    quantum = Decimal(1).scaleb(-decimals)
    out = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return out.copy_abs() if out == 0 else out  # no "-0.0"


def round_half_up(value: float | int | None, decimals: int) -> float | None:
    """`value` rounded half-up (ties away from zero) to `decimals` decimals; None for None or NaN."""
    q = _quantized(value, decimals)
    return None if q is None else float(q)


def round_half_up_text(value: float | int | None, decimals: int) -> str | None:
    """The published text of `value`: rounded as round_half_up, written with exactly `decimals`
    decimals and a point (2245.0 at 0 → "2245", 10.25 at 1 → "10.3", 0.747 at 4 → "0.7470"); the
    text of every CSV the project writes (open data, dashboards' downloads)."""
    q = _quantized(value, decimals)
    return None if q is None else f"{q:f}"


def decimals_for_kind(type_indicateur: str | None) -> int:
    """Decimals of an indicator from its kind alone (fallback when the dimension has no `decimales`)."""
    kind = type_indicateur or ""
    if kind in DECIMALS_BY_KIND:
        return DECIMALS_BY_KIND[kind]
    return 1 if kind.startswith("delai") else 4


def indicator_decimals(dim_indicateurs: pl.DataFrame) -> dict[str, int]:
    """indicateur → decimals of its published value, from marts.dim_indicateurs."""
    if "decimales" in dim_indicateurs.columns:
        return {code: int(d) for code, d in zip(dim_indicateurs["indicateur"], dim_indicateurs["decimales"])}
    kinds = (dim_indicateurs["type_indicateur"] if "type_indicateur" in dim_indicateurs.columns
             else [None] * dim_indicateurs.height)
    return {code: decimals_for_kind(kind) for code, kind in zip(dim_indicateurs["indicateur"], kinds)}


def round_column(values: pl.Expr | str, decimals: pl.Expr | str) -> pl.Expr:
    """Polars expression: each value rounded by `round_half_up` to its row's decimals (a null
    number of decimals gives a null value)."""
    values = pl.col(values) if isinstance(values, str) else values
    decimals = pl.col(decimals) if isinstance(decimals, str) else decimals

    def _round(batch: pl.Series) -> pl.Series:
        pairs = zip(batch.struct.field("v").to_list(), batch.struct.field("d").to_list())
        return pl.Series([None if d is None else round_half_up(v, int(d)) for v, d in pairs], dtype=pl.Float64)

    return pl.struct(values.alias("v"), decimals.alias("d")).map_batches(_round, return_dtype=pl.Float64)


def round_text_column(values: pl.Expr | str, decimals: pl.Expr | str) -> pl.Expr:
    """Polars expression: each value as its published text (`round_half_up_text`) with its row's
    decimals (a null number of decimals gives a null text)."""
    values = pl.col(values) if isinstance(values, str) else values
    decimals = pl.col(decimals) if isinstance(decimals, str) else decimals

    def _text(batch: pl.Series) -> pl.Series:
        pairs = zip(batch.struct.field("v").to_list(), batch.struct.field("d").to_list())
        return pl.Series([None if d is None else round_half_up_text(v, int(d)) for v, d in pairs], dtype=pl.String)

    return pl.struct(values.alias("v"), decimals.alias("d")).map_batches(_text, return_dtype=pl.String)
