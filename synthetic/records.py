"""The records the départements and France Travail keep, one row per record.

Built from the population's events, vectorised over all records at once.
Dates are integer day numbers (days since 1970-01-01); empty is null.

- orientation episodes: one per event (opening of a right, conjoint joining,
  return after radiation, move into a département, end of a suspension of 12
  months or more; plus one for each person of the initial stock). T0 comes a
  few days after the event; the delay to orientation follows a gamma law whose
  mean depends on the département. An episode is abandoned (never oriented)
  when the follow-up ends first: the person is radiated or moves away.
- registrations at France Travail: most FT-oriented persons, some others.
- hires: for 55 % of the registered, 160 days after orientation (or
  registration) on average, a second one for a quarter of them; about a
  third of a cohort of registered oriented persons is hired within 6 months,
  a minority durably. Each hire is reported 0 to 2 months after it.
- accompaniments: France Travail's (by id_ft) for FT-oriented registered
  persons, the département's (by id_rsa) for the others and for
  "accompagnement global".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from .calendar import Calendar
from .population import ABSENT, RADIE, Population
from .referential import World, orientation_delay_law
from .schema import FREINS

NEVER = 10**7  # a day far in the future

ORGANISMES = ["FT", "CD", "ML", "CAP_EMPLOI", "CAF", "CCAS", "ASSO", "AUTRE"]
FT, CD, ML, CAP_EMPLOI = 0, 1, 2, 3
ORGANISME_P = np.array([0.40, 0.32, 0.05, 0.03, 0.05, 0.07, 0.06, 0.02])
PARCOURS = ["professionnel", "socio_professionnel", "social"]
PROFESSIONNEL, SOCIO_PRO, SOCIAL = 0, 1, 2
# type_parcours given organisme_referent
PARCOURS_P = {
    "FT": [0.85, 0.15, 0.0],
    "CD": [0.10, 0.45, 0.45],
    "ML": [0.60, 0.40, 0.0],
    "CAP_EMPLOI": [0.70, 0.30, 0.0],
    "CAF": [0.0, 0.20, 0.80],
    "CCAS": [0.0, 0.25, 0.75],
    "ASSO": [0.05, 0.45, 0.50],
    "AUTRE": [0.30, 0.40, 0.30],
}
FREINS_MEAN = {"professionnel": 0.8, "socio_professionnel": 1.8, "social": 2.6}
FREINS_WEIGHT = np.array([1.4, 1.0, 1.2, 0.7, 0.9, 0.4, 1.1, 0.8, 1.3])  # order of schema.FREINS

FT_MODALITES = ["SUIVI", "GUIDE", "RENFORCE", "GLOBAL", "INTENSIF", "CEJ"]
FT_MODALITE_P = np.array([0.29, 0.37, 0.17, 0.04, 0.07, 0.06])
DEP_MODALITES = ["SOCIAL", "SOCIO_PRO", "SUIVI", "RENFORCE", "GLOBAL", "INTENSIF"]
DEP_MODALITE_P = np.array([0.34, 0.31, 0.12, 0.08, 0.08, 0.07])
INTENSIVE = ["GLOBAL", "INTENSIF", "CEJ"]

CONTRATS = ["CDI", "CDD", "CTT", "CREATION", "AUTRE"]
CONTRAT_P = np.array([0.12, 0.38, 0.36, 0.05, 0.09])
CATEGORIES = ["A", "B", "C", "D", "E"]
CATEGORIE_P = np.array([0.68, 0.12, 0.12, 0.05, 0.03])
NIVEAUX = ["INF_BAC", "BAC", "SUP_BAC"]
NIVEAU_P = np.array([0.50, 0.32, 0.18])
MOTIFS = ["FORMATION", "RADIATION", "CESSATION", "AUTRE"]
MOTIF_P = np.array([0.15, 0.30, 0.35, 0.20])


@dataclass
class Records:
    orientations: pl.DataFrame
    registrations: pl.DataFrame
    hires: pl.DataFrame
    accompaniments: pl.DataFrame  # both producers, column `producer` = dep index or -1 for FT


def _pick(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    """Index of a category drawn with probabilities p."""
    cum = np.cumsum(p) / np.sum(p)
    return np.searchsorted(cum, rng.random(n), side="right").clip(0, len(p) - 1).astype(np.int64)


def labels(vocab, idx: np.ndarray, name: str) -> pl.Series:
    """Category names from indices (-1 is null), without building Python strings per row."""
    return pl.Series(name, list(vocab), dtype=pl.String).gather(pl.Series(idx).replace(-1, None))


def _null_if(x: np.ndarray, cond: np.ndarray) -> np.ndarray:
    return np.where(cond, -1, x)


def _to_nullable(df: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    """Day columns use -1 for empty: turn them into nulls."""
    return df.with_columns([pl.when(pl.col(c) >= 0).then(pl.col(c)).alias(c) for c in cols])


def _follow_up_end(pop: Population, world: World, cal: Calendar, person: np.ndarray, dep: np.ndarray,
                   first_month: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Day the département's follow-up of each episode ended: radiation or move away (NEVER if not)."""
    end_month = np.full(len(person), cal.n, dtype=np.int64)
    for j in range(cal.n):
        todo = (end_month == cal.n) & (first_month <= j)
        if not todo.any():
            continue
        idx = np.flatnonzero(todo)
        p = person[idx]
        st = pop.state[j][p]
        gone = (st == ABSENT) | (st == RADIE) | (world.dep_of[pop.commune[j][p]] != dep[idx])
        end_month[idx[gone]] = j
    day = np.full(len(person), NEVER, dtype=np.int64)
    ended = end_month < cal.n
    day[ended] = cal.start[end_month[ended]] + rng.integers(0, 28, int(ended.sum()))
    return day


def _freins(rng: np.random.Generator, parcours: np.ndarray) -> pl.Series:
    """Each barrier drawn on its own; more of them on social parcours. Null when none."""
    n = len(parcours)
    mean = np.array(list(FREINS_MEAN.values()))[parcours]
    share = FREINS_WEIGHT / FREINS_WEIGHT.sum()
    cols = [pl.when(pl.Series(rng.random(n) < np.minimum(mean * share[i], 0.9))).then(pl.lit(code))
            for i, code in enumerate(FREINS)]
    out = pl.select(pl.concat_str(cols, separator="|", ignore_nulls=True).alias("freins")).to_series()
    return out.replace("", None) if n else out


def build_orientations(pop: Population, world: World, cal: Calendar,
                       rng: np.random.Generator) -> pl.DataFrame:
    ep = pl.DataFrame({
        "person": pop.ev_person, "ev_month": pop.ev_month, "ev_day": pop.ev_day, "kind": pop.ev_kind,
        "dep": pop.ev_dep, "ouverture": pop.ev_ouverture,
    })
    ep = ep.with_columns(t0=pl.col("ev_day") + pl.Series(rng.integers(1, 11, len(ep))))
    ep = ep.sort("person", "dep", "t0", "kind", "ev_month", "ev_day", "ouverture").unique(
        ["person", "dep", "t0"], keep="first", maintain_order=True)
    n = len(ep)
    person = ep["person"].to_numpy()
    dep = ep["dep"].to_numpy()
    t0 = ep["t0"].to_numpy()
    first_month = np.maximum(ep["ev_month"].to_numpy(), 0)
    end = _follow_up_end(pop, world, cal, person, dep, first_month, rng)

    law = np.array([orientation_delay_law(d) for d in world.departements]).reshape(-1, 2)
    delay = np.maximum(1, np.round(rng.gamma(law[dep, 0], law[dep, 1]))).astype(np.int64)
    never = rng.random(n) < 0.04
    d_orient = _null_if(t0 + delay, never | (t0 + delay >= end))
    oriented = d_orient >= 0
    d_entree = _null_if(t0 + rng.integers(0, 8, n), rng.random(n) > 0.75)
    d_entree = _null_if(d_entree, d_entree >= end)
    rdv_oriented = t0 + np.floor(rng.random(n) * delay).astype(np.int64)
    rdv_pending = t0 + rng.integers(5, 61, n)
    d_rdv = np.where(oriented, rdv_oriented, rdv_pending)
    d_rdv = _null_if(d_rdv, (rng.random(n) > 0.45) | (d_rdv >= end))
    d_sign = _null_if(d_orient + rng.integers(7, 61, n), ~oriented | (rng.random(n) > 0.60))
    d_sign = _null_if(d_sign, d_sign >= end)
    d_rdv1 = _null_if(d_orient + rng.integers(3, 46, n), ~oriented | (rng.random(n) > 0.75))
    d_rdv1 = _null_if(d_rdv1, d_rdv1 >= end)

    organisme = _pick(rng, ORGANISME_P, n)
    cum = np.cumsum(np.array([PARCOURS_P[o] for o in ORGANISMES]), axis=1)
    parcours = (rng.random(n)[:, None] * cum[:, -1:][organisme] >= cum[organisme]).sum(axis=1).clip(0, 2)
    glob = (organisme == FT) & (parcours == SOCIO_PRO) & (rng.random(n) < 0.45)
    freins = _freins(rng, parcours)
    show_id_ft = rng.random(n) < 0.85

    out = ep.select("person", "dep", "kind", "ev_month", "ouverture", "t0").with_columns(
        pl.Series("date_orientation", d_orient),
        pl.Series("date_entree_dispositif", d_entree),
        pl.Series("date_rdv_orientation", d_rdv),
        pl.Series("date_signature_contrat", d_sign),
        pl.Series("date_premier_rdv_accompagnement", d_rdv1),
        labels(ORGANISMES, organisme, "organisme_referent"),
        labels(PARCOURS, parcours, "type_parcours"),
        pl.Series("org_i", organisme),
        pl.Series("par_i", parcours),
        pl.Series("accompagnement_global", glob),
        freins,
        pl.Series("show_id_ft", show_id_ft),
        pl.Series("end", end),
    )
    out = _to_nullable(out, ["date_orientation", "date_entree_dispositif", "date_rdv_orientation",
                             "date_signature_contrat", "date_premier_rdv_accompagnement"])
    return out.with_row_index("episode")


def build_registrations(ori: pl.DataFrame, pop: Population, world: World, cal: Calendar,
                        rng: np.random.Generator) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Registrations at France Travail and the hires of the registered."""
    o = ori.filter(pl.col("date_orientation").is_not_null())
    n = len(o)
    org = o["org_i"].to_numpy()
    par = o["par_i"].to_numpy()
    p_reg = np.select(
        [org == FT, np.isin(org, [ML, CAP_EMPLOI]), par == SOCIAL, org == CD],
        [0.92, 0.60, 0.08, 0.30], 0.15,
    )
    reg = rng.random(n) < p_reg
    d_or = o["date_orientation"].to_numpy()
    t0 = o["t0"].to_numpy()
    before = (org == FT) & (rng.random(n) < 0.25)
    d_ins = np.where(before, t0 - rng.integers(0, 366, n),
                     d_or + np.where(org == FT, rng.integers(0, 31, n), rng.integers(0, 91, n)))
    r = o.select("episode", "person", "dep", "date_orientation").with_columns(
        pl.Series("date_inscription", d_ins)).filter(pl.Series(reg))
    n = len(r)
    person = r["person"].to_numpy()

    # hires, one or two per hired registration
    start = np.maximum(r["date_orientation"].to_numpy(), r["date_inscription"].to_numpy())
    hired = rng.random(n) < 0.55
    h1 = start + np.floor(rng.exponential(160.0, n)).astype(np.int64)
    second = hired & (rng.random(n) < 0.25)
    h2 = h1 + rng.integers(20, 241, n)

    # exits from the list
    kind1 = _pick(rng, CONTRAT_P, n)
    exit_on_hire = hired & (rng.random(n) < 0.6)
    other_exit = ~exit_on_hire & (rng.random(n) < 0.35)
    d_sortie = np.where(exit_on_hire, h1 + rng.integers(0, 46, n),
                        np.where(other_exit, r["date_inscription"].to_numpy() + 30
                                 + np.floor(rng.exponential(300.0, n)).astype(np.int64), -1))
    motif = np.where(exit_on_hire, 0, np.where(other_exit, 1 + _pick(rng, MOTIF_P, n), -1))
    qpv_p = np.where(world.population[pop.first_commune[person]] > 50000, 0.35, 0.08)
    r = r.with_columns(
        pl.Series("date_sortie", d_sortie),
        labels(["REPRISE_EMPLOI"] + MOTIFS, motif, "motif_sortie"),
        labels(CATEGORIES, _pick(rng, CATEGORIE_P, n), "categorie"),
        labels(NIVEAUX, _pick(rng, NIVEAU_P, n), "niveau_formation"),
        pl.Series("rqth", rng.random(n) < 0.09),
        pl.Series("qpv", rng.random(n) < qpv_p),
        pl.Series("h1", np.where(hired, h1, -1)),
        pl.Series("h2", np.where(second, h2, -1)),
        labels(CONTRATS, kind1, "contrat1"),
        labels(CONTRATS, _pick(rng, CONTRAT_P, n), "contrat2"),
        pl.Series("u_dur1", rng.random(n)), pl.Series("u_dur2", rng.random(n)),
        pl.Series("v_dur1", rng.random(n)), pl.Series("v_dur2", rng.random(n)),
        pl.Series("lag1", rng.random(n)), pl.Series("lag2", rng.random(n)),
    )
    r = _to_nullable(r, ["date_sortie", "h1", "h2"])

    # one registration at a time per person: drop those starting before an earlier one ended
    r = r.sort("person", "date_inscription", "episode").with_columns(
        prev_end=pl.col("date_sortie").fill_null(NEVER).cum_max().shift(1).over("person")
    ).filter(pl.col("prev_end").is_null() | (pl.col("date_inscription") > pl.col("prev_end")))
    # registrations that ended before the first month never appear in any file
    r = r.filter(pl.col("date_sortie").is_null() | (pl.col("date_sortie") >= int(cal.start[0])))
    r = r.drop("prev_end").with_row_index("registration")

    hires = pl.concat([
        r.select("registration", "person", date_embauche="h1", type_contrat="contrat1", u="u_dur1",
                 v="v_dur1", lag="lag1"),
        r.select("registration", "person", date_embauche="h2", type_contrat="contrat2", u="u_dur2",
                 v="v_dur2", lag="lag2"),
    ]).filter(pl.col("date_embauche").is_not_null())
    u, v = pl.col("u"), pl.col("v")
    duree = (
        pl.when(pl.col("type_contrat").is_in(["CDI", "CREATION"])).then(None)
        .when(pl.col("type_contrat") == "CDD")
        .then(pl.when(u < 0.75).then(7 + (v * 173).floor()).otherwise(180 + (v * 366).floor()))
        .when(pl.col("type_contrat") == "CTT")
        .then(pl.when(u < 0.93).then(1 + (v * 90).floor()).otherwise(180 + (v * 186).floor()))
        .otherwise(pl.when(u < 0.5).then(180 + (v * 186).floor()).when(u < 0.8).then(30 + (v * 150).floor()))
    ).cast(pl.Int64)
    lag = pl.when(pl.col("lag") < 0.6).then(0).when(pl.col("lag") < 0.9).then(1).otherwise(2)
    hires = hires.with_columns(duree_prevue_jours=duree, lag=lag).sort("registration", "date_embauche")
    hires = hires.unique(["person", "date_embauche", "type_contrat"], keep="first", maintain_order=True)
    r = r.drop("h1", "h2", "contrat1", "contrat2", "u_dur1", "u_dur2", "v_dur1", "v_dur2", "lag1", "lag2")
    return r, hires.drop("u", "v")


def _hours(rng: np.random.Generator, intensive: np.ndarray, cej: np.ndarray, known: float,
           high_share: float) -> np.ndarray:
    """Weekly hours, when known: 15 or more in intensive modalities, some others at 15 or more too."""
    n = len(intensive)
    h_int = np.where(cej, 15 + rng.integers(0, 11, n) / 2, 15 + rng.integers(0, 41, n) / 2)
    h_low = np.where(rng.random(n) < high_share, 15 + rng.integers(0, 21, n) / 2,
                     1 + rng.integers(0, 23, n) / 2)
    h = np.where(intensive, h_int, h_low)
    return np.where(rng.random(n) < known, h, np.nan)


def build_accompaniments(ori: pl.DataFrame, reg: pl.DataFrame, cal: Calendar,
                         rng: np.random.Generator) -> pl.DataFrame:
    o = ori.filter(pl.col("date_orientation").is_not_null()).select(
        "episode", "person", "dep", "date_orientation", "org_i", "accompagnement_global", "end")
    o = o.join(reg.select("episode", "registration", "date_inscription", "date_sortie"), on="episode",
               how="left")
    o = o.sort("episode")

    # France Travail: FT-oriented and registered
    ft = o.filter((pl.col("org_i") == FT) & pl.col("registration").is_not_null())
    ft = ft.filter(pl.Series(rng.random(len(ft)) < 0.90))
    n = len(ft)
    mod = _pick(rng, FT_MODALITE_P, n)
    mod = np.where(ft["accompagnement_global"].to_numpy(), FT_MODALITES.index("GLOBAL"), mod)
    intensive = np.isin(mod, [FT_MODALITES.index(m) for m in INTENSIVE if m in FT_MODALITES])
    start = np.maximum(ft["date_orientation"].to_numpy(), ft["date_inscription"].to_numpy())
    ft = ft.with_columns(
        producer=pl.lit(-1, dtype=pl.Int32),
        organisme=pl.lit("FT"),
        modalite=labels(FT_MODALITES, mod, "modalite"),
        heures_hebdo=pl.Series(_hours(rng, intensive, mod == FT_MODALITES.index("CEJ"), 0.7, 0.06)),
        date_debut=pl.Series(start + rng.integers(3, 41, n)),
        planned_end=pl.Series(np.where(rng.random(n) < 0.55, rng.integers(60, 541, n), -1)),
        with_id_ft=pl.lit(True),
    )

    # the département: other referents, and the social side of "accompagnement global"
    dp = o.filter((pl.col("org_i") != FT) | pl.col("accompagnement_global"))
    dp = dp.filter(pl.Series(rng.random(len(dp)) < 0.88))
    n = len(dp)
    glob = dp["accompagnement_global"].to_numpy()
    mod = np.where(glob, DEP_MODALITES.index("GLOBAL"), _pick(rng, DEP_MODALITE_P, n))
    org = np.where(glob, CD, dp["org_i"].to_numpy())
    intensive = np.isin(mod, [DEP_MODALITES.index(m) for m in INTENSIVE if m in DEP_MODALITES])
    start = dp["date_orientation"].to_numpy() + rng.integers(5, 51, n)
    dp = dp.with_columns(
        producer=pl.col("dep").cast(pl.Int32),
        organisme=labels(ORGANISMES, org, "organisme"),
        modalite=labels(DEP_MODALITES, mod, "modalite"),
        heures_hebdo=pl.Series(_hours(rng, intensive, np.zeros(n, dtype=bool), 0.6, 0.05)),
        date_debut=pl.Series(start),
        planned_end=pl.Series(np.where(rng.random(n) < 0.5, rng.integers(60, 541, n), -1)),
        with_id_ft=(pl.col("date_inscription") <= pl.Series(start)).fill_null(False),
    )
    cols = ["producer", "person", "organisme", "modalite", "heures_hebdo", "date_debut", "planned_end",
            "end", "date_sortie", "with_id_ft"]
    acc = pl.concat([ft.select(cols), dp.select(cols)])
    fin = pl.min_horizontal(
        pl.when(pl.col("planned_end") >= 0).then(pl.col("date_debut") + pl.col("planned_end")),
        pl.when(pl.col("end") < NEVER).then(pl.col("end")),
        pl.when(pl.col("producer") == -1).then(pl.col("date_sortie")),
    )
    acc = acc.with_columns(date_fin=fin).filter(
        pl.col("date_fin").is_null() | (pl.col("date_fin") >= pl.col("date_debut"))
    ).filter(pl.col("date_fin").is_null() | (pl.col("date_fin") >= int(cal.start[0])))
    acc = acc.with_columns(pl.col("heures_hebdo").fill_nan(None))
    acc = acc.unique(["producer", "person", "date_debut", "modalite"], keep="first", maintain_order=True)
    return acc.select("producer", "person", "organisme", "modalite", "heures_hebdo", "date_debut", "date_fin",
                      "with_id_ft")


def build_records(pop: Population, world: World, cal: Calendar, rng: np.random.Generator) -> Records:
    ori = build_orientations(pop, world, cal, rng)
    reg, hires = build_registrations(ori, pop, world, cal, rng)
    acc = build_accompaniments(ori, reg, cal, rng)
    return Records(orientations=ori, registrations=reg, hires=hires, accompaniments=acc)
