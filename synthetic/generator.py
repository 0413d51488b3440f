"""generate(): simulate, lay the files out in the landing layout, return the manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import polars as pl

from . import mess as mess_mod
from .calendar import Calendar, build_calendar
from .identity import id_rsa, nir
from .monthly import (Identities, accompaniment_files, hire_files, inscription_files, orientation_files,
                      rsa_month)
from .population import simulate
from .records import build_records
from .referential import build_world, load_cog, normalise_departement, orientation_delay_mean
from .schema import (ACCOMPAGNEMENTS_DEP, ACCOMPAGNEMENTS_FT, INSCRIPTIONS, ORIENTATIONS, REPRISES, RSA, Kind,
                     empty_frame, relative_path)
from .writers import CLEAN, PARQUET, WINDOWS, XLSX, Format, csv_text, set_mtime, write_csv_text, \
    write_parquet, write_xlsx

MANIFEST_VERSION = 1
LAYOUT_DIRS = ("caf", "ft", "departements", "referentiels")

# independent random streams, so that changing one part leaves the others' draws alone
STREAM_POPULATION, STREAM_NIR, STREAM_RECORDS, STREAM_MESS = range(4)


@dataclass
class Planned:
    path: str  # relative to the landing folder
    kind: Kind
    producer: str  # 'caf', 'ft' or the département code
    month: int
    df: pl.DataFrame
    fmt: Format = CLEAN
    edits: mess_mod.Edits = field(default_factory=mess_mod.Edits)
    mtime: int = 0


def _delivery_time(cal: Calendar, m: int, producer_rank: int, kind_rank: int, late_days: int = 4) -> int:
    """Epoch seconds: a few days after the month, one producer after another (deterministic)."""
    day = int(cal.start[m + 1]) + late_days
    return day * 86400 + 6 * 3600 + producer_rank * 300 + kind_rank * 20


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, stream])


def _prepare_out(out: Path, replace: bool) -> None:
    if out.exists():
        entries = [p.name for p in out.iterdir()]
        if entries and not replace:
            raise FileExistsError(f"{out} is not empty (pass replace=True / --force to overwrite it)")
        foreign = [e for e in entries if e not in LAYOUT_DIRS]
        if foreign:
            raise FileExistsError(
                f"{out} holds files the generator did not write: {', '.join(sorted(foreign))}")
        for e in entries:
            shutil.rmtree(out / e)
    out.mkdir(parents=True, exist_ok=True)


def generate(out: Path, departements: list[str], debut: str, fin: str, seed: int, scale: float = 0.02,
             mess: bool = False, bassins: Path | None = None, *, replace: bool = False,
             log: Callable[[str], None] | None = None) -> dict:
    """Write a synthetic landing folder into `out` and return its manifest (JSON-serialisable)."""
    t_start = time.perf_counter()
    say = log or (lambda _msg: None)
    out = Path(out)
    deps = [normalise_departement(d) for d in departements]
    if not deps:
        raise ValueError("at least one département is needed")
    if scale <= 0:
        raise ValueError("scale must be positive")
    world = build_world(deps)
    cal = build_calendar(debut, fin)
    _prepare_out(out, replace)

    pop = simulate(world, cal, scale, _rng(seed, STREAM_POPULATION))
    ids = Identities(id_rsa=id_rsa(pop), nir=nir(pop, world, _rng(seed, STREAM_NIR)),
                     communes=world.codes)
    say(f"simulated {pop.n:,} persons over {cal.n} month(s) in {time.perf_counter() - t_start:.1f}s")
    rec = build_records(pop, world, cal, _rng(seed, STREAM_RECORDS))
    ori = orientation_files(rec, ids, cal, seed)
    acc_ft, acc_dep = accompaniment_files(rec, ids, cal, seed)
    ins = inscription_files(rec, pop, ids, cal, seed)
    rep = hire_files(rec, cal, seed)
    say(f"built the records in {time.perf_counter() - t_start:.1f}s")

    plan: list[Planned] = []
    for m, label in enumerate(cal.labels):
        plan.append(Planned(relative_path(RSA, label), RSA, "caf", m, rsa_month(pop, ids, m),
                            mtime=_delivery_time(cal, m, 0, 0)))
        ft_kinds = [(INSCRIPTIONS, ins), (ACCOMPAGNEMENTS_FT, acc_ft), (REPRISES, rep)]
        for k, (kind, frames) in enumerate(ft_kinds):
            plan.append(Planned(relative_path(kind, label), kind, "ft", m, frames.get(m, empty_frame(kind)),
                                mtime=_delivery_time(cal, m, 1, k)))
        for d, dep in enumerate(deps):
            for k, (kind, frames) in enumerate([(ORIENTATIONS, ori), (ACCOMPAGNEMENTS_DEP, acc_dep)]):
                plan.append(Planned(relative_path(kind, label, dep), kind, dep, m,
                                    frames.get((d, m), empty_frame(kind)),
                                    mtime=_delivery_time(cal, m, 2 + d, k)))

    mess_entries: list[dict] = []
    if mess:
        plan, mess_entries = _apply_mess(plan, deps, cal, _rng(seed, STREAM_MESS))

    files = [_write(out, p) for p in plan]
    if bassins is not None:
        files.append(_copy_bassins(out, Path(bassins), cal))
    files.sort(key=lambda f: f["path"])
    say(f"wrote {len(files)} files in {time.perf_counter() - t_start:.1f}s")

    rows_by_kind: dict[str, int] = {}
    for f in files:
        rows_by_kind[f["type_fichier"]] = rows_by_kind.get(f["type_fichier"], 0) + f["rows"]
    return {
        "generator": "synthetic",
        "manifest_version": MANIFEST_VERSION,
        "parameters": {
            "departements": deps, "debut": cal.labels[0], "fin": cal.labels[-1], "seed": seed, "scale": scale,
            "mess": mess, "bassins": Path(bassins).name if bassins is not None else None,
        },
        "months": cal.labels,
        "world": {
            "persons": pop.n,
            "rsa_rows_per_month": [int((s != 0).sum()) for s in pop.state],
            "orientation_delay_target_days": {d: orientation_delay_mean(d) for d in deps},
        },
        "files": files,
        "mess": mess_entries,
        "totals": {"files": len(files), "rows": sum(f["rows"] for f in files),
                   "bytes": sum(f["bytes"] for f in files), "rows_by_kind": rows_by_kind},
    }


def _apply_mess(plan: list[Planned], deps: list[str], cal: Calendar, rng: np.random.Generator
                ) -> tuple[list[Planned], list[dict]]:
    roles = mess_mod.plan_roles(deps, cal)
    entries: list[dict] = []
    by_key = {(p.kind.folder, p.kind.stem, p.producer, p.month): p for p in plan}

    def get(kind: Kind, producer: str, m: int) -> Planned:
        return by_key[(kind.folder, kind.stem, producer, m)]

    # (1) Windows-1252 orientations of département C
    for p in plan:
        if p.kind is ORIENTATIONS and p.producer == roles.dep_c:
            p.fmt = WINDOWS
            entries.append(mess_mod.entry(
                "format_windows_1252", p.path, "accepted",
                detail="cp1252, ';', DD/MM/YYYY, oui/non, CRLF; header names with accents, case and spaces",
                header=[WINDOWS.header[c] for c in ORIENTATIONS.columns]))
    # (2) xlsx accompaniments of département B
    for p in plan:
        if p.kind is ACCOMPAGNEMENTS_DEP and p.producer == roles.dep_b:
            p.fmt = XLSX
            p.path = p.path[: -len(".csv")] + ".xlsx"
            entries.append(mess_mod.entry("format_xlsx", p.path, "accepted",
                                          detail="one sheet, date cells, numbers as numbers"))
    # (5) rows that break the contract, (6) a former commune code
    caf = get(RSA, "caf", roles.month_caf)
    e, en = mess_mod.caf_rows(caf.df, caf.path, load_cog().fusions, rng)
    caf.edits, entries = e, entries + en
    ori = get(ORIENTATIONS, roles.dep_a, roles.month_ori)
    e, en = mess_mod.orientation_rows(ori.df, ori.path, ori.fmt.date_format, rng)
    ori.edits, entries = e, entries + en
    acc = get(ACCOMPAGNEMENTS_DEP, roles.dep_a, roles.month_acc)
    if acc.fmt.extension != "csv":
        acc = get(ACCOMPAGNEMENTS_FT, "ft", roles.month_acc)
    e, en = mess_mod.accompaniment_rows(acc.df, acc.path, acc.fmt.date_format, rng)
    acc.edits, entries = e, entries + en
    ins = get(INSCRIPTIONS, "ft", roles.month_ins)
    e, en = mess_mod.out_of_list_row(ins.df, ins.path, rng)
    ins.edits, entries = e, entries + en
    months = sorted(range(cal.n), key=lambda m: (m < roles.month_rep, abs(m - roles.month_rep)))
    rep = next((get(REPRISES, "ft", m) for m in months if len(get(REPRISES, "ft", m).df)), None)
    if rep is not None:
        e, en = mess_mod.missing_field_row(rep.df, rep.path, REPRISES, rng)
        rep.edits, entries = e, entries + en
    # (4) a month of département A's orientations re-sent as parquet, later
    orig = get(ORIENTATIONS, roles.dep_a, roles.month_resend)
    parquet_path = orig.path.rsplit(".", 1)[0] + ".parquet"
    fixed, en = mess_mod.corrected_resend(orig.df, orig.path, parquet_path, rng)
    entries += en
    resend = Planned(parquet_path, ORIENTATIONS, roles.dep_a, roles.month_resend, fixed, PARQUET,
                     mtime=orig.mtime + 30 * 86400)
    plan = plan + [resend]
    # (3) a month département B never sends
    if roles.month_missing is not None:
        gone = get(ORIENTATIONS, roles.dep_b, roles.month_missing)
        plan = [p for p in plan if p is not gone]
        entries.append(mess_mod.entry("missing_delivery", gone.path, "not_delivered",
                                      detail="this département never sends this month"))
    return plan, entries


def _write(out: Path, p: Planned) -> dict:
    path = out / p.path
    rows = len(p.df)
    if p.fmt.extension == "csv":
        text = csv_text(p.df, p.kind, p.fmt)
        if p.edits:
            text = mess_mod.apply_edits(text, p.kind.columns, p.fmt.delimiter, p.fmt.line_terminator, p.edits)
            rows += len(p.edits.append_copy_of)
        write_csv_text(path, text, p.fmt)
    elif p.fmt.extension == "xlsx":
        write_xlsx(path, p.df, p.kind)
    else:
        write_parquet(path, p.df)
    set_mtime(path, p.mtime)
    return _describe(path, p.path, p.kind.name, p.producer, None, rows, p.fmt, p.mtime)


def _describe(path: Path, rel: str, type_fichier: str, producer: str, mois: str | None, rows: int,
              fmt: Format | None, mtime: int) -> dict:
    data = path.read_bytes()
    if mois is None:
        mois = re.search(r"_(\d{4}-\d{2})\.", rel).group(1)
    return {
        "path": rel,
        "type_fichier": type_fichier,
        "producteur": producer.upper() if producer not in ("caf", "ft", "referentiel") else producer,
        "mois": mois,
        "format": fmt.to_json() if fmt is not None else None,
        "rows": rows,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "mtime": mtime,
        "mtime_utc": dt.datetime.fromtimestamp(mtime, dt.timezone.utc).isoformat(),
    }


def _copy_bassins(out: Path, source: Path, cal: Calendar) -> dict:
    """The bassin referential, copied as referentiels/bassins_<YYYY>.csv.

    YYYY is the year in the source's name, else the first month's year.
    """
    found = re.search(r"(19|20)\d{2}", source.name)
    year = found.group(0) if found else cal.labels[0][:4]
    rel = f"referentiels/bassins_{year}.csv"
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, path)
    mtime = int(cal.start[0]) * 86400
    set_mtime(path, mtime)
    rows = max(0, sum(1 for line in path.read_bytes().splitlines() if line.strip()) - 1)
    return _describe(path, rel, "bassins", "referentiel", f"{year}-01", rows, None, mtime)


def restore_mtimes(out: Path, manifest: dict) -> int:
    """Set the modification times recorded in a manifest (a git checkout does not keep them)."""
    n = 0
    for f in manifest["files"]:
        path = Path(out) / f["path"]
        if path.exists():
            set_mtime(path, f["mtime"])
            n += 1
    return n
