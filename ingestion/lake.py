"""The engine-neutral raw layer: pseudonymised Parquet per kind, producer and month."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from ingestion.paths import LandedFile
from ingestion.schemas import KINDS

META = {"id_livraison": pl.String, "producteur": pl.String, "mois": pl.Date, "ligne": pl.Int64}
RENAMED = {"nir": "pseudo_nir", "id_rsa": "pseudo_id_rsa", "id_ft": "pseudo_id_ft"}
BASSINS = {"id_livraison": pl.String, "annee": pl.Int32, "ligne": pl.Int64, "code_commune": pl.String,
           "code_bassin": pl.String, "libelle_bassin": pl.String}


def lake_schema(type_fichier: str) -> dict[str, pl.DataType]:
    """Columns of `raw.<type_fichier>` (docs/data-layout.md)."""
    if type_fichier == "bassins":
        return dict(BASSINS)
    kind = KINDS["accompagnements_ft" if type_fichier == "accompagnements" else type_fichier]
    schema = dict(META)
    for col in kind.columns:
        schema[RENAMED.get(col.name, col.name)] = pl.Int32() if col.name == "annee_naissance" else col.dtype
    return schema


TYPES = ("rsa", "orientations", "accompagnements", "inscriptions", "reprises_emploi", "bassins")


def partition_path(lake: Path, landed: LandedFile, delivery_id: str) -> Path:
    return (lake / landed.type_fichier / f"producteur={landed.producteur}" /
            f"mois={landed.mois:%Y-%m}" / f"{delivery_id}.parquet")


def write(frame: pl.DataFrame, target: Path) -> None:
    """Write atomically: a killed run never leaves a half-written file under its final name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".parquet.tmp")
    frame.write_parquet(tmp, compression="zstd", statistics=True)
    os.replace(tmp, target)
