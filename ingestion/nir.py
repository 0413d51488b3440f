"""NIR well-formedness (sources.md): 15 characters, Corsica `2A`/`2B` in positions 6-7."""

from __future__ import annotations

import polars as pl

_SHAPE = r"^[0-9]{5}([0-9]{2}|2A|2B)[0-9]{8}$"


def is_valid(expr: pl.Expr) -> pl.Expr:
    """True when the (trimmed, upper-case) NIR has the right shape and key; null stays null."""
    dep = expr.str.slice(5, 2).replace({"2A": "19", "2B": "18"})
    body = (expr.str.slice(0, 5) + dep + expr.str.slice(7, 6)).cast(pl.Int64, strict=False)
    key = expr.str.slice(13, 2).cast(pl.Int64, strict=False)
    return pl.when(expr.is_null()).then(None).otherwise(
        expr.str.contains(_SHAPE).fill_null(False) & (key == 97 - body % 97).fill_null(False))


def key_for(first13: str) -> str:
    """The 2-digit key of a 13-character NIR body (used by tests and the generator)."""
    body = int(first13[:5] + {"2A": "19", "2B": "18"}.get(first13[5:7], first13[5:7]) + first13[7:])
    return f"{97 - body % 97:02d}"
