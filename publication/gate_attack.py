"""The gate's attack (socle.attack) on a published table, period by period, each period's result
kept in a cache keyed by the exact content it attacked.

Every relation the attacker knows is within one period (socle.relations: territorial groups,
breakdown categories and population sums are per period), so the attacker's system is
block-diagonal by period and attacking each period alone finds exactly what attacking the table
at once would (the exact test and the linear programs work per connected group, and a group
never spans two periods). A period's result is a pure function of its published rows (the columns
the attack reads, in a canonical order), the territories, the threshold, the size limit of the
linear programs and the code (socle.masking.code_fingerprint): that, hashed, is its cache key.
The attack reads of a cell its coordinates, its numerator and denominator and whether it is
secret (socle.attack.attack_table), so the key holds exactly that, in one form whatever the table
it comes from (`attacked_form`): a period whose statuses alone changed (provisional figures become
definitive) keeps its result, and the masking can leave its own final attack here.

A period whose rows did not change since an earlier gate is therefore not attacked again, and a
period that the masking has just masked is not attacked twice: the masking ends only when its
final attack, the gate's own (the same model, values and linear-programming limit), finds nothing,
and `certify` writes that result under the key of the rows it masked.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import polars as pl

from socle.attack import GATE_LP_MAX_VARS
from socle.masking import SECRET, code_fingerprint, prune_unused
from socle.relations import GUARDS

CACHE_FOLDER = "cache/attaque"  # in $SOCLE_HOME: the gate's attack per period, by content

COORDS = ["indicateur", "niveau", "code_territoire", "ventilation", "modalite"]
SECRET_FLAG = "secret"
SUMMED = ("inconnues", "groupes", "determinees_toutes_valeurs", "encadrees_par_programmation_lineaire",
          "sans_programmation_lineaire", "programmes_lineaires", "groupes_incoherents", "exposees", "secondes")


def _digest(frame: pl.DataFrame | None, extra: str) -> str:
    h = hashlib.sha256(extra.encode())
    if frame is not None:
        h.update(repr(list(frame.schema.items())).encode())
        h.update(frame.write_csv().encode())
    return h.hexdigest()


def attacked_form(rows: pl.DataFrame, period: str) -> pl.DataFrame:
    """What the attack reads of `rows` (one period), in canonical order and types: coordinates,
    numerator and denominator (Float64), secret or not, the period as text (`AAAA-MM` for a
    month, whether the rows hold a date, as the snapshot does, or the published text), and the
    guards of socle.relations when the rows have them (the yearly inflow rows)."""
    p = pl.col(period)
    text = p.dt.strftime("%Y-%m") if rows.schema[period] == pl.Date else p.cast(pl.String)
    guards = [pl.col(c).cast(pl.Boolean) for c in GUARDS.values() if c in rows.columns]
    out = rows.select(*COORDS, pl.col("numerateur", "denominateur").cast(pl.Float64),
                      (pl.col("statut") == SECRET).alias(SECRET_FLAG), text.alias(period), *guards)
    return out.sort(out.columns, nulls_last=True)


def context_key(territories: pl.DataFrame, appartenance: pl.DataFrame | None, threshold: int, period: str,
                lp_max_vars: int) -> str:
    terr = territories.sort(territories.columns, nulls_last=True)
    app = appartenance.sort(appartenance.columns, nulls_last=True) if appartenance is not None else None
    return _digest(terr, _digest(app, f"{code_fingerprint()}|{threshold}|{period}|{lp_max_vars}"))


def attack_by_period(values: pl.DataFrame, territories: pl.DataFrame, appartenance: pl.DataFrame | None,
                     threshold: int, period: str, lp_max_vars: int, cache: Path | None = None,
                     how: dict[str, str] | None = None) -> tuple[list[str], dict]:
    """(exposed cells described, summary) of the attack of `values`, period by period; `cache`: a
    folder keeping each period's result by its key (None: no cache)."""
    from socle.attack import attack_table, describe

    context = context_key(territories, appartenance, threshold, period, lp_max_vars)
    exposed: list[str] = []
    summary: dict = {k: 0 for k in SUMMED} | {"plus_grand_groupe": 0, "periodes_attaquees": 0, "periodes_reprises": 0}
    for value in values[period].unique().sort(nulls_last=True).to_list():
        rows = values.filter(pl.col(period).is_null() if value is None else pl.col(period) == value)
        rows = rows.sort([*COORDS, "numerateur", "denominateur", "statut"], nulls_last=True)
        key = _digest(attacked_form(rows, period), context)
        path = cache / f"{key}.json" if cache is not None else None
        if path is not None and path.is_file():
            found = json.loads(path.read_text(encoding="utf-8")) | {"_repris": True}   # its time is not spent now
            os.utime(path)   # used now: `prune` keeps it
            summary["periodes_reprises"] += 1
        else:
            report, model = attack_table(rows, territories, appartenance, threshold, period=period,
                                         lp_max_vars=lp_max_vars)
            found = {"exposees": [f"{describe(model, rows, e.var, period)} : {(how or {}).get(e.how, e.how)}"
                                  for e in report.exposed], "resume": report.summary()}
            summary["periodes_attaquees"] += 1
            if path is not None:
                _keep(path, found)
        exposed += found["exposees"]
        for k in SUMMED:
            if not (k == "secondes" and path is not None and summary["periodes_reprises"] and found.get("_repris")):
                summary[k] += found["resume"].get(k, 0)
        summary["plus_grand_groupe"] = max(summary["plus_grand_groupe"], found["resume"].get("plus_grand_groupe", 0))
    summary["secondes"] = round(summary["secondes"], 3)
    return exposed, summary


def prune(cache: Path, since: float) -> int:
    """After a gate that passed: delete the periods' results that it did not read since `since`
    (a time.time() taken before the masking of the snapshot it checked): the next gate can only
    reuse the results of periods whose published rows do not change. Returns how many."""
    return prune_unused(cache, "*.json", since)


def _keep(path: Path, found: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def certify(masked: pl.DataFrame, clear: dict, territories: pl.DataFrame, appartenance: pl.DataFrame | None,
            threshold: int, period: str, cache: Path) -> int:
    """Keep, as the gate's result for each period of `clear` (period value → summary of the
    masking's final attack, socle.masking.MaskingReport.gate_clear), that the attack of these
    masked rows exposes nothing: the gate will find it under the same key and not attack the
    period again. Returns the number of periods kept."""
    context = context_key(territories, appartenance, threshold, period, GATE_LP_MAX_VARS)
    for value, summary in clear.items():
        rows = masked.filter(pl.col(period).is_null() if value is None else pl.col(period) == value)
        _keep(cache / f"{_digest(attacked_form(rows, period), context)}.json", {"exposees": [], "resume": summary})
    return len(clear)
