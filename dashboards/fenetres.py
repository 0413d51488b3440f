"""Observation windows: a figure whose window has not ended is not shown, and is not drawn.

Some indicators follow a cohort for a fixed time after the month M (return to employment: six
months after the orientation). Until the data of month M + window are in the snapshot, such a figure
counts only the first weeks of the window (it reads 0 % for the last cohort): it cannot be measured
yet. The window of each indicator is governed data, `dashboards/fenetres_observation.csv` (one row
per indicator that has one; changed by a reviewed commit): the maturity seed `maturite_livraisons`
is not in the published snapshot, and its offsets add months of late reporting to the window.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import lru_cache
from pathlib import Path

import polars as pl

from dashboards import formatting as fmt

FICHIER = Path(__file__).with_name("fenetres_observation.csv")
MESSAGE = "fenêtre d'observation en cours"


@lru_cache(maxsize=1)
def fenetres() -> dict[str, int]:
    """Indicator code → length of its observation window, in months after the month of the figure."""
    with FICHIER.open(encoding="utf-8") as f:
        return {r["indicateur"]: int(r["fenetre_mois"]) for r in csv.DictReader(f)}


def attendu_en(indicateur: str, mois: date, dernier_mois: date | None) -> date | None:
    """The month whose data close the window of (indicateur, mois), when that month is after the last
    month of the snapshot (the window is still running); None when the figure can be measured."""
    n = fenetres().get(indicateur)
    if n is None or dernier_mois is None:
        return None
    fin = fmt.mois_decale(mois, n)
    return fin if fin > dernier_mois else None


def texte(attendu: date) -> str:
    """What a card shows instead of the figure."""
    return f"{MESSAGE} — résultat attendu en {fmt.mois_long(attendu)}"


def colonne(df: pl.DataFrame, dernier_mois: date | None, nom: str = "attendu_en",
            col_mois: str = "mois") -> pl.DataFrame:
    """Add `nom`: the month the figure is expected (window running), else null."""
    vals = [attendu_en(i, m, dernier_mois) if m is not None else None
            for i, m in zip(df["indicateur"].to_list(), df[col_mois].to_list())]
    return df.with_columns(pl.Series(nom, vals, dtype=pl.Date))
