"""Manifests (privacy.md): when an artefact was built, from which deliveries (checksums), with
which code version and which masking threshold."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import polars as pl

from publication.source import Snapshot, code_version
from socle.files import sha256_file

DELIVERY_COLUMNS = ["id_livraison", "type_fichier", "producteur", "mois", "sha256", "taille_octets", "recu_le"]
NATIONAL_PRODUCERS = ("caf", "ft", "referentiel")


def deliveries(snapshot: Snapshot, producers: set[str] | None = None) -> list[dict]:
    """The deliveries the snapshot was built from: current accepted ones of marts.fct_livraisons
    (every column of DELIVERY_COLUMNS it has), optionally only those of `producers`."""
    if not snapshot.has("fct_livraisons"):
        return []
    have = snapshot.columns("fct_livraisons")
    cols = [c for c in DELIVERY_COLUMNS if c in have]
    frame = snapshot.frame("fct_livraisons")
    if "statut" in have:
        frame = frame.filter(pl.col("statut") == "acceptee")
    if "est_courante" in have:
        frame = frame.filter(pl.col("est_courante"))
    if producers is not None and "producteur" in have:
        frame = frame.filter(pl.col("producteur").is_in(sorted(producers)))
    frame = frame.select(cols).sort([c for c in ("type_fichier", "producteur", "mois", "id_livraison") if c in cols])
    return [{k: _plain(v) for k, v in row.items()} for row in frame.iter_rows(named=True)]


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def file_entries(folder: Path, names: list[str]) -> list[dict]:
    return [{"nom": n, "octets": (folder / n).stat().st_size, "sha256": sha256_file(folder / n)}
            for n in names if (folder / n).exists()]


def manifest(kind: str, built_at: str, snapshot: Snapshot, threshold: int | None, threshold_source: str,
             livraisons: list[dict], **extra) -> dict:
    return {
        "artefact": kind,
        "construit_le": built_at,
        "instantane": {"fichier": snapshot.path.name, "octets": snapshot.path.stat().st_size,
                       "sha256": sha256_file(snapshot.path)},
        "version_code": code_version(),
        "seuil_secret": threshold,
        "source_seuil_secret": threshold_source,
        **extra,
        "livraisons": livraisons,
    }


def write_manifest(folder: Path, content: dict) -> Path:
    path = folder / "manifest.json"
    path.write_text(json.dumps(content, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return path
