"""Paths and environment: the one place that reads SOCLE_* variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
COG_DIR = SEEDS_DIR / "cog"
DEFAULT_OPENDATA_PRODUCER = "socle — réseau France Travail (DGEFP)"


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    home: Path

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def lake(self) -> Path:
        return self.home / "lake"

    @property
    def snapshots(self) -> Path:
        return self.home / "snapshots"

    @property
    def current_pointer(self) -> Path:
        """Text file naming the current snapshot, replaced atomically."""
        return self.snapshots / "CURRENT"

    @property
    def opendata(self) -> Path:
        return self.home / "opendata"

    @property
    def analysts(self) -> Path:
        return self.home / "analystes"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def partitions_debut(self) -> str:
        """First month of the warehouse's monthly partitions in Dagster, `YYYY-MM`:
        SOCLE_PARTITIONS_DEBUT, else 2020-01 (before any delivery of the sources)."""
        return os.environ.get("SOCLE_PARTITIONS_DEBUT") or "2020-01"

    @property
    def key_file(self) -> Path:
        return self.home / "pseudo.key"

    @property
    def pseudo_key(self) -> str | None:
        """SOCLE_PSEUDO_KEY, the pseudonymisation key; None: the one in `key_file` (read now)."""
        return os.environ.get("SOCLE_PSEUDO_KEY") or None

    @property
    def ingestion_workers(self) -> int:
        """Processes that land files side by side: SOCLE_INGESTION_WORKERS, else one per CPU (at most 4)."""
        configured = os.environ.get("SOCLE_INGESTION_WORKERS")
        return max(1, int(configured)) if configured else min(4, os.cpu_count() or 1)

    @property
    def opendata_producer(self) -> str:
        """Producer named in the open data (datapackage.json, README): SOCLE_OPENDATA_PRODUCTEUR."""
        return os.environ.get("SOCLE_OPENDATA_PRODUCTEUR") or DEFAULT_OPENDATA_PRODUCER

    @property
    def opendata_contact(self) -> str | None:
        """Contact of the open data (a functional mailbox or a web page, never a person's name):
        SOCLE_OPENDATA_CONTACT; None: the dataset's discussion space on data.gouv.fr."""
        return os.environ.get("SOCLE_OPENDATA_CONTACT") or None

    @property
    def verbose(self) -> bool:
        """SOCLE_VERBEUX=1: `python -m orchestration run` prints everything (Dagster, dbt) as it comes
        instead of one line per step (the full output then goes to a journal under `logs`)."""
        return os.environ.get("SOCLE_VERBEUX", "").strip().lower() in ("1", "true", "oui", "yes")

    @property
    def force(self) -> bool:
        """SOCLE_FORCER=1: run the pipeline even when nothing changed since the last successful run."""
        return os.environ.get("SOCLE_FORCER", "").strip().lower() in ("1", "true", "oui", "yes")

    @property
    def full_recompute(self) -> bool:
        """SOCLE_TOUT_RECALCULER=1: rebuild every month of the warehouse (dbt --full-refresh) instead of
        the months that the changed deliveries reach (orchestration/mois_a_recalculer.py)."""
        return os.environ.get("SOCLE_TOUT_RECALCULER", "").strip().lower() in ("1", "true", "oui", "yes")

    @property
    def lock_file(self) -> Path:
        return self.home / "pipeline.lock"


def get_settings() -> Settings:
    """Read the environment now (tests change it between calls)."""
    landing = Path(os.environ.get("SOCLE_LANDING_DIR", PROJECT_DIR / "data" / "sample"))
    home = Path(os.environ.get("SOCLE_HOME", PROJECT_DIR / "var"))
    return Settings(landing_dir=landing.resolve(), home=home.resolve())
