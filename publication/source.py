"""What a publication reads: the current snapshot (read-only), the governed threshold, the code version."""

from __future__ import annotations

import csv
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from socle.settings import PROJECT_DIR, SEEDS_DIR, Settings
from socle.snapshot import current_snapshot

DEFAULT_THRESHOLD = 11


class SnapshotMissing(FileNotFoundError):
    """No current snapshot to publish from."""


@dataclass
class Snapshot:
    """The current snapshot, opened read-only for the time of a publication."""

    path: Path
    con: duckdb.DuckDBPyConnection

    def has(self, table: str, schema: str = "marts") -> bool:
        return bool(self.con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table]).fetchone()[0])

    def columns(self, table: str, schema: str = "marts") -> list[str]:
        return [r[0] for r in self.con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position", [schema, table]).fetchall()]

    def frame(self, table: str, schema: str = "marts") -> pl.DataFrame:
        return self.con.sql(f'select * from {schema}."{table}"').pl()


@contextmanager
def open_snapshot(settings: Settings) -> Iterator[Snapshot]:
    path = current_snapshot(settings)
    if path is None or not path.exists():
        raise SnapshotMissing(
            f"aucun instantané courant sous {settings.snapshots} : lancez d'abord le pipeline (`make run`)")
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield Snapshot(path, con)
    finally:
        con.close()


def masking_threshold() -> tuple[int, str]:
    """The governed `seuil_secret` and where it was read.

    Reads the seed through socle.parameters; failing that, any `parametres.csv` under the seeds
    folder; with no seed at all, the contract's default (11), and the manifest says which.
    """
    try:
        from socle.parameters import parameter

        return int(parameter("seuil_secret")), "seed parametres (socle.parameters)"
    except (FileNotFoundError, KeyError):
        pass
    for path in sorted(SEEDS_DIR.rglob("parametres.csv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row.get("parametre") == "seuil_secret":
                    return int(row["valeur"]), str(path.relative_to(PROJECT_DIR))
    return DEFAULT_THRESHOLD, "valeur par défaut du contrat (aucun seed parametres.csv)"


def code_version() -> dict:
    """`git rev-parse HEAD` of the checkout, and whether it has local changes."""
    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    head = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") if head else None
    return {"commit": head, "modifications_locales": bool(status) if status is not None else None}
