"""The --mess option: what real producers send besides clean files, each recorded for the tests.

Roles, from the départements given (with 35,56,13: A = 35, B = 56, C = 13):

1. C's orientations, every month: Windows-1252, `;`, DD/MM/YYYY, oui/non, CRLF,
   header names retyped with accents, case and surrounding spaces.
2. B's accompaniments, every month: `.xlsx`.
3. B never sends its orientations for one mid-period month.
4. A re-sends one month of orientations as `.parquet`, later modification
   time, a few `date_orientation` corrected; the `.csv` stays beside it.
5. Rows that break the contract, at recorded lines (line 1 = header): in A's
   orientations (a bad date, an orientation before T0, a duplicated key),
   A's accompaniments (date_fin < date_debut), the CAF file (an unknown
   commune, a malformed NIR), France Travail's registrations (a value outside
   its list) and hires (a line with a missing field).
6. In the CAF file, a former commune code (merged since): valid, remapped.

Every entry of the manifest's "mess" list has: rule, file, line, column,
value, expected (`quarantine`, `remapped`, `accepted`, `not_delivered`,
`replaced`, `current`), and for some a detail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from .calendar import Calendar, to_date
from .identity import nir_number
from .schema import Kind

BAD_DATE = "2024-13-45"
UNKNOWN_COMMUNE = "99999"
OUT_OF_LIST_CATEGORIE = "F"


@dataclass
class Roles:
    dep_a: str  # clean files that carry the bad rows; the re-sent month
    dep_b: str  # xlsx accompaniments; a month never sent
    dep_c: str  # Windows-1252 orientations
    month_caf: int
    month_ori: int
    month_acc: int
    month_ins: int
    month_rep: int
    month_resend: int
    month_missing: int | None


def plan_roles(deps: list[str], cal: Calendar) -> Roles:
    n = cal.n
    a = deps[0]
    b = deps[1] if len(deps) > 1 else deps[0]
    c = deps[2] if len(deps) > 2 else deps[-1]
    last = n - 1
    month_ori = min(2, last)
    month_resend = min(5, last)
    if month_resend == month_ori and n > 1:
        month_resend = (month_ori + 1) % n
    month_missing: int | None = n // 2 if n >= 3 else None
    if month_missing is not None and b == a and month_missing in (month_ori, month_resend):
        free = [m for m in range(1, n - 1) if m not in (month_ori, month_resend)]
        month_missing = free[0] if free else None
    return Roles(a, b, c, month_caf=min(1, last), month_ori=month_ori, month_acc=min(4, last),
                 month_ins=min(6, last), month_rep=min(8, last), month_resend=month_resend,
                 month_missing=month_missing)


@dataclass
class Edits:
    """Text edits on one CSV file, by line number (1 = header)."""

    set_value: list[tuple[int, str, str]] = field(default_factory=list)  # line, column, raw text
    drop_last_field: list[int] = field(default_factory=list)
    append_copy_of: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.set_value or self.drop_last_field or self.append_copy_of)


def apply_edits(text: str, columns: list[str], delimiter: str, terminator: str, edits: Edits) -> str:
    lines = text.split(terminator)
    assert lines[-1] == ""
    body = lines[:-1]
    for line, column, value in edits.set_value:
        fields = body[line - 1].split(delimiter)
        fields[columns.index(column)] = value
        body[line - 1] = delimiter.join(fields)
    for line in edits.drop_last_field:
        body[line - 1] = delimiter.join(body[line - 1].split(delimiter)[:-1])
    for line in edits.append_copy_of:
        body.append(body[line - 1])
    return terminator.join(body) + terminator


def format_date(day: int, date_format: str) -> str:
    d = to_date(day)
    return d.strftime("%d/%m/%Y") if date_format == "DD/MM/YYYY" else d.isoformat()


def _day(v) -> int:
    return (v - to_date(0)).days


def _pick_rows(rng: np.random.Generator, mask: np.ndarray, k: int, taken: set[int]) -> list[int]:
    cand = [int(i) for i in np.flatnonzero(mask) if int(i) not in taken]
    if len(cand) < k:
        return []
    chosen = sorted(int(i) for i in rng.choice(cand, k, replace=False))
    taken.update(chosen)
    return chosen


def entry(rule: str, file: str, expected: str, line: int | None = None, column: str | None = None,
          value: str | None = None, **detail) -> dict:
    e = {"rule": rule, "file": file, "line": line, "column": column, "value": value, "expected": expected}
    e.update(detail)
    return e


def orientation_rows(df: pl.DataFrame, path: str, date_format: str, rng: np.random.Generator
                     ) -> tuple[Edits, list[dict]]:
    """A bad date, an orientation before T0 and a duplicated key in one orientations file."""
    edits, out, taken = Edits(), [], set()
    has = df["date_orientation"].is_not_null().to_numpy()
    rows = _pick_rows(rng, has, 2, taken)
    if rows:
        i, j = rows
        bad = BAD_DATE if date_format == "YYYY-MM-DD" else "45/13/2024"
        edits.set_value.append((i + 2, "date_orientation", bad))
        out.append(entry("bad_date", path, "quarantine", i + 2, "date_orientation", edits.set_value[-1][2]))
        t0 = _day(df["date_reception_notification"][j])
        value = format_date(t0 - 3, date_format)
        edits.set_value.append((j + 2, "date_orientation", value))
        out.append(entry("orientation_before_t0", path, "quarantine", j + 2, "date_orientation", value,
                         date_reception_notification=format_date(t0, date_format)))
    dup = _pick_rows(rng, np.ones(len(df), dtype=bool), 1, taken)
    if dup:
        (k,) = dup
        edits.append_copy_of.append(k + 2)
        out.append(entry("duplicated_key", path, "quarantine", k + 2, "id_rsa, date_reception_notification",
                         None, kept_line=len(df) + 2,
                         detail="the same row is repeated as the file's last line"))
    return edits, out


def accompaniment_rows(df: pl.DataFrame, path: str, date_format: str, rng: np.random.Generator
                       ) -> tuple[Edits, list[dict]]:
    edits, out = Edits(), []
    rows = _pick_rows(rng, np.ones(len(df), dtype=bool), 1, set())
    if rows:
        (i,) = rows
        value = format_date(_day(df["date_debut"][i]) - 10, date_format)
        edits.set_value.append((i + 2, "date_fin", value))
        out.append(entry("date_fin_before_date_debut", path, "quarantine", i + 2, "date_fin", value,
                         date_debut=format_date(_day(df["date_debut"][i]), date_format)))
    return edits, out


def caf_rows(df: pl.DataFrame, path: str, fusions: pl.DataFrame, rng: np.random.Generator
             ) -> tuple[Edits, list[dict]]:
    """An unknown commune, a malformed NIR, and a former commune code (valid, remapped)."""
    edits, out, taken = Edits(), [], set()
    former = fusions.group_by("code_commune").agg(pl.col("code_ancien").min()).sort("code_commune")
    mapped = df.select("code_commune").join(former, on="code_commune", how="left", maintain_order="left")
    has_former = mapped["code_ancien"].is_not_null().to_numpy()
    rows = _pick_rows(rng, has_former, 1, taken)
    if rows:
        (i,) = rows
        ancien = mapped["code_ancien"][i]
        edits.set_value.append((i + 2, "code_commune", ancien))
        out.append(entry("former_commune_code", path, "remapped", i + 2, "code_commune", ancien,
                         remapped_to=df["code_commune"][i]))
    rows = _pick_rows(rng, np.ones(len(df), dtype=bool), 2, taken)
    if rows:
        i, j = rows
        edits.set_value.append((i + 2, "code_commune", UNKNOWN_COMMUNE))
        out.append(entry("unknown_commune", path, "quarantine", i + 2, "code_commune", UNKNOWN_COMMUNE))
        good = df["nir"][j]
        key = 97 - nir_number(good) % 97
        bad = good[:13] + f"{key % 97 + 1:02d}"
        edits.set_value.append((j + 2, "nir", bad))
        out.append(entry("malformed_nir", path, "quarantine", j + 2, "nir", bad, detail="wrong key"))
    return edits, out


def out_of_list_row(df: pl.DataFrame, path: str, rng: np.random.Generator) -> tuple[Edits, list[dict]]:
    edits, out = Edits(), []
    rows = _pick_rows(rng, np.ones(len(df), dtype=bool), 1, set())
    if rows:
        (i,) = rows
        edits.set_value.append((i + 2, "categorie", OUT_OF_LIST_CATEGORIE))
        out.append(entry("out_of_list", path, "quarantine", i + 2, "categorie", OUT_OF_LIST_CATEGORIE))
    return edits, out


def missing_field_row(df: pl.DataFrame, path: str, kind: Kind, rng: np.random.Generator
                      ) -> tuple[Edits, list[dict]]:
    edits, out = Edits(), []
    rows = _pick_rows(rng, np.ones(len(df), dtype=bool), 1, set())
    if rows:
        (i,) = rows
        edits.drop_last_field.append(i + 2)
        out.append(entry("field_count", path, "quarantine", i + 2, None, None,
                         detail=f"{len(kind.columns) - 1} fields instead of {len(kind.columns)}"))
    return edits, out


def corrected_resend(df: pl.DataFrame, csv_path: str, parquet_path: str, rng: np.random.Generator
                     ) -> tuple[pl.DataFrame, list[dict]]:
    """The re-sent month: a few date_orientation moved earlier (never before T0 nor the appointment)."""
    t0 = np.array([_day(v) for v in df["date_reception_notification"]], dtype=np.int64)
    dor = np.array([_day(v) if v is not None else -1 for v in df["date_orientation"]], dtype=np.int64)
    rdv = np.array([_day(v) if v is not None else -1 for v in df["date_rdv_orientation"]], dtype=np.int64)
    floor = np.maximum(t0, rdv)
    movable = (dor >= 0) & (dor - floor >= 2)
    changes = [(i, int(dor[i] - rng.integers(1, min(15, dor[i] - floor[i]))))
               for i in _pick_rows(rng, movable, min(3, int(movable.sum())), set())]
    new = dor.copy()
    for i, d in changes:
        new[i] = d
    fixed = df.with_columns(
        date_orientation=pl.when(pl.Series(new >= 0)).then(pl.Series(new).cast(pl.Int32).cast(pl.Date))
    )
    out = [entry("replaced_by_other_extension", csv_path, "replaced", replaced_by=parquet_path),
           entry("resent_other_extension", parquet_path, "current", replaces=csv_path,
                 detail="same month re-sent as parquet with a later modification time")]
    for i, d in changes:
        out.append(entry("corrected_value", parquet_path, "current", i + 2, "date_orientation",
                         to_date(d).isoformat(), previous_value=to_date(int(dor[i])).isoformat()))
    return fixed, out
