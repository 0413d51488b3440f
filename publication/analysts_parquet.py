"""The tables and views of one analyst file, also written as Parquet files in a folder beside it
(`53.duckdb` → `53_parquet/<table>.parquet`), for R, Python or BI tools without DuckDB."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from publication.analysts_format import PARQUET_OPTIONS


def parquet_folder(database: Path) -> Path:
    return database.with_name(database.name.removesuffix(".duckdb") + "_parquet")


def export_parquet(database: Path, folder: Path) -> list[str]:
    """Write every table and view of `database` as `folder/<name>.parquet` (the folder is made
    anew); return the names written, sorted."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    con = duckdb.connect(str(database), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.tables order by table_name").fetchall()]
        for name in names:
            target = str(folder / f"{name}.parquet").replace("'", "''")
            con.execute(f'copy (select * from "{name}") to \'{target}\' ({PARQUET_OPTIONS})')
    finally:
        con.close()
    return names
