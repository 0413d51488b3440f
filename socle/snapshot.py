"""Read-only snapshots of the warehouse for readers (publication.md).

A snapshot is a new DuckDB file holding the reader-facing schemas; the
`CURRENT` file names the current one and is replaced in one atomic rename, so
a failed or killed run leaves the current snapshot as it was. Readers open the
file named by `CURRENT` read-only and never the working warehouse.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from socle.files import fsync_path
from socle.settings import Settings

log = logging.getLogger(__name__)

PUBLISHED_SCHEMAS = ("marts",)
KEEP = 3
PREVIOUS = "precedent"   # the current snapshot, attached read-only while `complete` runs
UNCHANGED = "aucune table des marts n'a changé : instantané courant conservé, aucun nouvel instantané écrit"


@dataclass
class Published:
    """What `publish_snapshot` did: the current snapshot afterwards, and whether it is a new one."""

    path: Path
    new: bool
    message: str
    fingerprints: dict[str, str]


def table_fingerprints(con: duckdb.DuckDBPyConnection, catalog: str | None, schemas=PUBLISHED_SCHEMAS) -> dict[str, str]:
    """`schema.table` → fingerprint of its content: the columns (names and types, in order), the
    row count and the sum of the rows' hashes (independent of the row order, duplicates counted)."""
    cat = catalog or con.execute("select current_database()").fetchone()[0]
    out = {}
    for schema in schemas:
        tables = con.execute("select table_name from information_schema.tables where table_catalog = ? "
                             "and table_schema = ? order by table_name",
                             [cat, schema]).fetchall()
        for (table,) in tables:
            cols = con.execute("select column_name, data_type from information_schema.columns where table_catalog = ? "
                               "and table_schema = ? and table_name = ? order by ordinal_position",
                               [cat, schema, table]).fetchall()
            n, total = con.execute(f'select count(*), coalesce(sum(hash(t)::hugeint), 0) '
                                   f'from "{cat}"."{schema}"."{table}" as t').fetchone()
            out[f"{schema}.{table}"] = f"{cols}|{n}|{total}"
    return out


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
    """`publish_snapshot`'s current snapshot afterwards (the new one, or the current one kept)."""
    return publish_snapshot(con, settings, schemas, complete).path


def _current_fingerprints(con: duckdb.DuckDBPyConnection, current: Path | None, schemas) -> dict[str, str] | None:
    if current is None or not current.exists():
        return None
    con.execute(f"attach '{current}' as {PREVIOUS} (read_only)")
    try:
        return table_fingerprints(con, PREVIOUS, schemas)
    finally:
        con.execute(f"detach {PREVIOUS}")


def _derived_tables_current(current: Path) -> bool:
    """The current snapshot's derived tables (the masked table) were made by today's masking code."""
    from socle.masking import code_fingerprint

    with duckdb.connect(str(current), read_only=True) as snap:
        tables = {r[0] for r in snap.execute(
            "select table_name from information_schema.tables where table_schema = 'publie'").fetchall()}
        if "version_masquage" not in tables:
            return "indicateurs_masques" not in tables
        return snap.execute("select empreinte_code from publie.version_masquage").fetchone()[0] == code_fingerprint()


def publish_snapshot(con: duckdb.DuckDBPyConnection, settings: Settings, schemas=PUBLISHED_SCHEMAS,
                     complete: Callable[[duckdb.DuckDBPyConnection, str], None] | None = None) -> Published:
    """Copy the published schemas of the open warehouse into a new snapshot and switch to it,
    unless every published table holds exactly what the current snapshot's does (the same
    fingerprints, `table_fingerprints`) and its masked table is made by today's masking code:
    then no snapshot is written and the current one stays (`Published.new` false).

    `complete(con, "snap")`, when given, runs after the copy and before the switch, with the new
    snapshot attached as `snap` and the current one (when there is one) read-only as `precedent`
    (the asset writes the dashboards' masked table there, reusing the unchanged periods')."""
    settings.snapshots.mkdir(parents=True, exist_ok=True)
    current = current_snapshot(settings)
    fingerprints = table_fingerprints(con, None, schemas)
    if _current_fingerprints(con, current, schemas) == fingerprints and _derived_tables_current(current):
        log.info("%s (%s)", UNCHANGED, current.name)
        return Published(current, False, UNCHANGED, fingerprints)
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
            attached = current is not None and current.exists()
            if attached:
                con.execute(f"attach '{current}' as {PREVIOUS} (read_only)")
            try:
                complete(con, "snap")
            finally:
                if attached:
                    con.execute(f"detach {PREVIOUS}")
    finally:
        con.execute("detach snap")
    fsync_path(building)
    os.replace(building, final)
    write_pointer(settings.current_pointer, final.name)
    prune(settings)
    return Published(final, True, f"nouvel instantané publié : {final.name}", fingerprints)


def prune(settings: Settings, keep: int = KEEP) -> list[Path]:
    """Delete all but the `keep` newest snapshots (never the current one), and leftovers of killed runs."""
    current = current_snapshot(settings)
    snaps = sorted(settings.snapshots.glob("socle_*.duckdb"), reverse=True)
    removed = [p for p in snaps[keep:] if p != current]
    removed += list(settings.snapshots.glob("*.building")) + list(settings.snapshots.glob("*.building.wal"))
    for p in removed:
        p.unlink(missing_ok=True)
    return removed
