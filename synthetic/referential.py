"""The shipped COG tables, and the per-département parameters of the synthetic world.

Everything here is a pure function of the COG seeds and of the département code:
no randomness, so that the same département behaves the same way whatever the
seed or the other départements chosen.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl

COG_DIR = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "cog"

# Persons in the CAF file (allocataires and conjoints) for the whole country at
# --scale 1.0: about 3 % of the population.
NATIONAL_RSA_PERSONS = 2_050_000

# RSA persons per inhabitant, relative to the national mean (rough orders of
# magnitude of the real spread; départements not listed are at 1.0).
RSA_RATE_FACTOR: dict[str, float] = {
    "93": 2.0, "13": 1.5, "59": 1.45, "62": 1.35, "66": 1.6, "11": 1.5, "30": 1.45,
    "34": 1.35, "08": 1.3, "02": 1.3, "84": 1.3, "80": 1.2, "95": 1.2, "94": 1.2,
    "76": 1.15, "10": 1.15, "09": 1.2, "90": 1.1, "47": 1.1, "81": 1.1, "16": 1.1,
    "971": 2.8, "972": 2.6, "973": 2.6, "974": 3.0, "976": 0.8,
    "75": 0.9, "69": 0.85, "67": 0.85, "31": 1.0, "33": 0.9, "06": 0.95, "2A": 0.9,
    "74": 0.5, "78": 0.6, "92": 0.65, "85": 0.55, "35": 0.7, "44": 0.7, "49": 0.75,
    "53": 0.6, "56": 0.75, "01": 0.55, "73": 0.55, "39": 0.7, "15": 0.6, "12": 0.6,
    "48": 0.65, "05": 0.7, "29": 0.8, "22": 0.8, "50": 0.7, "79": 0.7, "64": 0.75,
    "38": 0.75, "21": 0.8, "40": 0.8, "32": 0.8, "41": 0.8, "25": 0.85, "71": 0.85,
    "77": 0.85, "37": 0.85, "28": 0.85, "63": 0.85, "46": 0.85,
}

# Mean days from T0 to orientation among the orientations within 6 months
# (what delai_orientation_moyen_j measures). The three sample départements are
# pinned (35 fast, 56 near the national mean, 13 slow); the others are spread
# between 30 and 150 days by a hash of their code (national mean about 80).
ORIENTATION_DELAY_MEAN: dict[str, float] = {"35": 30.0, "56": 80.0, "13": 140.0}
DELAY_WINDOW = 183  # about 6 months


def orientation_delay_mean(dep: str) -> float:
    if dep in ORIENTATION_DELAY_MEAN:
        return ORIENTATION_DELAY_MEAN[dep]
    u = zlib.crc32(f"delai-{dep}".encode()) / 2**32
    return round(30.0 + 120.0 * u**1.6, 1)


def _gamma_shape(mean: float) -> float:
    """Slow départements have a backlog: their delays are less dispersed."""
    return 2.0 + mean / 15.0


def _windowed_mean(mean: float) -> float:
    k = _gamma_shape(mean)
    theta = mean / k
    x = np.linspace(1e-6, DELAY_WINDOW, 4001)
    log_pdf = (k - 1) * np.log(x) - x / theta
    w = np.exp(log_pdf - log_pdf.max())
    return float(np.sum(x * w) / np.sum(w))


@lru_cache(maxsize=None)
def orientation_delay_law(dep: str) -> tuple[float, float]:
    """(shape, scale) of the gamma law of the delay, such that its mean below 6 months is the target."""
    target = min(orientation_delay_mean(dep), 0.9 * DELAY_WINDOW)
    lo, hi = 1.0, 2000.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _windowed_mean(mid) < target else (lo, mid)
    mean = (lo + hi) / 2
    k = _gamma_shape(mean)
    return k, mean / k


def rsa_rate_factor(dep: str) -> float:
    return RSA_RATE_FACTOR.get(dep, 1.0)


@dataclass(frozen=True)
class Cog:
    communes: pl.DataFrame  # code_commune, code_departement, population (all in scope)
    fusions: pl.DataFrame  # code_ancien, code_commune (motif = fusion)
    departements: list[str]  # the 101 codes, COG order


@lru_cache(maxsize=1)
def load_cog() -> Cog:
    communes = pl.read_csv(COG_DIR / "cog_communes.csv", infer_schema=False).select(
        "code_commune", "code_departement", pl.col("population").cast(pl.Int64)
    ).sort("code_commune")
    anciens = pl.read_csv(COG_DIR / "cog_anciens_codes.csv", infer_schema=False)
    fusions = anciens.filter(pl.col("motif") == "fusion").select("code_ancien", "code_commune").sort(
        "code_ancien"
    )
    deps = pl.read_csv(COG_DIR / "cog_departements.csv", infer_schema=False)["code_departement"].to_list()
    return Cog(communes=communes, fusions=fusions, departements=deps)


def normalise_departement(code: str) -> str:
    code = code.strip().upper()
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    return code


@dataclass(frozen=True)
class World:
    """The communes of the chosen départements, ready for weighted sampling."""

    departements: list[str]  # chosen, in the order given
    codes: pl.Series  # commune codes, grouped by département
    dep_of: np.ndarray  # int index into departements, per commune
    cum_weight: np.ndarray  # cumulative RSA weight (float64), over all communes
    dep_lo: np.ndarray  # per département: cumulative weight before its first commune
    dep_hi: np.ndarray  # per département: cumulative weight at its last commune
    dep_first: np.ndarray  # per département: index of its first commune
    dep_last: np.ndarray  # per département: index of its last commune
    dep_weight: np.ndarray  # per département: share of the RSA stock
    stock_size: float  # expected RSA persons at --scale 1.0 in the chosen départements
    population: np.ndarray  # per commune
    all_codes: pl.Series  # every COG commune (for birth places), cumulative population
    all_cum_pop: np.ndarray


def build_world(departements: list[str]) -> World:
    cog = load_cog()
    unknown = [d for d in departements if d not in cog.departements]
    if unknown:
        raise ValueError(f"unknown département code(s): {', '.join(unknown)}")
    if len(set(departements)) != len(departements):
        raise ValueError("a département is listed twice")
    factor = pl.DataFrame(
        {"code_departement": cog.departements,
         "factor": [rsa_rate_factor(d) for d in cog.departements]}
    )
    weighted = cog.communes.join(factor, on="code_departement").with_columns(
        (pl.col("population") * pl.col("factor")).alias("w")
    )
    base = NATIONAL_RSA_PERSONS / float(weighted["w"].sum())
    order = pl.DataFrame({"code_departement": departements, "dep_idx": list(range(len(departements)))})
    chosen = weighted.join(order, on="code_departement").sort("dep_idx", "code_commune")
    w = chosen["w"].to_numpy().astype(np.float64)
    cum = np.cumsum(w)
    dep_of = chosen["dep_idx"].to_numpy().astype(np.int32)
    n_dep = len(departements)
    first = np.searchsorted(dep_of, np.arange(n_dep), side="left")
    last = np.searchsorted(dep_of, np.arange(n_dep), side="right") - 1
    dep_hi = cum[last]
    dep_lo = np.where(first > 0, cum[np.maximum(first - 1, 0)], 0.0)
    all_pop = cog.communes["population"].to_numpy().astype(np.float64)
    return World(
        departements=list(departements),
        codes=chosen["code_commune"],
        dep_of=dep_of,
        cum_weight=cum,
        dep_lo=dep_lo,
        dep_hi=dep_hi,
        dep_first=first,
        dep_last=last,
        dep_weight=(dep_hi - dep_lo) / cum[-1],
        stock_size=float(cum[-1] * base),
        population=chosen["population"].to_numpy(),
        all_codes=cog.communes["code_commune"],
        all_cum_pop=np.cumsum(all_pop),
    )


def sample_communes(world: World, rng: np.random.Generator, n: int) -> np.ndarray:
    """n commune indices, weighted by RSA weight over all chosen départements."""
    u = rng.random(n) * world.cum_weight[-1]
    return np.minimum(np.searchsorted(world.cum_weight, u, side="right"), len(world.codes) - 1)


def sample_communes_in(world: World, rng: np.random.Generator, dep_idx: np.ndarray) -> np.ndarray:
    """One commune index per entry of dep_idx, inside that département."""
    lo = world.dep_lo[dep_idx]
    hi = world.dep_hi[dep_idx]
    u = lo + rng.random(len(dep_idx)) * (hi - lo)
    idx = np.searchsorted(world.cum_weight, u, side="right")
    return np.clip(idx, world.dep_first[dep_idx], world.dep_last[dep_idx])
