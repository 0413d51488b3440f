"""Small-count masking ("secret statistique", privacy.md), for every published copy.

The model of `socle.relations` gives the quantities a table shows (a count, a numerator, a
denominator), the population each one counts (the same population published by several
indicators is one variable) and every relation anyone knows between them.

- **Primary**: a cell is secret when its count, numerator or denominator is between 1 and
  threshold − 1. The small quantity is **protected**: every cell that shows its population, in
  any indicator, is masked (a population is masked alike in every indicator that shares it).
- **Guarded** quantities (optional columns of the frame, socle.relations.GUARDS: a yearly quantity
  whose population is secret in one of its months) are protected like small ones, whatever their
  value (but 0), and the attack exposes them whatever their value.
- **Secondary**, until nothing is left to fix:
  1. (fast, per equation) an equation that leaves exactly one non-zero masked quantity gets a
     complement;
  2. (global) the attack of `socle.attack` on the masked table, the same one the publication gate
     runs; each quantity it exposes (determined exactly, or narrowed to fewer than three values)
     gets a complement among the quantities sharing an equation or an inequality with it.
  A **complement** is a published, non-zero quantity (a zero protects nothing: zeros are
  published elsewhere), preferably one that the published figures would not give away once
  masked (not in an equation whose other terms are all published), the smallest first. It is
  protected like a primary secret, in every indicator.

A masked cell publishes `statut = secret` and empty `valeur`, `numerateur` and `denominateur`;
a quantity of a masked cell that another published cell shows stays known (the attack counts it
as known). Masking never touches `marts.indicateurs`: it works on a copy.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl
import scipy

from socle.attack import GATE_LP_MAX_VARS, LP_MAX_VARS, AttackReport, attack, hidden_variables
from socle.relations import Model, build_model, guarded_variables, variable_values

log = logging.getLogger(__name__)

SECRET = "secret"
STATUS = "statut"
MAX_ROUNDS = 200
LOCAL_TERMS = 12   # an equation of at most this many terms is local (not the nation's bassins)


def merge_attacks(a: AttackReport | None, b: AttackReport) -> AttackReport:
    """The attacks of two periods as one (exposures keep the variable numbers of their own period)."""
    if a is None:
        return AttackReport(**{k: (list(v) if isinstance(v, list) else v) for k, v in vars(b).items()})
    for name in ("unknowns", "groups", "determined", "lp_vars", "lp_skipped", "lp_calls", "inconsistent", "seconds"):
        setattr(a, name, getattr(a, name) + getattr(b, name))
    a.largest_group = max(a.largest_group, b.largest_group)
    a.exposed = a.exposed + b.exposed
    return a


def primary_secret(threshold: int) -> pl.Expr:
    small = lambda c: pl.col(c).is_between(1, threshold - 1).fill_null(False)  # noqa: E731
    return small("numerateur") | small("denominateur")


@dataclass
class MaskingReport:
    cells: int = 0
    primary_cells: int = 0          # cells with a small count, numerator or denominator
    masked_cells: int = 0           # every masked cell (primary, complements, shared populations)
    primary_quantities: int = 0     # small quantities (variables), and guarded ones not 0 (socle.attack)
    complements: int = 0            # quantities masked as complements
    rounds: int = 0
    unresolved: int = 0             # exposed quantities left without a possible complement
    false_relations: int = 0        # declared relations that the figures do not satisfy
    seconds: float = 0.0
    attack: AttackReport | None = None
    notes: list[str] = field(default_factory=list)
    masked_periods: int = 0         # periods masked by this call
    reused_periods: int = 0         # periods whose earlier masked rows were taken (same fingerprint)
    fingerprints: dict[str, str] = field(default_factory=dict)   # period (text) → fingerprint
    # period value → summary of its final attack, for the periods masked by this call whose masking
    # ended on the gate's own attack (GATE_LP_MAX_VARS) finding nothing (publication.gate_attack.certify)
    gate_clear: dict = field(default_factory=dict)
    cleared: bool = False           # (one period) the masking ended on the gate's attack finding nothing

    def add(self, other: MaskingReport) -> None:
        """Add the report of one period's masking."""
        self.primary_cells += other.primary_cells
        self.masked_cells += other.masked_cells
        self.primary_quantities += other.primary_quantities
        self.complements += other.complements
        self.rounds = max(self.rounds, other.rounds)
        self.unresolved += other.unresolved
        self.false_relations += other.false_relations
        self.notes += other.notes
        if other.attack is not None:
            self.attack = merge_attacks(self.attack, other.attack)

    def summary(self) -> dict:
        return {"periodes_masquees": self.masked_periods, "periodes_reprises": self.reused_periods, "cellules": self.cells, "cellules_secret_primaire": self.primary_cells,
                "cellules_masquees": self.masked_cells, "quantites_secret_primaire": self.primary_quantities,
                "quantites_complementaires": self.complements, "tours": self.rounds,
                "non_resolues": self.unresolved, "relations_fausses": self.false_relations, "secondes": round(self.seconds, 3),
                "attaque_finale": self.attack.summary() if self.attack else None}


def mask(frame: pl.DataFrame, territories: pl.DataFrame, threshold: int,
         appartenance: pl.DataFrame | None = None, period: str = "mois") -> pl.DataFrame:
    """Return `frame` with secret cells masked (primary then secondary)."""
    return mask_with_report(frame, territories, threshold, appartenance, period)[0]


def mask_with_report(frame: pl.DataFrame, territories: pl.DataFrame, threshold: int,
                     appartenance: pl.DataFrame | None = None, period: str = "mois",
                     lp_max_vars: int = LP_MAX_VARS,
                     final_lp_max_vars: int = GATE_LP_MAX_VARS,
                     reuse: dict[str, pl.DataFrame] | StoredPeriods | None = None) -> tuple[pl.DataFrame, MaskingReport]:
    """Mask `frame`, period by period (every relation is within one period: `socle.relations`);
    the rounds attack with linear programming on groups of at most `lp_max_vars` unknowns, and
    the masking of a period ends only when the publication gate's attack (`final_lp_max_vars`)
    finds nothing either.

    Each period is masked from its rows in a canonical order (sorted by every column), so that
    its masked rows depend only on its own rows and the context (`context_fingerprint`), never on
    the other periods nor on the row order of `frame`. `reuse` maps a period's fingerprint
    (`MaskingReport.fingerprints`) to that period's masked rows from an earlier masking: a period
    whose fingerprint is there takes them as they are (masking by difference), the others are
    masked. Rows come back in the order of `frame`."""
    start = time.perf_counter()
    report = MaskingReport(cells=frame.height)
    context = context_fingerprint(territories, appartenance, threshold, period, lp_max_vars, final_lp_max_vars)
    key = [c for c in PERIOD_KEY if c != "mois"] + [period]
    indexed = frame.with_row_index(ROW)
    parts = []
    for value, rows in _periods(indexed, period):
        rows = rows.sort([c for c in frame.columns], nulls_last=True, maintain_order=True)
        digest = period_fingerprint(rows.drop(ROW), context)
        report.fingerprints[_period_text(value)] = digest
        kept = _reused(reuse, digest, rows, key) if reuse else None
        if kept is not None:
            report.reused_periods += 1
            report.masked_cells += kept.filter(pl.col("statut") == SECRET).height
            parts.append(kept)
            continue
        out, sub = _mask_period(rows.drop(ROW), territories, threshold, appartenance, period, lp_max_vars,
                                final_lp_max_vars)
        report.add(sub)
        if sub.cleared and final_lp_max_vars == GATE_LP_MAX_VARS and not sub.false_relations:
            report.gate_clear[value] = sub.attack.summary()
        parts.append(out.with_columns(rows[ROW]))
    report.masked_periods = len(parts) - report.reused_periods
    out = (pl.concat(parts) if parts else indexed.clear()).sort(ROW).drop(ROW).select(frame.columns)
    report.seconds = time.perf_counter() - start
    return out, report


ROW = "_ligne_masquage"
PERIOD_KEY = ["indicateur", "niveau", "code_territoire", "mois", "ventilation", "modalite"]
CODE_FILES = ("masking.py", "attack.py", "relations.py", "populations.csv", "liens_populations.csv")


def reusable(masked: pl.DataFrame, fingerprints: dict[str, str], period: str = "mois") -> dict[str, pl.DataFrame]:
    """fingerprint → masked rows of that period, from an earlier masking's output and its
    `MaskingReport.fingerprints` (or the table stored beside a masked table): what `reuse` takes."""
    text = pl.col(period).cast(pl.String).fill_null("")
    return {digest: masked.filter(text == value) for value, digest in fingerprints.items()}


class StoredPeriods:
    """Masked rows of periods kept in a folder, one Parquet file per period fingerprint: a `reuse`
    for `mask_with_report` that outlives the process (the yearly table of the open data)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, digest: str) -> pl.DataFrame | None:
        path = self.folder / f"{digest}.parquet"
        if not path.is_file():
            return None
        os.utime(path)   # used now: `prune` keeps it
        return pl.read_parquet(path)

    def __bool__(self) -> bool:
        return True

    def keep(self, masked: pl.DataFrame, fingerprints: dict[str, str], period: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for digest, rows in reusable(masked, fingerprints, period).items():
            path = self.folder / f"{digest}.parquet"
            if not path.exists():
                tmp = path.with_name(f".{path.name}.tmp")
                rows.write_parquet(tmp)
                tmp.replace(path)

    def prune(self, since: float) -> int:
        """Delete the periods neither read nor written since `since` (a time.time()): those of
        earlier maskings, which the next masking by difference cannot reuse. Returns how many."""
        return prune_unused(self.folder, "*.parquet", since)


def prune_unused(folder: Path, pattern: str, since: float) -> int:
    """Delete the files of `folder` matching `pattern` last used (modified or touched) before
    `since`; returns how many. The caches by content touch a file each time they read it."""
    gone = 0
    for path in folder.glob(pattern) if folder.is_dir() else []:
        if path.stat().st_mtime < since:
            path.unlink(missing_ok=True)
            gone += 1
    return gone


def _periods(indexed: pl.DataFrame, period: str):
    """(period value, its rows), periods in ascending order (null last)."""
    values = indexed[period].unique().sort(nulls_last=True).to_list()
    for value in values:
        yield value, indexed.filter(pl.col(period).is_null() if value is None else pl.col(period) == value)


def _period_text(value) -> str:
    return "" if value is None else str(value)


def _digest(*frames: pl.DataFrame | None, extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for f in frames:
        h.update(b"\x00")
        if f is not None:
            h.update(repr(list(f.schema.items())).encode())
            h.update(f.write_csv().encode())
    return h.hexdigest()


@cache
def code_fingerprint() -> str:
    """The code and declared tables the masking runs (any change masks every period again)."""
    h = hashlib.sha256()
    for name in CODE_FILES:
        h.update(name.encode() + b"\x00" + (Path(__file__).parent / name).read_bytes())
    h.update(f"polars {pl.__version__} numpy {np.__version__} scipy {scipy.__version__}".encode())
    return h.hexdigest()


def context_fingerprint(territories: pl.DataFrame, appartenance: pl.DataFrame | None, threshold: int,
                        period: str, lp_max_vars: int, final_lp_max_vars: int) -> str:
    """Everything besides a period's own rows that its masking reads."""
    terr = territories.sort(territories.columns, nulls_last=True)
    app = appartenance.sort(appartenance.columns, nulls_last=True) if appartenance is not None else None
    return _digest(terr, app, extra=f"{code_fingerprint()}|{threshold}|{period}|{lp_max_vars}|{final_lp_max_vars}"
                                    f"|{MAX_ROUNDS}|{LOCAL_TERMS}")


def period_fingerprint(rows: pl.DataFrame, context: str) -> str:
    """A period's rows but their statuses (canonical order) and the context: equal fingerprints,
    equal masking. The masking reads the counts, never the status: a period whose statuses alone
    changed (a file arrived that makes its figures definitive) keeps its masking."""
    return _digest(rows.drop(STATUS, strict=False), extra=context)


def _reused(reuse, digest: str, rows: pl.DataFrame, key: list[str]) -> pl.DataFrame | None:
    """The earlier masked rows of a period with this fingerprint, each given the row number and the
    status of the row of `rows` with its key (a masked cell stays `secret`); None when unknown (or
    the key does not identify the rows)."""
    earlier = reuse.get(digest)
    if earlier is None or earlier.height != rows.height or rows.select(key).is_duplicated().any():
        return None
    cols = [c for c in rows.columns if c != ROW]
    joined = earlier.select(cols).join(rows.select(*key, ROW, pl.col(STATUS).alias("_statut")), on=key,
                                       how="inner", nulls_equal=True)
    if joined.height != rows.height:
        return None
    return joined.with_columns(
        pl.when(pl.col(STATUS) == SECRET).then(pl.col(STATUS)).otherwise(pl.col("_statut")).alias(STATUS)
    ).select(*cols, ROW)


def _mask_period(frame: pl.DataFrame, territories: pl.DataFrame, threshold: int, appartenance, period: str,
                 lp_max_vars: int, final_lp_max_vars: int) -> tuple[pl.DataFrame, MaskingReport]:
    """Mask the rows of one period (primary then secondary)."""
    report = MaskingReport(cells=frame.height)
    model = build_model(frame, territories, appartenance, period=period)
    truth = variable_values(model, frame)
    masked_cells, protected = plan(model, frame, truth, threshold, report, lp_max_vars, final_lp_max_vars,
                                   guarded_variables(model, frame))
    report.masked_cells = int(masked_cells.sum())
    hit = pl.Series("_m", masked_cells)
    out = frame.with_columns(
        valeur=pl.when(hit).then(None).otherwise(pl.col("valeur")),
        numerateur=pl.when(hit).then(None).otherwise(pl.col("numerateur")),
        denominateur=pl.when(hit).then(None).otherwise(pl.col("denominateur")),
        statut=pl.when(hit).then(pl.lit(SECRET)).otherwise(pl.col("statut")),
    )
    return out, report


def plan(model: Model, frame: pl.DataFrame, truth: np.ndarray, threshold: int, report: MaskingReport,
         lp_max_vars: int = LP_MAX_VARS, final_lp_max_vars: int = GATE_LP_MAX_VARS,
         guarded: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(masked cells, protected variables). `guarded`: variables protected whatever their value
    (socle.attack), when not 0."""
    n_cells = frame.height
    cell = model.cell_var["cellule"].to_numpy()
    var = model.cell_var["var"].to_numpy()
    void = np.isnan(truth)
    value = np.nan_to_num(truth)
    small = ~void & (value >= 1) & (value <= threshold - 1)
    primary_rows = frame.select(primary_secret(threshold))[:, 0].to_numpy()
    guarded = np.zeros(model.n_var, bool) if guarded is None else guarded
    protected = small | (guarded & (value > 0))
    report.primary_quantities = int(protected.sum())
    first = np.zeros(n_cells, bool)
    first[cell[protected[var]]] = True
    report.primary_cells = int((first | primary_rows).sum())
    r, v, c = model.eq_row, model.eq_var, model.eq_coef
    n_eq = model.n_eq
    bad_eq = np.bincount(r, weights=void[v].astype(float), minlength=n_eq) > 0
    # the declared relations must hold in the figures: one that does not is reported (and not used)
    gap = np.bincount(r, weights=c * value[v], minlength=n_eq)
    false_eq = ~bad_eq & (np.abs(gap) > 1e-6)
    false_ineq = int((value[model.ineq[:, 0]] > value[model.ineq[:, 1]]).sum()) if len(model.ineq) else 0
    report.false_relations = int(false_eq.sum()) + false_ineq
    if report.false_relations:
        labels = [model.eq_label[i] for i in np.flatnonzero(false_eq)[:5]]
        log.warning("masquage : %d relation(s) déclarée(s) fausse(s) dans les chiffres, ex. %s",
                    report.false_relations, labels)
        report.notes.append(f"{report.false_relations} relation(s) déclarée(s) fausse(s) dans les chiffres")
    bad_eq |= false_eq
    neighbours = _Neighbours(model)
    size = np.bincount(r, minlength=n_eq)
    cache: dict = {}   # the attack's result per group of unknowns, kept between rounds
    final_cache: dict = {}   # the same for the gate's attack

    def masked_from(prot):
        m = primary_rows.copy()
        m[cell[prot[var]]] = True
        return m

    while report.rounds < MAX_ROUNDS:
        report.rounds += 1
        masked = masked_from(protected)
        hidden = hidden_variables(model, masked)
        live = ~bad_eq[r]
        h = hidden[v] & live
        nh = np.bincount(r, weights=h.astype(float), minlength=n_eq)
        nh_nz = np.bincount(r, weights=(h & (value[v] > 0)).astype(float), minlength=n_eq)
        pinned = np.zeros(model.n_var, bool)
        pinned[v[live & (nh[r] == 0)]] = True
        offending = (nh == 1) & (nh_nz == 1) & ~bad_eq
        if offending.any():
            # one equation per exposed quantity and round, the smallest (the most local): its
            # complement often settles the larger equations too
            lone = h & offending[r]
            eq_of, lone_var = r[lone], v[lone]
            order = np.lexsort((eq_of, size[eq_of], lone_var))
            keep = np.ones(len(order), bool)
            keep[1:] = lone_var[order][1:] != lone_var[order][:-1]
            offending = np.zeros(n_eq, bool)
            offending[eq_of[order][keep]] = True
            terms = offending[r] & ~hidden[v] & ~void[v] & (value[v] > 0)
            chosen = _pick(r[terms], v[terms], pinned, value)
            new = chosen[~protected[chosen]]
            if len(new):
                protected[new] = True
                report.complements += len(new)
                log.debug("masquage, tour %d : %d complément(s) locaux", report.rounds, len(new))
                continue
        values = np.where(hidden, np.nan, truth)
        result = attack(model, values, hidden, threshold, lp_max_vars=lp_max_vars, cache=cache, guarded=guarded)
        final = not result.exposed and final_lp_max_vars > lp_max_vars
        if final:
            # what the gate will find: linear programming on the groups too large for the rounds
            result = attack(model, values, hidden, threshold, lp_max_vars=final_lp_max_vars, cache=final_cache,
                            guarded=guarded)
        report.attack = result
        if not result.exposed:
            report.cleared = final
            break
        added = 0
        settled: set[int] = set()   # exposed quantities sharing an equation with a new complement
        for exp in result.exposed:
            if exp.var in settled:
                continue
            # a term of one of its equations first; the inequality partners (its own, those of
            # those terms) only when no term can be masked
            for with_partners in (False, True):
                cands = neighbours.get(exp.var, partners=with_partners)
                cands = cands[~hidden[cands] & ~void[cands] & (value[cands] > 0)]
                if len(cands):
                    break
            if not len(cands):
                continue
            best = cands[np.lexsort((cands, value[cands], pinned[cands]))[0]]
            if not protected[best]:
                protected[best] = True
                added += 1
                # exposures sharing a small (local) equation with it wait for the next round
                settled.update(int(u) for u in neighbours.get(int(best), max_terms=LOCAL_TERMS))
        report.complements += added
        log.debug("masquage, tour %d : %d exposée(s), %d complément(s)", report.rounds, len(result.exposed), added)
        if not added:
            report.unresolved = len(result.exposed)
            report.notes.append(f"{len(result.exposed)} quantité(s) exposée(s) sans complément possible")
            log.warning("masquage : %d quantité(s) exposée(s) sans complément possible", len(result.exposed))
            break
    return masked_from(protected), protected


def _pick(eq: np.ndarray, var: np.ndarray, pinned: np.ndarray, value: np.ndarray) -> np.ndarray:
    """One complement per equation: not pinned first, then the smallest value, then the first."""
    if not len(eq):
        return np.zeros(0, np.int64)
    order = np.lexsort((var, value[var], pinned[var], eq))
    eq_s, var_s = eq[order], var[order]
    first = np.ones(len(eq_s), bool)
    first[1:] = eq_s[1:] != eq_s[:-1]
    return np.unique(var_s[first])


class _Neighbours:
    """For a variable: the variables sharing an equation with it, and the inequality partners of
    it and of those (looked up on demand: a national equation has hundreds of terms)."""

    def __init__(self, model: Model):
        self.r, self.v = model.eq_row, model.eq_var   # sorted by equation
        self.eq_start = np.searchsorted(self.r, np.arange(model.n_eq + 1))
        self.by_var = np.argsort(self.v, kind="stable")
        self.var_start = np.searchsorted(self.v[self.by_var], np.arange(model.n_var + 1))
        ineq = model.ineq if len(model.ineq) else np.zeros((0, 2), np.int64)
        both = np.concatenate([ineq, ineq[:, ::-1]])
        order = np.argsort(both[:, 0], kind="stable")
        self.ineq_from, self.ineq_to = both[order, 0], both[order, 1]
        self.ineq_start = np.searchsorted(self.ineq_from, np.arange(model.n_var + 1))

    def partners(self, x: np.ndarray) -> np.ndarray:
        return np.concatenate([self.ineq_to[self.ineq_start[u]:self.ineq_start[u + 1]] for u in x]
                              or [np.zeros(0, np.int64)])

    def get(self, x: int, max_terms: int | None = None, partners: bool = True) -> np.ndarray:
        eqs = self.r[self.by_var[self.var_start[x]:self.var_start[x + 1]]]
        if max_terms is not None:
            eqs = eqs[self.eq_start[eqs + 1] - self.eq_start[eqs] <= max_terms]
        terms = np.concatenate([self.v[self.eq_start[e]:self.eq_start[e + 1]] for e in eqs]
                               or [np.zeros(0, np.int64)])
        near = np.unique(np.concatenate([terms, [x]]).astype(np.int64))
        out = np.unique(np.concatenate([near, self.partners(near)])) if partners else near
        return out[out != x]
