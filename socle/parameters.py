"""Governed parameters: read from the dbt seed `parametres.csv`, the one place they live."""

from __future__ import annotations

import csv
from functools import cache

from socle.settings import SEEDS_DIR


@cache
def _all() -> dict[str, str]:
    with (SEEDS_DIR / "parametres" / "parametres.csv").open(encoding="utf-8") as f:
        return {row["parametre"]: row["valeur"] for row in csv.DictReader(f)}


def parameter(name: str) -> str:
    return _all()[name]
