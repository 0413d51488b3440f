"""Look for clear identifiers in every file under a folder: in its name, in its bytes, and in the
decoded content of DuckDB, Parquet and SQLite files (every column of every table; compression
could hide a value from a byte scan: SQLite blobs that are zlib-compressed, as Dagster stores
its snapshots, are decompressed), Dagster's storage included."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import duckdb
import polars as pl


def _found(texts: pl.Series, patterns: list[str]) -> set[str]:
    if texts.is_empty():
        return set()
    hits = texts.str.extract_many(patterns, ascii_case_insensitive=True, overlapping=True)
    return set(hits.explode().drop_nulls().str.to_uppercase().to_list())


def _is_duckdb(data: bytes) -> bool:
    return data[8:12] == b"DUCK"


def _tables_of_duckdb(path: Path):
    with duckdb.connect(str(path), read_only=True) as con:
        objects = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        for schema, table in objects:
            try:
                frame = con.sql(f'select * from "{schema}"."{table}"').pl()
            except duckdb.Error:  # a view over files that a later run replaced
                continue
            yield f"{schema}.{table}", frame


def _is_sqlite(data: bytes) -> bool:
    return data[:16] == b"SQLite format 3\x00"


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            value = zlib.decompress(value)
        except zlib.error:
            pass
        return value.decode("latin-1")
    return str(value)


def _tables_of_sqlite(path: Path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [t for (t,) in con.execute("select name from sqlite_master where type = 'table'")]
        for table in tables:
            rows = con.execute(f'select * from "{table}"').fetchall()
            texts = [t for row in rows for t in map(_text, row) if t]
            yield f"sqlite {table}", pl.DataFrame({"v": texts}, schema={"v": pl.String})
    finally:
        con.close()


def _strings(frame: pl.DataFrame) -> pl.Series:
    cols = [pl.col(c).cast(pl.String) for c, t in frame.schema.items() if t != pl.Null]
    if not cols or frame.is_empty():
        return pl.Series([], dtype=pl.String)
    return frame.select(pl.concat_str(cols, separator="\x1f", ignore_nulls=True).alias("v"))["v"]


def scan(root: Path, secrets: set[str]) -> list[str]:
    """'file: where: values' for every secret found; empty when none."""
    patterns = sorted(s for s in secrets if s)
    findings: list[str] = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            if path.is_dir():  # a folder's name too
                rel = path.relative_to(root).as_posix()
                hits = _found(pl.Series([rel]), patterns)
                if hits:
                    findings.append(f"{rel}/: nom du dossier: {sorted(hits)[:5]}")
            continue
        rel = path.relative_to(root).as_posix()
        hits = _found(pl.Series([rel]), patterns)
        if hits:
            findings.append(f"{rel}: nom du fichier: {sorted(hits)[:5]}")
        data = path.read_bytes()
        hits = _found(pl.Series([data.decode("latin-1")]), patterns)
        if hits:
            findings.append(f"{rel}: octets: {sorted(hits)[:5]}")
        decoded: list[tuple[str, pl.DataFrame]] = []
        try:
            if path.name.endswith(".parquet") or data[:4] == b"PAR1":
                decoded = [("parquet", pl.read_parquet(path))]
            elif _is_duckdb(data):
                decoded = list(_tables_of_duckdb(path))
            elif _is_sqlite(data):
                decoded = list(_tables_of_sqlite(path))
        except Exception:  # noqa: BLE001 - a leftover of a killed run may be unreadable: its bytes were scanned
            decoded = []
        for where, frame in decoded:
            hits = _found(_strings(frame), patterns)
            if hits:
                findings.append(f"{rel}: {where}: {sorted(hits)[:5]}")
    return findings
