"""Charts over time: counts of a territory and of its parent on one shared axis."""

from __future__ import annotations

from datetime import date

import polars as pl

from dashboards import graphiques


def _serie() -> pl.DataFrame:
    return pl.DataFrame({
        "indicateur": ["nouveaux_entrants"] * 4, "mois": [date(2024, 5, 1), date(2024, 6, 1)] * 2,
        "valeur": [448.0, 452.0, 771.0, 790.0], "numerateur": [448, 452, 771, 790], "denominateur": [None] * 4,
        "statut": ["definitif"] * 4, "role": ["territoire", "territoire", "parent", "parent"],
        "libelle_territoire": ["Ille-et-Vilaine"] * 2 + ["Bretagne"] * 2})


def _axes(spec: dict) -> list[tuple]:
    out = []
    for couche in spec["layer"]:
        for mark in couche["layer"]:
            y = mark["encoding"]["y"]
            out.append((y["axis"]["orient"], y["title"]))
    return out


def test_counts_of_a_territory_and_its_parent_share_one_axis():
    spec = graphiques.evolution(_serie(), "effectif", "Ille-et-Vilaine", "Bretagne")
    assert spec["resolve"] == {"scale": {"y": "shared"}}
    assert set(_axes(spec)) == {("left", None)}
    ys = sorted((r["role"], r["y"]) for r in spec["data"]["values"])
    assert ys == [("parent", 771.0), ("parent", 790.0), ("territoire", 448.0), ("territoire", 452.0)]


def test_rates_also_share_one_axis():
    serie = _serie().with_columns(valeur=pl.col("valeur") / 1000)
    spec = graphiques.evolution(serie, "taux", "Ille-et-Vilaine", "Bretagne")
    assert set(_axes(spec)) == {("left", None)} and spec["resolve"] == {"scale": {"y": "shared"}}
    assert round(sorted(r["y"] for r in spec["data"]["values"])[0], 6) == 44.8
