"""Read-only snapshots of the warehouse for readers (publication.md).

A snapshot is a new DuckDB file holding the reader-facing schemas; the
`CURRENT` file names the current one and is replaced in one atomic rename, so
a failed or killed run leaves the current snapshot as it was. Readers open the
file named by `CURRENT` read-only and never the working warehouse.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from socle.files import fsync_path
from socle.settings import Settings

PUBLISHED_SCHEMAS = ("marts",)
KEEP = 3


def write_pointer(pointer: Path, target_name: str) -> None:
    """Atomically make `pointer` name `target_name`."""
    tmp = pointer.with_name(pointer.name + ".tmp")
    tmp.write_text(target_name + "\n", encoding="utf-8")
    fsync_path(tmp)
    os.replace(tmp, pointer)
    fsync_path(pointer.parent)


def current_snapshot(settings: Settings) -> Path | None:
    try:
        name = settings.current_pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return settings.snapshots / name


def publish(con: duckdb.DuckDBPyConnection, settings: Settings, schemas=PUBLISHED_SCHEMAS,
            complete: Callable[[duckdb.DuckDBPyConnection, str], None] | None = None) -> Path:
    """Copy the published schemas of the open warehouse into a new snapshot and switch to it.

    `complete(con, "snap")`, when given, runs after the copy and before the switch, with the new
    snapshot attached as `snap` (the asset writes the dashboards' masked table there)."""
    settings.snapshots.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    final = settings.snapshots / f"socle_{stamp}.duckdb"
    building = final.with_suffix(".duckdb.building")
    con.execute(f"attach '{building}' as snap")
    try:
        for schema in schemas:
            con.execute(f"create schema snap.{schema}")
            tables = con.execute(
                "select table_name from information_schema.tables where table_catalog = current_database() "
                "and table_schema = ? order by table_name", [schema]).fetchall()
            for (table,) in tables:
                con.execute(f'create table snap.{schema}."{table}" as select * from {schema}."{table}"')
        if complete is not None:
            complete(con, "snap")
    finally:
        con.execute("detach snap")
    fsync_path(building)
    os.replace(building, final)
    write_pointer(settings.current_pointer, final.name)
    prune(settings)
    return final


def prune(settings: Settings, keep: int = KEEP) -> list[Path]:
    """Delete all but the `keep` newest snapshots (never the current one), and leftovers of killed runs."""
    current = current_snapshot(settings)
    snaps = sorted(settings.snapshots.glob("socle_*.duckdb"), reverse=True)
    removed = [p for p in snaps[keep:] if p != current]
    removed += list(settings.snapshots.glob("*.building")) + list(settings.snapshots.glob("*.building.wal"))
    for p in removed:
        p.unlink(missing_ok=True)
    return removed
