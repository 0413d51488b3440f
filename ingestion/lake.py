"""The engine-neutral raw layer: pseudonymised Parquet per kind, producer and month."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
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


def building(target: Path) -> Path:
    """Where a lake file is written before its rename: hidden (a reader of the folder skips it)."""
    return target.with_name(f".{target.stem}.parquet.tmp")


def clear_leftovers(lake: Path) -> None:
    """Remove the half-written files of a killed run (the caller is the only landing at work)."""
    for path in lake.rglob(".*.parquet.tmp") if lake.exists() else []:
        path.unlink(missing_ok=True)


def write(frame: pl.DataFrame, target: Path) -> None:
    """Write atomically: a killed run never leaves a half-written file under its final name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = building(target)
    frame.write_parquet(tmp, compression="zstd", statistics=True)
    os.replace(tmp, target)


_in_memory: duckdb.DuckDBPyConnection | None = None


def _small_files_connection() -> duckdb.DuckDBPyConnection:
    """A cursor on this process's in-memory DuckDB, for files held in memory (never spills):
    opening a database costs more than searching a small file."""
    global _in_memory
    if _in_memory is None:
        _in_memory = duckdb.connect(config={"threads": 2})
        _in_memory.execute("set enable_progress_bar = false")
    return _in_memory.cursor()


class Parts:
    """The rows of one delivery, written block by block as temporary (pseudonymised) Parquet parts,
    then deduplicated and gathered into the delivery's one lake file: memory stays bounded by a
    block, whatever the size of the file. A small file (under HOLD_BYTES) stays in memory instead:
    most département files are a few thousand rows, and two Parquet round trips would cost more
    than everything else done to them.

    The parts live under `tmp` (outside the lake); the duplicated-key search over them runs in DuckDB
    with a memory limit (it spills to `tmp` beyond it).
    """

    MEMORY_LIMIT = "64MB"

    HOLD_BYTES = 32 << 20

    def __init__(self, tmp: Path, delivery_id: str):
        self.dir = tmp / delivery_id
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        self.files: list[Path] = []
        self.held: list[pl.DataFrame] = []
        self._held_bytes = 0

    def __enter__(self) -> Parts:
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def add(self, frame: pl.DataFrame) -> None:
        if not frame.height:
            return
        if not self.files and self._held_bytes + frame.estimated_size() <= self.HOLD_BYTES:
            self.held.append(frame)
            self._held_bytes += frame.estimated_size()
            return
        for block in [*self.held, frame]:
            part = self.dir / f"part-{len(self.files):05d}.parquet"
            block.write_parquet(part, compression="lz4", statistics=False)
            self.files.append(part)
        self.held, self._held_bytes = [], 0

    def duplicated(self, keys: tuple[tuple[str, ...], ...]) -> pl.DataFrame:
        """[ligne, valeur] of the rows a later row repeats on one of `keys` (the first column of
        the first key as value): the duplicated-key rule, over every part at once."""
        schema = {"ligne": pl.Int64, "valeur": pl.String}
        if not self.files and not self.held:
            return pl.DataFrame(schema=schema)
        if self.held:
            con = _small_files_connection()
            con.register("lignes_en_memoire", pl.concat(self.held))
            parts = "lignes_en_memoire"
        else:
            con = duckdb.connect(config={"memory_limit": self.MEMORY_LIMIT, "threads": 2,
                                         "temp_directory": str(self.dir / "spill")})
            con.execute("set enable_progress_bar = false")
            files = ", ".join("'" + p.as_posix().replace("'", "''") + "'" for p in self.files)
            parts = f"read_parquet([{files}])"
        try:
            found = []
            for key in keys:
                cols = ", ".join(f'"{c}"' for c in key)
                same = " and ".join(f'p."{c}" is not distinct from d."{c}"' for c in key)
                found.append(con.sql(f"""
                    with d as (select {cols}, max(ligne) as derniere from {parts} group by all having count(*) > 1)
                    select p.ligne, p."{keys[0][0]}" as valeur from {parts} as p join d on {same}
                    where p.ligne < d.derniere""").pl())
        finally:
            con.close()  # for a small file, a cursor: the process's connection stays open
        return pl.concat([f.cast(schema) for f in found]).unique("ligne").sort("ligne")

    def write(self, target: Path, schema: dict[str, pl.DataType], drop: list[int]) -> int:
        """Gather the parts (less the `drop` lines) into `target`, atomically; return the row count."""
        if not self.files:
            rows = pl.concat(self.held) if self.held else pl.DataFrame(schema=schema)
            rows = rows.filter(~pl.col("ligne").is_in(drop)) if drop else rows
            write(rows, target)
            return rows.height
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = building(target)
        rows = pl.scan_parquet(self.files)
        if drop:
            rows = rows.filter(~pl.col("ligne").is_in(drop))
        rows.sink_parquet(tmp, compression="zstd", statistics=True)
        os.replace(tmp, target)
        return pl.scan_parquet(target).select(pl.len()).collect().item()
