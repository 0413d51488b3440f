"""Identifiers: id_rsa (matricule + rang), NIR with a valid key, id_ft."""

from __future__ import annotations

import numpy as np
import polars as pl

from .population import Population
from .referential import World

# INSEE codes of countries of birth most common among RSA beneficiaries born abroad.
COUNTRIES = ["350", "352", "351", "139", "134", "127", "341", "335", "325", "208", "243", "424"]
ID_FT_STRIDE = 3_141_593  # coprime with 10**7
ID_FT_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def nir_key(first13: np.ndarray) -> np.ndarray:
    """97 - (n mod 97), n being the first 13 characters read as a number (2A = 19, 2B = 18)."""
    return 97 - first13 % 97


def nir_number(text: str) -> int:
    """The first 13 characters of a NIR as a number, Corsica read as 19/18."""
    return int(text[:13].replace("2A", "19").replace("2B", "18"))


def nir_is_valid(text: str) -> bool:
    if len(text) != 15 or not (text[:5].isdigit() and text[7:].isdigit()):
        return False
    if not (text[5:7].isdigit() or text[5:7] in ("2A", "2B")):
        return False
    return int(text[13:]) == 97 - nir_number(text) % 97


def id_rsa(pop: Population) -> pl.Series:
    return pl.Series("id_rsa", pop.matricule * 100 + pop.rang, dtype=pl.Int64).cast(pl.String).str.zfill(9)


def id_ft(person: np.ndarray, seed: int) -> pl.Series:
    """A stable France Travail identifier per person index: 7 digits and a letter."""
    offset = (seed * 7919 + 12345) % 10**7
    digits = (offset + person.astype(np.int64) * ID_FT_STRIDE) % 10**7
    letters = pl.Series(list(ID_FT_LETTERS)).gather(person % len(ID_FT_LETTERS))
    return (pl.Series(digits).cast(pl.String).str.zfill(7) + letters).alias("id_ft")


def nir(pop: Population, world: World, rng: np.random.Generator) -> pl.Series:
    """One NIR per person, distinct, with a valid key."""
    n = pop.n
    r = rng.random(n)
    home = world.codes.gather(pop.first_commune)
    elsewhere = world.all_codes.gather(
        np.minimum(np.searchsorted(world.all_cum_pop, rng.random(n) * world.all_cum_pop[-1], side="right"),
                   len(world.all_codes) - 1)
    )
    abroad = pl.Series(["99" + c for c in COUNTRIES]).gather(rng.integers(0, len(COUNTRIES), n))
    birth_s = pl.select(
        pl.when(pl.Series(r < 0.45)).then(home).when(pl.Series(r < 0.80)).then(elsewhere).otherwise(abroad)
    ).to_series()
    dep2 = birth_s.str.slice(0, 2)
    dep_num = dep2.replace_strict({"2A": "19", "2B": "18"}, default=dep2).cast(pl.Int64).to_numpy()
    com_num = birth_s.str.slice(2, 3).cast(pl.Int64).to_numpy()
    sex = np.where(pop.female, 2, 1).astype(np.int64)
    yy = (pop.birth_year.astype(np.int64)) % 100
    mm = rng.integers(1, 13, n).astype(np.int64)
    head = sex * 10**12 + yy * 10**10 + mm * 10**8 + dep_num * 10**6 + com_num * 10**3
    order = rng.integers(1, 1000, n).astype(np.int64)
    for _ in range(50):
        full = head + order
        _, first_idx = np.unique(full, return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first_idx] = False
        if not dup.any():
            break
        order[dup] = rng.integers(1, 1000, int(dup.sum()))
    else:  # pragma: no cover - would need ~1000 persons born the same month in one commune
        raise RuntimeError("could not draw distinct NIRs")
    full = head + order
    key = nir_key(full)
    prefix = (pl.Series(sex).cast(pl.String) + pl.Series(yy).cast(pl.String).str.zfill(2)
              + pl.Series(mm).cast(pl.String).str.zfill(2))
    return (prefix + dep2 + birth_s.str.slice(2, 3) + pl.Series(order).cast(pl.String).str.zfill(3)
            + pl.Series(key).cast(pl.String).str.zfill(2)).alias("nir")
