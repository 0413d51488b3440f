"""Commune codes against the shipped COG: current codes and former codes remapped."""

from __future__ import annotations

from functools import cache

import polars as pl

from socle.settings import COG_DIR


@cache
def _table(name: str) -> pl.DataFrame:
    return pl.read_csv(COG_DIR / f"{name}.csv", infer_schema=False)


@cache
def current_codes() -> pl.Series:
    return _table("cog_communes")["code_commune"]


@cache
def departement_codes() -> frozenset[str]:
    return frozenset(_table("cog_departements")["code_departement"])


@cache
def _former() -> dict[str, str]:
    t = _table("cog_anciens_codes")
    return dict(zip(t["code_ancien"], t["code_commune"]))


def remap(expr: pl.Expr) -> pl.Expr:
    """Map a former code to its current commune; other codes unchanged."""
    return expr.replace(_former())
