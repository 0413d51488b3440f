"""RSA persons and their monthly CAF state: the backbone every other file hangs on.

The simulation is a vectorised monthly Markov chain over all persons at once.
Each month, for persons holding a right at the end of the previous month:
radiation (one `radie` row, then gone), suspension (1–6 months mostly, 12–18
months for one in five), the end of a suspension (back to `ouvert`, or
radiation), moves to another chosen département or another commune, the
500 € threshold crossed either way (`soumis_droits_devoirs` flips), and a
right that is not payable this month. Then former beneficiaries come back
(a new right after radiation), and new persons arrive: first claimants, and
conjoints joining an existing household (same matricule, rang 02).

Alongside, the events the département is notified of are recorded: each opens
an orientation episode (see records.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .calendar import Calendar
from .referential import World, sample_communes, sample_communes_in

# Monthly probabilities.
P_RADIATION = 0.019  # ouvert -> radie
P_SUSPENSION = 0.011  # ouvert -> suspendu
P_RADIATION_AFTER_SUSPENSION = 0.35  # at the end of a suspension
P_MOVE_DEPARTEMENT = 0.003  # to another chosen département
P_MOVE_COMMUNE = 0.005  # to another commune of the same département
P_SDD_OFF = 0.012  # crosses the 500 € threshold upwards
P_SDD_ON = 0.30  # comes back under it
P_NOT_VERSABLE = 0.03  # an open right not payable this month
P_NOT_VERSABLE_FIRST = 0.12  # first month of a right
P_NOT_SDD_FIRST = 0.07
P_RETURN = 0.015  # a former beneficiary opens a new right
P_NEW = 0.021  # first claimants per month, as a share of the initial stock
P_CONJOINT = 0.15  # share of arrivals who join an existing household
P_INITIAL_SUSPENDED = 0.06

# Event kinds (what opens an orientation episode).
EV_INITIAL, EV_NEW_RIGHT, EV_CONJOINT, EV_RETURN, EV_MOVE, EV_LONG_SUSPENSION = range(6)

ABSENT, OUVERT, SUSPENDU, RADIE = 0, 1, 2, 3

MATRICULE_STRIDE = 7_654_321  # coprime with 10**7: distinct matricules for 10 million households


@dataclass
class Population:
    n: int
    # static, per person
    matricule: np.ndarray  # int64, 7 digits
    rang: np.ndarray  # int8 (1 allocataire, 2 conjoint)
    female: np.ndarray  # bool
    birth_year: np.ndarray  # int16
    msa: np.ndarray  # bool
    first_commune: np.ndarray  # int32 index into world.codes
    # per month (lists of length calendar.n, arrays of length n)
    state: list[np.ndarray]
    commune: list[np.ndarray]
    versable: list[np.ndarray]
    sdd: list[np.ndarray]
    ouverture: list[np.ndarray]  # int64 day of the current right's opening
    # events: one orientation episode each
    ev_person: np.ndarray
    ev_month: np.ndarray  # -1 for the initial stock
    ev_day: np.ndarray  # the day the CAF event happened
    ev_kind: np.ndarray
    ev_dep: np.ndarray  # département index at the event
    ev_ouverture: np.ndarray  # date_ouverture_droit at the event


def _grow(a: np.ndarray, n: int, fill=0) -> np.ndarray:
    if len(a) >= n:
        return a
    out = np.full(n, fill, dtype=a.dtype)
    out[: len(a)] = a
    return out


def _suspension_length(rng: np.random.Generator, k: int) -> np.ndarray:
    short = rng.integers(1, 7, k)
    long = rng.integers(12, 19, k)
    return np.where(rng.random(k) < 0.2, long, short).astype(np.int16)


def _ages(rng: np.random.Generator, k: int) -> np.ndarray:
    """Ages of RSA adults: mostly 25–50, from 18 to 66."""
    a = rng.gamma(4.0, 3.2, k) + 18 + rng.integers(0, 8, k)
    return np.clip(a, 18, 66).astype(np.int16)


def simulate(world: World, cal: Calendar, scale: float, rng: np.random.Generator) -> Population:
    n_dep = len(world.departements)
    target = world.stock_size * scale
    n0 = int(round(target))
    year0 = int(cal.labels[0][:4])

    # --- the initial stock, as at the end of the month before the first one
    commune = sample_communes(world, rng, n0).astype(np.int32)
    state = np.where(rng.random(n0) < P_INITIAL_SUSPENDED, SUSPENDU, OUVERT).astype(np.int8)
    seniority = np.minimum(rng.exponential(1400.0, n0), 9000).astype(np.int64)
    ouverture = cal.start[0] - 1 - seniority
    susp_len = np.zeros(n0, dtype=np.int16)
    susp_end = np.zeros(n0, dtype=np.int32)
    rad_month = np.full(n0, -100, dtype=np.int32)  # month of the last radiation
    s = state == SUSPENDU
    susp_len[s] = _suspension_length(rng, int(s.sum()))
    elapsed = rng.integers(1, susp_len[s].astype(np.int64) + 1)
    susp_end[s] = susp_len[s] - elapsed  # month index of the return
    sdd = rng.random(n0) > 0.04
    versable = (state == OUVERT) & (rng.random(n0) > P_NOT_VERSABLE)
    matricule = np.arange(n0, dtype=np.int64)
    n_households = n0
    rang = np.ones(n0, dtype=np.int8)
    has_conjoint = np.zeros(n0, dtype=bool)
    # a share of the initial stock are conjoints of the previous person
    conj = np.flatnonzero(rng.random(n0) < P_CONJOINT)
    conj = conj[conj > 0]
    conj = conj[~np.isin(conj - 1, conj)]
    matricule[conj] = matricule[conj - 1]
    rang[conj] = 2
    commune[conj] = commune[conj - 1]
    ouverture[conj] = ouverture[conj - 1]
    has_conjoint[conj - 1] = True
    has_conjoint[conj] = True
    female = rng.random(n0) < 0.55
    birth_year = (year0 - _ages(rng, n0)).astype(np.int16)
    first_commune = commune.copy()

    # the initial stock's current episode: the opening of the right, or a later event (a move, a
    # return...) for older rights
    recent = cal.start[0] - 1 - np.minimum(rng.exponential(3000.0, n0), 6000).astype(np.int64)
    ev_day0 = np.maximum(ouverture, recent)
    ev_day0[conj] = ev_day0[conj - 1]
    ev = {"person": [np.arange(n0)], "month": [np.full(n0, -1)], "day": [ev_day0],
          "kind": [np.full(n0, EV_INITIAL)], "dep": [world.dep_of[commune]], "ouv": [ouverture.copy()]}

    states, communes, versables, sdds, ouvertures = [], [], [], [], []
    for m in range(cal.n):
        n = len(state)
        m_start, m_days = int(cal.start[m]), int(cal.start[m + 1] - cal.start[m])
        st = state.copy()
        st[st == RADIE] = ABSENT
        r = rng.random(n)
        o = st == OUVERT
        rad = o & (r < P_RADIATION)
        sus = o & ~rad & (r < P_RADIATION + P_SUSPENSION)
        s_end = (st == SUSPENDU) & (susp_end <= m)
        r2 = rng.random(n)
        s_rad = s_end & (r2 < P_RADIATION_AFTER_SUSPENSION)
        s_back = s_end & ~s_rad
        long_back = s_back & (susp_len >= 12)

        new = st.copy()
        new[rad | s_rad] = RADIE
        rad_month[rad | s_rad] = m
        new[sus] = SUSPENDU
        susp_len[sus] = _suspension_length(rng, int(sus.sum()))
        susp_end[sus] = m + susp_len[sus]
        new[s_back] = OUVERT

        # moves, among those still holding a right
        active = (new == OUVERT) | (new == SUSPENDU)
        r3 = rng.random(n)
        inter = active & (r3 < P_MOVE_DEPARTEMENT) if n_dep > 1 else np.zeros(n, dtype=bool)
        intra = active & ~inter & (r3 < P_MOVE_DEPARTEMENT + P_MOVE_COMMUNE)
        commune = commune.copy()
        if inter.any():
            who = np.flatnonzero(inter)
            cur = world.dep_of[commune[who]]
            shift = rng.integers(1, n_dep, len(who))  # uniform among the others, then reweighted
            dest = rng.choice(n_dep, len(who), p=world.dep_weight)
            dest = np.where(dest == cur, (cur + shift) % n_dep, dest)
            commune[who] = sample_communes_in(world, rng, dest)
            ev_day = m_start + rng.integers(0, m_days, len(who))
            ev["person"].append(who)
            ev["month"].append(np.full(len(who), m))
            ev["day"].append(ev_day)
            ev["kind"].append(np.full(len(who), EV_MOVE))
            ev["dep"].append(dest)
            ev["ouv"].append(ouverture[who].copy())
        if intra.any():
            who = np.flatnonzero(intra)
            commune[who] = sample_communes_in(world, rng, world.dep_of[commune[who]])
        # a long suspension ending reopens the follow-up (unless the person also moved)
        lb = np.flatnonzero(long_back & ~inter)
        if len(lb):
            ev["person"].append(lb)
            ev["month"].append(np.full(len(lb), m))
            ev["day"].append(m_start + rng.integers(0, 10, len(lb)))
            ev["kind"].append(np.full(len(lb), EV_LONG_SUSPENSION))
            ev["dep"].append(world.dep_of[commune[lb]])
            ev["ouv"].append(ouverture[lb].copy())

        # flags
        r4 = rng.random(n)
        sdd = np.where(new == OUVERT, np.where(sdd, r4 > P_SDD_OFF, r4 < P_SDD_ON), sdd)
        sdd = np.where(new == RADIE, False, sdd)
        versable = (new == OUVERT) & (rng.random(n) > P_NOT_VERSABLE)

        # returns after radiation: a new right
        ret = np.flatnonzero((st == ABSENT) & (rad_month < m - 1) & (rng.random(n) < P_RETURN))
        if len(ret):
            new[ret] = OUVERT
            day = m_start + rng.integers(0, m_days, len(ret))
            ouverture = ouverture.copy()
            ouverture[ret] = day
            moved = rng.random(len(ret)) < 0.25
            commune[ret[moved]] = sample_communes_in(world, rng, world.dep_of[commune[ret[moved]]])
            versable[ret] = rng.random(len(ret)) > P_NOT_VERSABLE_FIRST
            sdd[ret] = rng.random(len(ret)) > P_NOT_SDD_FIRST
            ev["person"].append(ret)
            ev["month"].append(np.full(len(ret), m))
            ev["day"].append(day)
            ev["kind"].append(np.full(len(ret), EV_RETURN))
            ev["dep"].append(world.dep_of[commune[ret]])
            ev["ouv"].append(day.copy())

        # arrivals: first claimants and conjoints joining a household
        k = int(rng.poisson(P_NEW * target))
        k_conj = int(rng.binomial(k, P_CONJOINT))
        candidates = np.flatnonzero((rang == 1) & ~has_conjoint & ((new == OUVERT) | (new == SUSPENDU)))
        k_conj = min(k_conj, len(candidates))
        partners = np.sort(rng.choice(candidates, k_conj, replace=False)) if k_conj else np.zeros(0, np.int64)
        k_new = k - k_conj
        ids = np.arange(n, n + k)
        new_matricule = np.concatenate(
            [np.arange(n_households, n_households + k_new, dtype=np.int64), matricule[partners]]
        )
        n_households += k_new
        new_commune = np.concatenate(
            [sample_communes(world, rng, k_new).astype(np.int32), commune[partners]]
        )
        day = m_start + rng.integers(0, m_days, k)
        new_ouv = np.concatenate([day[:k_new], ouverture[partners]])
        has_conjoint[partners] = True

        matricule = np.concatenate([matricule, new_matricule])
        rang = np.concatenate([rang, np.r_[np.ones(k_new, np.int8), np.full(k_conj, 2, np.int8)]])
        has_conjoint = np.concatenate([has_conjoint, np.r_[np.zeros(k_new, bool), np.ones(k_conj, bool)]])
        female = np.concatenate([female, rng.random(k) < 0.55])
        birth_year = np.concatenate([birth_year, (int(cal.labels[m][:4]) - _ages(rng, k)).astype(np.int16)])
        first_commune = np.concatenate([first_commune, new_commune])
        commune = np.concatenate([commune, new_commune])
        new = np.concatenate([new, np.full(k, OUVERT, np.int8)])
        ouverture = np.concatenate([ouverture, new_ouv])
        susp_len = np.concatenate([susp_len, np.zeros(k, np.int16)])
        susp_end = np.concatenate([susp_end, np.zeros(k, np.int32)])
        rad_month = np.concatenate([rad_month, np.full(k, -100, np.int32)])
        versable = np.concatenate([versable, rng.random(k) > P_NOT_VERSABLE_FIRST])
        sdd = np.concatenate([sdd, rng.random(k) > P_NOT_SDD_FIRST])
        if k:
            ev["person"].append(ids)
            ev["month"].append(np.full(k, m))
            ev["day"].append(day)
            ev["kind"].append(np.r_[np.full(k_new, EV_NEW_RIGHT), np.full(k_conj, EV_CONJOINT)])
            ev["dep"].append(world.dep_of[new_commune])
            ev["ouv"].append(new_ouv.copy())

        state = new
        states.append(state)
        communes.append(commune)
        versables.append(versable)
        sdds.append(sdd)
        ouvertures.append(ouverture)

    n = len(state)
    # matricules: a scrambled 7-digit number per household
    offset = int(rng.integers(0, 10**7))
    matricule = (offset + matricule * MATRICULE_STRIDE) % 10**7
    msa = rng.random(n) < np.where(world.population[first_commune] < 2000, 0.12, 0.02)
    return Population(
        n=n,
        matricule=matricule,
        rang=rang,
        female=female,
        birth_year=birth_year,
        msa=msa,
        first_commune=first_commune,
        state=[_grow(a, n, ABSENT) for a in states],
        commune=[_grow(a, n, 0) for a in communes],
        versable=[_grow(a, n, False) for a in versables],
        sdd=[_grow(a, n, False) for a in sdds],
        ouverture=[_grow(a, n, 0) for a in ouvertures],
        ev_person=np.concatenate(ev["person"]).astype(np.int64),
        ev_month=np.concatenate(ev["month"]).astype(np.int32),
        ev_day=np.concatenate(ev["day"]).astype(np.int64),
        ev_kind=np.concatenate(ev["kind"]).astype(np.int8),
        ev_dep=np.concatenate(ev["dep"]).astype(np.int32),
        ev_ouverture=np.concatenate(ev["ouv"]).astype(np.int64),
    )
