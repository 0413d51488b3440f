"""The privacy scan itself (issue #16, finding 5): it looks at every column of every table of
DuckDB, Parquet and SQLite files (Dagster's storage is SQLite, its snapshots zlib-compressed
blobs), at every file's bytes, and at file and folder names. Before, a NIR in a file name or in a
compressed SQLite blob went unseen."""

from __future__ import annotations

import sqlite3
import zlib

import duckdb
import polars as pl

from privacy_scan import scan

NIR = "184037512345690"


def test_the_scan_finds_a_secret_wherever_it_is_stored(tmp_path):
    root = tmp_path / "home"
    (root / "dagster" / "storage").mkdir(parents=True)
    con = sqlite3.connect(root / "dagster" / "storage" / "runs.db")
    con.execute("create table snapshots (id integer, snapshot_body blob, label text)")
    con.execute("insert into snapshots values (1, ?, 'rien')", [zlib.compress(f'{{"chemin": "{NIR}"}}'.encode() * 50)])
    con.commit()
    con.close()
    with duckdb.connect(str(root / "entrepot.duckdb")) as db:
        db.execute("create table t as select 'x' as a, 'la commune 2A004 de JEAN PLANTENOM' as commune")
    pl.DataFrame({"annee": [1984], "commune": ["RUE DES PLANTES"]}).write_parquet(root / "lac.parquet")
    (root / "logs").mkdir()
    (root / "logs" / f"rejet_{NIR}.log").write_text("rien\n")
    (root / "instantanes" / f"dossier-{NIR}x").mkdir(parents=True)
    found = scan(root, {NIR, "JEAN PLANTENOM", "RUE DES PLANTES"})
    assert f"dagster/storage/runs.db: octets: ['{NIR}']" not in found  # compressed: the bytes hide it
    assert set(found) >= {
        f"dagster/storage/runs.db: sqlite snapshots: ['{NIR}']",
        "entrepot.duckdb: main.t: ['JEAN PLANTENOM']",
        f"instantanes/dossier-{NIR}x/: nom du dossier: ['{NIR}']",
        "lac.parquet: parquet: ['RUE DES PLANTES']",
        f"logs/rejet_{NIR}.log: nom du fichier: ['{NIR}']",
    }
    assert scan(root, {"184037512345636", "AUTRE NOM"}) == []
