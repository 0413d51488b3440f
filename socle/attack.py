"""The attack on a masked table: what can anyone recover of a secret figure from what is published?

What the attacker legitimately knows (privacy.md, small-count masking):

- every published number (counts, numerators, denominators of every published cell; a
  population published by one indicator is known in all those that share it);
- the relations of `socle.relations` (additive equations, population sums) and the bounds:
  every quantity ≥ 0, a numerator ≤ its denominator, a sub-population ≤ its population;
- that a cell is `secret`, but not why: the published table does not tell a primary secret
  (a quantity between 1 and threshold − 1) from a complement masked to protect it, so the
  attacker can assume neither 1 ≤ x ≤ threshold − 1 nor x ≥ threshold for a given secret cell.
  The attacker does not use the rounded `valeur` of delays (sums of days are not counts).

The unknowns are the masked quantities that no published cell shows. For each connected group of
unknowns (union of the equations that link them), the attack finds:

- **exact recoveries**: an unknown is determined when its unit vector lies in the row space of
  the group's equations (equivalently, its row of the null space is zero); its value is then the
  least-squares solution's;
- **narrowing** (groups of at most `lp_max_vars` unknowns, inequalities included): the smallest
  and largest value of each unknown by linear programming (`scipy.optimize.linprog`, HiGHS).

A quantity is **exposed** when the attacker pins it to fewer than three integer values, one of
which at least lies in 1..threshold − 1 (a quantity proved to be 0, or proved to be ≥ threshold,
reveals no secret figure). A **guarded** quantity (a yearly inflow or cohort quantity of a year
whose same quantity is secret in one of its months, publication.annuels) is exposed whatever its
value: published, determined, or pinned to fewer than three values, it would give the secret
months' sum by subtraction from the published months. The attack reports what it exposed — never
a value — and what it checked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy import linalg, sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from socle.relations import Model

TOL = 1e-6
LP_MAX_VARS = 60
GATE_LP_MAX_VARS = 3000  # the publication gate's attack: linear programming on far larger groups
RANDOM_DIRECTIONS = 2
BOX = 1e9


@dataclass
class Exposure:
    var: int
    how: str            # "determinee" (exactly), "encadree" (narrowed to fewer than three values) or
                        # "publiee" (a guarded quantity that a published cell shows)
    low: float = field(default=0.0, repr=False)    # what the attacker finds (tests only: never printed)
    high: float = field(default=0.0, repr=False)


@dataclass
class AttackReport:
    unknowns: int = 0
    groups: int = 0
    largest_group: int = 0
    determined: int = 0          # unknowns determined exactly, whatever their value (0 included)
    lp_vars: int = 0             # unknowns bounded by linear programming
    lp_skipped: int = 0          # unknowns of groups above lp_max_vars: exact test only
    lp_calls: int = 0
    inconsistent: int = 0        # groups whose system has no solution (a relation that does not hold)
    seconds: float = 0.0
    exposed: list[Exposure] = field(default_factory=list)

    def summary(self) -> dict:
        return {"inconnues": self.unknowns, "groupes": self.groups, "plus_grand_groupe": self.largest_group,
                "determinees_toutes_valeurs": self.determined, "encadrees_par_programmation_lineaire": self.lp_vars,
                "sans_programmation_lineaire": self.lp_skipped, "programmes_lineaires": self.lp_calls,
                "groupes_incoherents": self.inconsistent, "exposees": len(self.exposed),
                "secondes": round(self.seconds, 3)}


def _is_exposing(lo: float, hi: float, threshold: int, guarded: bool = False) -> bool:
    lo_i, hi_i = np.ceil(lo - TOL), np.floor(hi + TOL)
    if hi_i - lo_i + 1 >= 3:
        return False
    if guarded:   # proved to be 0, its months are 0: no secret figure
        return hi_i >= 1
    return max(lo_i, 1) <= min(hi_i, threshold - 1)


def attack(model: Model, values: np.ndarray, hidden: np.ndarray, threshold: int,
           lp_max_vars: int = LP_MAX_VARS, targets: np.ndarray | None = None,
           cache: dict | None = None, guarded: np.ndarray | None = None) -> AttackReport:
    """Attack the system. `values`: the published value of every variable (NaN when unknown);
    `hidden`: the variables masked everywhere (unknowns). A variable neither hidden nor published
    (a null figure) voids every equation it is in. `targets` (bool) limits the narrowing to some
    unknowns (default: all). `cache` (a dict kept across calls on the same model and values, as the
    masking does between its rounds) keeps each group's result: a group's system depends only on
    its set of unknowns. `guarded` (bool): the guarded quantities, exposed whatever their value
    (a published non-zero one is exposed too)."""
    start = time.perf_counter()
    report = AttackReport()
    n_var = model.n_var
    hidden = np.asarray(hidden, bool)
    guarded = np.zeros(n_var, bool) if guarded is None else np.asarray(guarded, bool)
    void = ~hidden & np.isnan(values)
    report.unknowns = int(hidden.sum())
    shown = [Exposure(var=int(j), how="publiee", low=float(values[j]), high=float(values[j]))
             for j in np.flatnonzero(guarded & ~hidden & (np.nan_to_num(values) > 0))]
    if not report.unknowns:
        report.exposed = shown
        report.seconds = time.perf_counter() - start
        return report
    r, v, c = model.eq_row, model.eq_var, model.eq_coef
    n_eq = model.n_eq
    bad = np.bincount(r, weights=void[v].astype(float), minlength=n_eq) > 0
    h_term = hidden[v]
    n_hidden = np.bincount(r, weights=h_term.astype(float), minlength=n_eq)
    known_part = np.bincount(r, weights=np.where(h_term, 0.0, np.nan_to_num(values[v]) * c), minlength=n_eq)
    active = ~bad & (n_hidden > 0)
    keep = active[r] & h_term
    er, ev, ec = r[keep], v[keep], c[keep]
    rhs = -known_part
    # groups: bipartite graph of unknowns and active equations; the narrowing groups add inequalities
    ineq = model.ineq
    ih = ineq[hidden[ineq[:, 0]] & hidden[ineq[:, 1]]] if len(ineq) else ineq
    n_nodes = n_var + n_eq

    def components(extra_a, extra_b):
        a = np.concatenate([ev, extra_a])
        b = np.concatenate([n_var + er, extra_b])
        g = sparse.coo_matrix((np.ones(len(a)), (a, b)), shape=(n_nodes, n_nodes))
        return connected_components(g, directed=False)[1]

    label_eq = components(np.zeros(0, np.int64), np.zeros(0, np.int64))
    label_lp = components(ih[:, 0], ih[:, 1]) if len(ih) else label_eq
    hidden_idx = np.flatnonzero(hidden)
    determined = np.zeros(n_var, bool)
    solution = np.full(n_var, np.nan)
    # exact recovery, per equation group
    eq_group = label_eq[n_var + np.arange(n_eq)]
    order = np.argsort(label_eq[hidden_idx], kind="stable")
    groups_vars = np.split(hidden_idx[order], np.flatnonzero(np.diff(label_eq[hidden_idx][order])) + 1)
    active_eqs = np.flatnonzero(active)
    eq_by_group: dict[int, np.ndarray] = {}
    if len(active_eqs):
        o = np.argsort(eq_group[active_eqs], kind="stable")
        ae = active_eqs[o]
        cuts = np.flatnonzero(np.diff(eq_group[ae])) + 1
        for chunk in np.split(ae, cuts):
            eq_by_group[int(eq_group[chunk[0]])] = chunk
    term_order = np.argsort(er, kind="stable")
    er_s, ev_s, ec_s = er[term_order], ev[term_order], ec[term_order]
    starts = np.searchsorted(er_s, np.arange(n_eq + 1))
    report.groups = len(groups_vars)
    for gv in groups_vars:
        report.largest_group = max(report.largest_group, len(gv))
        eqs = eq_by_group.get(int(label_eq[gv[0]]))
        if eqs is None:
            continue
        key = ("exact", gv.tobytes())
        if cache is not None and key in cache:
            det, x, bad = cache[key]
        else:
            A, b = _dense(eqs, gv, starts, ev_s, ec_s, rhs)
            det, x = _exact(A, b)
            bad = bool(np.abs(A @ x - b).max(initial=0) > 1e-4)
            if cache is not None:
                cache[key] = (det, x, bad)
        report.inconsistent += bad
        determined[gv[det]] = True
        solution[gv[det]] = x[det]
    report.determined = int(determined.sum())
    exposed = {}
    for j in np.flatnonzero(determined):
        if _is_exposing(solution[j], solution[j], threshold, guarded[j]):
            exposed[int(j)] = ("determinee", solution[j], solution[j])
    # narrowing by bound propagation, every group whatever its size (sound: the bounds it finds
    # hold the attacker's whole range)
    glo, ghi = _global_bounds(model, hidden, values)
    plo, phi = _propagate(model, hidden, glo, ghi, er, ev, ec, rhs, n_eq)
    for j in hidden_idx:
        if not determined[j] and _is_exposing(plo[j], phi[j], threshold, guarded[j]):
            exposed[int(j)] = ("encadree", plo[j], phi[j])
    # narrowing by linear programming, per group with the inequalities; the unknowns proved to
    # be 0 by the signs alone (a published 0 over hidden children…) need none
    targets_all = targets is None
    targets = hidden if targets is None else (np.asarray(targets, bool) & hidden)
    targets = targets & ~_zeros(model, hidden, values, er, ev, ec, rhs, n_eq)
    lp_group_of = label_lp[hidden_idx]
    lp_of_ineq = label_lp[ih[:, 0]] if len(ih) else np.zeros(0, np.int64)
    order = np.argsort(lp_group_of, kind="stable")
    lp_groups = np.split(hidden_idx[order], np.flatnonzero(np.diff(lp_group_of[order])) + 1)
    use_lp_cache = cache is not None and targets_all
    for gv in lp_groups:
        todo = gv[targets[gv] & ~determined[gv]]
        if not len(todo):
            continue
        if len(gv) > lp_max_vars:
            report.lp_skipped += len(todo)
            continue
        key = ("lp", gv.tobytes())
        if use_lp_cache and key in cache:
            found, n_vars = cache[key]
            report.lp_vars += n_vars
            for u, what in found.items():
                exposed.setdefault(u, what)
            continue
        before = dict(exposed)
        lp_vars_before = report.lp_vars
        # a finite box (far above any count) keeps every LP bounded, so each one gives a point
        bounds = [(glo[u], min(ghi[u], BOX)) for u in gv]
        eqs = np.unique(np.concatenate([eq_by_group.get(int(label_eq[u]), np.zeros(0, np.int64)) for u in gv]))
        A, b = _dense(eqs, gv, starts, ev_s, ec_s, rhs) if len(eqs) else (None, None)
        pos = {int(u): i for i, u in enumerate(gv)}
        rows = [(pos[int(a)], pos[int(bb)]) for a, bb in ih[lp_of_ineq == label_lp[gv[0]]]]
        A_ub = None
        if rows:
            A_ub = np.zeros((len(rows), len(gv)))
            for k, (i, j) in enumerate(rows):
                A_ub[k, i], A_ub[k, j] = 1.0, -1.0
        b_ub = np.zeros(len(rows)) if rows else None
        seen_lo = np.full(len(gv), np.inf)   # smallest and largest value seen at a feasible point
        seen_hi = np.full(len(gv), -np.inf)

        def solve(cvec):
            res = linprog(cvec, A_ub=A_ub, b_ub=b_ub, A_eq=A, b_eq=b, bounds=bounds, method="highs")
            report.lp_calls += 1
            if res.status == 0:
                np.minimum(seen_lo, res.x, out=seen_lo)
                np.maximum(seen_hi, res.x, out=seen_hi)
            return res

        def wide(i):  # three integers already seen feasible: the range holds them
            return np.floor(seen_hi[i] + TOL) - np.ceil(seen_lo[i] - TOL) + 1 >= 3

        # a few opposite random directions first: their vertices spread most unknowns over three
        # integers or more, which settles them without an LP of their own
        rng = np.random.default_rng(len(gv))
        first = solve(np.ones(len(gv)))
        if first.status == 2:   # infeasible: a relation that does not hold in the data
            report.inconsistent += 1
            continue
        for _ in range(RANDOM_DIRECTIONS):
            if all(wide(pos[int(u)]) for u in todo):
                break
            direction = rng.choice([-1.0, 1.0], size=len(gv))
            solve(direction)
            solve(-direction)
        for u in todo:
            i = pos[int(u)]
            report.lp_vars += 1
            ends = []
            for sign in (-1.0, 1.0):
                if wide(i):
                    break
                cvec = np.zeros(len(gv))
                cvec[i] = sign
                res = solve(cvec)
                ends.append(sign * res.fun if res.status == 0 else (np.inf if sign < 0 else -np.inf))
            if wide(i):
                continue
            lo, hi = (min(ends), max(ends)) if len(ends) == 2 else (seen_lo[i], seen_hi[i])
            if _is_exposing(lo, hi, threshold, guarded[u]) and int(u) not in exposed:
                exposed[int(u)] = ("encadree", lo, hi)
        if use_lp_cache:
            cache[key] = ({u: w for u, w in exposed.items() if u not in before}, report.lp_vars - lp_vars_before)
    report.exposed = shown + [Exposure(var=k, how=w, low=round(float(lo), 6), high=round(float(hi), 6))
                              for k, (w, lo, hi) in sorted(exposed.items())]
    report.seconds = time.perf_counter() - start
    return report


def _zeros(model: Model, hidden, values, er, ev, ec, rhs, n_eq) -> np.ndarray:
    """Unknowns that must be 0: in an equation whose right-hand side is 0 and whose other unknowns
    all have the same sign (all ≥ 0), or under a population that is 0."""
    zero = np.zeros(len(hidden), bool)
    ineq = model.ineq
    while True:
        live = ~zero[ev]
        pos = np.bincount(er, weights=(live & (ec > 0)).astype(float), minlength=n_eq)
        neg = np.bincount(er, weights=(live & (ec < 0)).astype(float), minlength=n_eq)
        one_sign = ((pos == 0) | (neg == 0)) & (pos + neg > 0) & (np.abs(rhs) < TOL)
        new = np.zeros_like(zero)
        new[ev[live & one_sign[er]]] = True
        if len(ineq):
            sup_zero = zero[ineq[:, 1]] | (~hidden[ineq[:, 1]] & (np.nan_to_num(values[ineq[:, 1]], nan=1.0) == 0))
            new[ineq[sup_zero & hidden[ineq[:, 0]], 0]] = True
        new &= hidden & ~zero
        if not new.any():
            return zero
        zero |= new


def _propagate(model: Model, hidden, lo, hi, er, ev, ec, rhs, n_eq, rounds: int = 20):
    """Interval bounds of the unknowns by propagation through the equations (each term between the
    right-hand side minus the others' extreme contributions) and the inclusions."""
    lo, hi = lo.copy(), np.minimum(hi, BOX)
    ineq = model.ineq
    both = ineq[hidden[ineq[:, 0]] & hidden[ineq[:, 1]]] if len(ineq) else ineq
    for _ in range(rounds):
        a_lo, a_hi = ec * lo[ev], ec * hi[ev]
        cmin, cmax = np.minimum(a_lo, a_hi), np.maximum(a_lo, a_hi)
        smin = np.bincount(er, weights=cmin, minlength=n_eq)
        smax = np.bincount(er, weights=cmax, minlength=n_eq)
        # a_j x_j = rhs − Σ_{k≠j} a_k x_k
        t_lo = rhs[er] - (smax[er] - cmax)
        t_hi = rhs[er] - (smin[er] - cmin)
        x_lo = np.where(ec > 0, t_lo / ec, t_hi / ec)
        x_hi = np.where(ec > 0, t_hi / ec, t_lo / ec)
        new_lo, new_hi = lo.copy(), hi.copy()
        np.maximum.at(new_lo, ev, x_lo)
        np.minimum.at(new_hi, ev, x_hi)
        if len(both):
            np.minimum.at(new_hi, both[:, 0], new_hi[both[:, 1]])
            np.maximum.at(new_lo, both[:, 1], new_lo[both[:, 0]])
        if np.allclose(new_lo, lo) and np.allclose(new_hi, hi):
            break
        lo, hi = new_lo, new_hi
    return lo, hi


def _exact(A: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(determined, least-squares solution) of A x = b. A variable is determined when its row of
    the null space of A (the eigenvectors of AᵀA for the eigenvalue 0) is zero; AᵀA is as small
    as the group, however many equations it has."""
    G = A.T @ A
    w, V = np.linalg.eigh(G)
    tol = max(float(w.max(initial=0.0)), 1.0) * 1e-9
    keep = w > tol
    null = V[:, ~keep]
    det = (np.linalg.norm(null, axis=1) < 1e-7) if null.shape[1] else np.ones(A.shape[1], bool)
    x = V[:, keep] @ ((V[:, keep].T @ (A.T @ b)) / w[keep])
    return det, x


def _dense(eqs: np.ndarray, gv: np.ndarray, starts, ev_s, ec_s, rhs) -> tuple[np.ndarray, np.ndarray]:
    pos = np.full(int(gv.max()) + 1, -1)
    pos[gv] = np.arange(len(gv))
    A = np.zeros((len(eqs), len(gv)))
    for k, e in enumerate(eqs):
        s, t = starts[e], starts[e + 1]
        cols = pos[ev_s[s:t]]
        ok = cols >= 0
        np.add.at(A[k], cols[ok], ec_s[s:t][ok])
    return A, rhs[eqs]


def _global_bounds(model: Model, hidden: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x ≥ 0; a sub-population ≤ a published population; a population ≥ a published sub-population."""
    lo = np.zeros(len(hidden))
    hi = np.full(len(hidden), np.inf)
    if len(model.ineq):
        a, b = model.ineq[:, 0], model.ineq[:, 1]
        known_b = ~hidden[b] & ~np.isnan(values[b])
        np.minimum.at(hi, a[known_b], values[b][known_b])
        known_a = ~hidden[a] & ~np.isnan(values[a])
        np.maximum.at(lo, b[known_a], values[a][known_a])
    return lo, hi


# --- from a published table ---------------------------------------------------------------------

def hidden_variables(model: Model, secret_cells: np.ndarray) -> np.ndarray:
    """Variables that no published cell shows: every cell carrying them is secret."""
    cv = model.cell_var
    cell = cv["cellule"].to_numpy()
    var = cv["var"].to_numpy()
    shown = np.zeros(model.n_var, bool)
    shown[var[~secret_cells[cell]]] = True
    return ~shown


def describe(model: Model, frame: pl.DataFrame, var: int, period: str = "mois") -> str:
    """Name a variable by the cells that carry it (indicator, level, territory, period, category),
    never by its value."""
    row = model.variables.row(var, named=True)
    cells = model.cell_var.filter(pl.col("var") == var)
    names = []
    for cell, quantite in cells.select("cellule", "quantite").rows():
        ind = frame["indicateur"][cell]
        names.append(ind if quantite == "numerateur" and not ind.startswith(("taux_", "part_"))
                     else f"{ind} ({quantite})")
    cat = "" if row["ventilation"] == "ensemble" else f" | {row['ventilation']}={row['modalite']}"
    return (f"{', '.join(sorted(set(names)))} | {row['niveau']} {row['code_territoire']} | "
            f"{str(row['periode'])[:7]}{cat}")


def attack_table(table: pl.DataFrame, territories: pl.DataFrame, appartenance: pl.DataFrame | None,
                 threshold: int, period: str = "mois", lp_max_vars: int = LP_MAX_VARS):
    """Attack a published table (statut `secret` marks masked cells): (report, model)."""
    from socle.relations import build_model, guarded_variables, variable_values

    model = build_model(table, territories, appartenance, period=period)
    secret = (table["statut"] == "secret").to_numpy()
    hidden = hidden_variables(model, secret)
    values = variable_values(model, table, published=pl.Series(~secret))
    return attack(model, values, hidden, threshold, lp_max_vars=lp_max_vars,
                  guarded=guarded_variables(model, table)), model
