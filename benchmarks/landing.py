"""The bench's landing folder: the synthetic generator's files, written month by month.

`synthetic.generate()` builds every monthly frame before writing the first file; at
national scale over 25 months that is ~70 million rows held at once (~15 GB). This module runs
the same simulation with the same functions and parameters (clean files, `mess=False`), but
writes and frees each month's files as it goes, so generation stays within a few GB. The rows
and file names are the generator's; the CSV is written by polars straight to disk in the
generator's clean format (UTF-8, ',', ISO dates, true/false, '\\n').

The last month is written to a separate folder (`held/`): it "lands" later, for the new-month
run. `resend()` rewrites one département's orientations file as a corrected re-sent delivery.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path
from typing import Callable

import polars as pl

from synthetic import generator as g
from synthetic.calendar import build_calendar
from synthetic.identity import id_rsa, nir
from synthetic.monthly import (Identities, accompaniment_files, hire_files, inscription_files,
                                         orientation_files, rsa_month)
from synthetic.population import simulate
from synthetic.records import build_records
from synthetic.referential import build_world, normalise_departement
from synthetic.schema import (ACCOMPAGNEMENTS_DEP, ACCOMPAGNEMENTS_FT, INSCRIPTIONS, ORIENTATIONS,
                                        REPRISES, RSA, Kind, empty_frame, relative_path)


def _write_csv(path: Path, df: pl.DataFrame, kind: Kind, mtime: int) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.select(kind.columns).write_csv(path, separator=",", line_terminator="\n", date_format="%Y-%m-%d")
    os.utime(path, (mtime, mtime))
    return path.stat().st_size


def generate(landing: Path, held: Path, departements: list[str], debut: str, fin: str, seed: int,
             scale: float, bassins: Path | None, log: Callable[[str], None] = print) -> dict:
    """Write months debut..fin−1 into `landing` and month `fin` into `held`; return counts."""
    t0 = time.perf_counter()
    deps = [normalise_departement(d) for d in departements]
    for folder in (landing, held):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    world = build_world(deps)
    cal = build_calendar(debut, fin)
    pop = simulate(world, cal, scale, g._rng(seed, g.STREAM_POPULATION))
    ids = Identities(id_rsa=id_rsa(pop), nir=nir(pop, world, g._rng(seed, g.STREAM_NIR)), communes=world.codes)
    log(f"simulated {pop.n:,} persons over {cal.n} months in {time.perf_counter() - t0:.0f} s")
    rec = build_records(pop, world, cal, g._rng(seed, g.STREAM_RECORDS))
    ori = orientation_files(rec, ids, cal, seed)
    acc_ft, acc_dep = accompaniment_files(rec, ids, cal, seed)
    ins = inscription_files(rec, pop, ids, cal, seed)
    rep = hire_files(rec, cal, seed)
    del rec
    log(f"built the records in {time.perf_counter() - t0:.0f} s")

    rows: dict[str, int] = {}
    files, size = 0, 0
    for m, label in enumerate(cal.labels):
        root = held if m == cal.n - 1 else landing
        plan = [(RSA, "caf", 0, 0, rsa_month(pop, ids, m))]
        for k, (kind, frames) in enumerate([(INSCRIPTIONS, ins), (ACCOMPAGNEMENTS_FT, acc_ft), (REPRISES, rep)]):
            plan.append((kind, "ft", 1, k, frames.pop(m, None)))
        for d, dep in enumerate(deps):
            for k, (kind, frames) in enumerate([(ORIENTATIONS, ori), (ACCOMPAGNEMENTS_DEP, acc_dep)]):
                plan.append((kind, dep, 2 + d, k, frames.pop((d, m), None)))
        for kind, producer, rank, k, df in plan:
            df = empty_frame(kind) if df is None else df
            rel = relative_path(kind, label, producer if kind.folder == "departements" else None)
            size += _write_csv(root / rel, df, kind, g._delivery_time(cal, m, rank, k))
            rows[kind.name] = rows.get(kind.name, 0) + len(df)
            files += 1
        del plan
        log(f"  {label}: written ({time.perf_counter() - t0:.0f} s)")
    if bassins is not None:
        g._copy_bassins(landing, Path(bassins), cal)
        files += 1
    return {"files": files, "bytes": size, "rows_by_kind": rows, "persons": int(pop.n),
            "rsa_rows_per_month": [int((s != 0).sum()) for s in pop.state],
            "months_landed": cal.labels[:-1], "month_held": cal.labels[-1]}


def land_held(held: Path, landing: Path) -> list[str]:
    """Move the held-back month into the landing folder (modification times kept)."""
    moved = []
    for path in sorted(p for p in held.rglob("*") if p.is_file()):
        rel = path.relative_to(held)
        (landing / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, landing / rel)
        moved.append(rel.as_posix())
    return moved


def resend(landing: Path, departement: str, month: str) -> dict:
    """Re-send département `departement`'s orientations of `month`, corrected: one dated record in
    ten gets its orientation date moved one day earlier (never before its notification), and the
    file replaces the earlier one under the same name, a month later."""
    path = landing / relative_path(ORIENTATIONS, month, departement)
    before = path.stat()
    df = pl.read_csv(path, infer_schema=False)
    dates = pl.col("date_orientation").str.to_date("%Y-%m-%d")
    notif = pl.col("date_reception_notification").str.to_date("%Y-%m-%d")
    corrected = pl.max_horizontal(dates - pl.duration(days=1), notif)
    touched = (pl.int_range(pl.len()) % 10 == 0) & pl.col("date_orientation").is_not_null()
    out = df.with_columns(
        date_orientation=pl.when(touched).then(corrected.dt.strftime("%Y-%m-%d")).otherwise(pl.col("date_orientation")),
    )
    changed = out.filter(touched & (corrected != dates)).height
    tmp = path.with_suffix(".tmp")
    out.write_csv(tmp, separator=",", line_terminator="\n")
    mtime = int(before.st_mtime) + 30 * 86400
    os.utime(tmp, (mtime, mtime))
    os.replace(tmp, path)
    return {"path": path.relative_to(landing).as_posix(), "rows": df.height, "rows_changed": changed,
            "mtime": dt.datetime.fromtimestamp(mtime, dt.timezone.utc).isoformat()}
