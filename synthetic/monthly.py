"""From records to the rows of each monthly file, typed as the contract says.

A monthly file carries every record created or changed during its month, with
the record's state at the end of the month (a date still in the future is
empty). The first month's files also carry the records still running at its
start (the producer's initial load): the episodes of the persons already in
the RSA stock, the registrations and accompaniments in progress. Hires are
reported in the file of a month 0 to 2 months after the hire.

Every frame returned has exactly the contract's columns, in its order, and a
deterministic row order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from .calendar import Calendar
from .identity import id_ft
from .population import ABSENT, Population
from .records import Records, labels
from .schema import ACCOMPAGNEMENTS_DEP, INSCRIPTIONS, ORIENTATIONS, REPRISES, RSA, Kind

ETATS = ["", "ouvert", "suspendu", "radie"]


@dataclass(frozen=True)
class Identities:
    id_rsa: pl.Series  # per person
    nir: pl.Series  # per person
    communes: pl.Series  # per commune index of the world


def _dates(df: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    return df.with_columns([pl.col(c).cast(pl.Int32).cast(pl.Date) for c in cols])


def _change_months(cal: Calendar, rid: np.ndarray, created: np.ndarray,
                   others: list[np.ndarray]) -> pl.DataFrame:
    """(rid, m) pairs: the month a record was created (the first month when earlier) and months it changed."""
    parts_r, parts_m = [], []
    m0 = np.maximum(cal.month_of(created), 0)
    parts_r.append(rid)
    parts_m.append(m0)
    for col in others:
        ok = col >= 0
        parts_r.append(rid[ok])
        parts_m.append(cal.month_of(col[ok]))
    r = np.concatenate(parts_r)
    m = np.concatenate(parts_m)
    keep = (m >= 0) & (m < cal.n)
    code = np.sort(r[keep].astype(np.int64) * (cal.n + 1) + m[keep])
    code = code[np.r_[True, code[1:] != code[:-1]]] if len(code) else code
    return pl.DataFrame({"rid": code // (cal.n + 1), "m": (code % (cal.n + 1)).astype(np.int32)})


def _with_month_end(df: pl.DataFrame, cal: Calendar) -> pl.DataFrame:
    ends = (cal.start[1:] - 1).astype(np.int64)
    return df.with_columns(month_end=pl.Series(ends[df["m"].to_numpy()]))


def _visible(col: str, end: str = "month_end") -> pl.Expr:
    return pl.when(pl.col(col) <= pl.col(end)).then(pl.col(col)).alias(col)


def _np(df: pl.DataFrame, col: str) -> np.ndarray:
    return df[col].fill_null(-1).to_numpy()


def rsa_month(pop: Population, ids: Identities, m: int) -> pl.DataFrame:
    idx = np.flatnonzero(pop.state[m] != ABSENT)
    st = pop.state[m][idx]
    df = pl.DataFrame({
        "id_rsa": ids.id_rsa.gather(idx),
        "nir": ids.nir.gather(idx),
        "organisme": labels(["CAF", "MSA"], pop.msa[idx].astype(np.int64), "organisme"),
        "code_commune": ids.communes.gather(pop.commune[m][idx]),
        "sexe": labels(["M", "F"], pop.female[idx].astype(np.int64), "sexe"),
        "annee_naissance": pop.birth_year[idx].astype(np.int64),
        "date_ouverture_droit": pop.ouverture[m][idx],
        "etat_droit": labels(ETATS, st.astype(np.int64), "etat_droit"),
        "droit_versable": pop.versable[m][idx],
        "soumis_droits_devoirs": pop.sdd[m][idx],
    })
    return _dates(df, RSA.dates).sort("code_commune", "id_rsa").select(RSA.columns)


def orientation_files(rec: Records, ids: Identities, cal: Calendar, seed: int
                      ) -> dict[tuple[int, int], pl.DataFrame]:
    """(dep index, month index) -> rows of departements/<dep>/orientations_<month>."""
    o = rec.orientations
    dates = ["date_entree_dispositif", "date_rdv_orientation", "date_orientation", "date_signature_contrat",
             "date_premier_rdv_accompagnement"]
    pairs = _change_months(cal, o["episode"].to_numpy(), o["t0"].to_numpy(), [_np(o, c) for c in dates])
    first_reg = rec.registrations.group_by("person").agg(pl.col("date_inscription").min().alias("first_reg"))
    o = o.rename({"episode": "rid"}).with_columns(pl.col("rid").cast(pl.Int64))
    rows = pairs.join(o, on="rid").join(first_reg, on="person", how="left").sort("rid", "m")
    rows = _with_month_end(rows, cal)
    oriented = pl.col("date_orientation") <= pl.col("month_end")
    person = rows["person"].to_numpy()
    rows = rows.with_columns(
        id_rsa=ids.id_rsa.gather(person),
        id_ft=pl.when(pl.col("show_id_ft") & (pl.col("first_reg") <= pl.col("month_end")))
        .then(id_ft(person, seed)),
        date_ouverture_droit=pl.col("ouverture"),
        date_reception_notification=pl.col("t0"),
        organisme_referent=pl.when(oriented).then(pl.col("organisme_referent")),
        type_parcours=pl.when(oriented).then(pl.col("type_parcours")),
        accompagnement_global=pl.when(oriented).then(pl.col("accompagnement_global")),
        freins=pl.when(oriented).then(pl.col("freins")),
    ).with_columns([_visible(c) for c in dates])
    rows = _dates(rows, ORIENTATIONS.dates)
    return _split(rows, "dep", ORIENTATIONS, ["date_reception_notification", "id_rsa"])


def accompaniment_files(rec: Records, ids: Identities, cal: Calendar, seed: int
                        ) -> tuple[dict[int, pl.DataFrame], dict[tuple[int, int], pl.DataFrame]]:
    """France Travail's files by month, and the départements' by (dep, month)."""
    a = rec.accompaniments.with_row_index("rid").with_columns(pl.col("rid").cast(pl.Int64))
    pairs = _change_months(cal, a["rid"].to_numpy(), a["date_debut"].to_numpy(), [_np(a, "date_fin")])
    rows = _with_month_end(pairs.join(a, on="rid").sort("rid", "m"), cal)
    person = rows["person"].to_numpy()
    is_ft = pl.col("producer") == -1
    rows = rows.with_columns(
        id_rsa=pl.when(~is_ft).then(ids.id_rsa.gather(person)),
        id_ft=pl.when(is_ft | pl.col("with_id_ft")).then(id_ft(person, seed)),
    ).with_columns(_visible("date_fin"))
    rows = _dates(rows, ACCOMPAGNEMENTS_DEP.dates)
    order = ["date_debut", "id_ft", "id_rsa", "modalite"]
    ft_rows = rows.filter(is_ft)
    ft_order = ["date_debut", "id_ft", "modalite"]
    ft = {m: g for (m,), g in _groups(ft_rows, ["m"], ACCOMPAGNEMENTS_DEP, ft_order)}
    dep = _split(rows.filter(~is_ft), "producer", ACCOMPAGNEMENTS_DEP, order)
    return ft, dep


def inscription_files(rec: Records, pop: Population, ids: Identities, cal: Calendar, seed: int
                      ) -> dict[int, pl.DataFrame]:
    r = rec.registrations.rename({"registration": "rid"}).with_columns(pl.col("rid").cast(pl.Int64))
    pairs = _change_months(cal, r["rid"].to_numpy(), r["date_inscription"].to_numpy(),
                           [_np(r, "date_sortie")])
    rows = _with_month_end(pairs.join(r, on="rid").sort("m", "rid"), cal)
    person = rows["person"].to_numpy()
    m = rows["m"].to_numpy()
    commune = np.empty(len(rows), dtype=np.int64)
    for j in range(cal.n):
        sel = m == j
        commune[sel] = pop.commune[j][person[sel]]
    rows = rows.with_columns(
        id_ft=id_ft(person, seed),
        nir=ids.nir.gather(person),
        code_commune=ids.communes.gather(commune),
        sexe=labels(["M", "F"], pop.female[person].astype(np.int64), "sexe"),
        annee_naissance=pl.Series(pop.birth_year[person].astype(np.int64)),
        motif_sortie=pl.when(pl.col("date_sortie") <= pl.col("month_end")).then(pl.col("motif_sortie")),
    ).with_columns(_visible("date_sortie"))
    rows = _dates(rows, INSCRIPTIONS.dates)
    return {mm: g for (mm,), g in _groups(rows, ["m"], INSCRIPTIONS, ["date_inscription", "id_ft"])}


def hire_files(rec: Records, cal: Calendar, seed: int) -> dict[int, pl.DataFrame]:
    h = rec.hires
    report = cal.month_of(h["date_embauche"].to_numpy()) + h["lag"].to_numpy()
    h = h.with_columns(m=pl.Series(report.astype(np.int32)))
    h = h.filter((pl.col("m") >= 0) & (pl.col("m") < cal.n))
    h = h.with_columns(id_ft=id_ft(h["person"].to_numpy(), seed))
    h = _dates(h, REPRISES.dates)
    return {m: g for (m,), g in _groups(h, ["m"], REPRISES, ["date_embauche", "id_ft", "type_contrat"])}


def _groups(rows: pl.DataFrame, by: list[str], kind: Kind, order: list[str]):
    rows = rows.sort(by + order, nulls_last=True)
    for key, g in rows.partition_by(by, as_dict=True, maintain_order=True).items():
        yield key, g.select(kind.columns)


def _split(rows: pl.DataFrame, dep_col: str, kind: Kind, order: list[str]
           ) -> dict[tuple[int, int], pl.DataFrame]:
    return {(int(d), int(m)): g for (d, m), g in _groups(rows, [dep_col, "m"], kind, order)}
