"""Turn string cells into typed values; a cell that cannot be read is a failure.

Accepted spellings (sources.md): dates `YYYY-MM-DD` or `DD/MM/YYYY`; booleans
`0/1`, `true/false`, `oui/non`; integers as digits only; decimals as digits
with one `.` or `,`; codes compared case-insensitively and returned in the
contract's spelling; identifiers and codes trimmed and upper-cased.
"""

from __future__ import annotations

import polars as pl

from ingestion import communes
from ingestion.readers import LINE
from ingestion.schemas import Col, Kind

_BOOLS = {"0": False, "1": True, "false": False, "true": True, "non": False, "oui": True}

# No number of the contract (a year, hours, days) has more digits: a longer one is not read (a
# NIR typed in a number column must not reach the raw layer as a number).
MAX_DIGITS = 9

# rule names used in quarantine (French: users read them)
RULE_FOR_TYPE = {"date": "date_illisible", "bool": "booleen_illisible", "int": "nombre_illisible",
                 "decimal": "nombre_illisible"}


def _clean(name: str) -> pl.Expr:
    s = pl.col(name).str.strip_chars()
    return pl.when(s == "").then(None).otherwise(s)


def _typed(col: Col) -> pl.Expr:
    s = _clean(col.name)
    if col.type == "date":
        iso = s.str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(\.0+)?$", "$1")
        return (pl.when(iso.str.contains(r"^\d{4}-\d{2}-\d{2}$"))
                .then(iso.str.to_date("%Y-%m-%d", strict=False))
                .when(s.str.contains(r"^\d{2}/\d{2}/\d{4}$"))
                .then(s.str.to_date("%d/%m/%Y", strict=False)))
    if col.type == "bool":
        return s.str.to_lowercase().replace_strict(_BOOLS, default=None, return_dtype=pl.Boolean)
    if col.type == "int":
        return pl.when(s.str.contains(rf"^\d{{1,{MAX_DIGITS}}}$")).then(s.cast(pl.Int64, strict=False))
    if col.type == "decimal":
        return pl.when(s.str.contains(rf"^\d{{1,{MAX_DIGITS}}}([.,]\d{{1,{MAX_DIGITS}}})?$")).then(
            s.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False))
    if col.type == "code":
        spelling = {v.upper(): v for v in col.values}
        up = s.str.to_uppercase()
        return up.replace(spelling)
    if col.type == "freins":
        return s.str.to_uppercase().str.split("|").list.eval(pl.element().str.strip_chars()).list.join("|")
    if col.type == "commune":
        up = s.str.to_uppercase()
        padded = pl.when(up.str.contains(r"^\d{4}$")).then(pl.lit("0") + up).otherwise(up)
        return communes.remap(padded)
    return s.str.to_uppercase()  # text identifiers, nir


def parse(frame: pl.DataFrame, kind: Kind) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (typed frame with `ligne`, failures[ligne, colonne, valeur, regle])."""
    present = set(frame.columns)
    raw = frame.with_columns(pl.lit(None, pl.String).alias(c.name) for c in kind.columns
                             if c.name not in present)
    typed = raw.select(pl.col(LINE), *[_typed(c).alias(c.name) for c in kind.columns])
    failures = []
    for col in kind.columns:
        if col.type not in RULE_FOR_TYPE:
            continue
        mask = raw.select(_clean(col.name).is_not_null()).to_series() & typed[col.name].is_null()
        bad = raw.filter(mask).select(LINE, pl.col(col.name).alias("valeur"))
        if bad.height:
            failures.append(bad.with_columns(colonne=pl.lit(col.name), regle=pl.lit(RULE_FOR_TYPE[col.type])))
    failures = (pl.concat(failures) if failures else
                pl.DataFrame(schema={LINE: pl.Int64, "valeur": pl.String, "colonne": pl.String,
                                     "regle": pl.String}))
    return typed, failures.select(LINE, "colonne", "valeur", "regle")
