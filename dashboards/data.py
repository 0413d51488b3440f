"""Access to the current published snapshot, read-only, and the masked figures it holds.

Every rerun reads `$SOCLE_HOME/snapshots/CURRENT` again (a few bytes), so a snapshot published
while the app runs is picked up at the next interaction, without a restart. Everything read from
a snapshot is cached under a key made of its path, its modification time and the masking
threshold: a new snapshot is a new key; an old one falls out of the cache.

The dashboards never see unmasked figures: they read the masked cells through
`publication.table.snapshot_masked_cells`, as the open data does: `publie.indicateurs_masques`,
written into the snapshot when it is published, so that every screen and download shows exactly
the open data's masked cells (a snapshot without that table, or masked with another threshold,
is masked on reading by the same call).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from publication.annuels import masked_yearly
from publication.table import snapshot_masked_cells
from socle import snapshot
from socle.parameters import parameter
from socle.settings import get_settings

TABLES = ("indicateurs", "dim_indicateurs", "dim_territoires", "dim_territoires_appartenance")


@dataclass(frozen=True)
class SnapshotKey:
    """Cache key of a snapshot: path, modification time (ns) and masking threshold."""
    path: str
    mtime_ns: int
    seuil: int


@dataclass(frozen=True)
class Snapshot:
    cle: SnapshotKey
    publie_le: datetime | None
    indicateurs: pl.DataFrame          # dim_indicateurs, in display order
    territoires: pl.DataFrame          # dim_territoires
    appartenance: pl.DataFrame         # dim_territoires_appartenance
    figures: pl.DataFrame              # marts.indicateurs, masked, ventilation = modalite = 'ensemble'
    mois: list[date] = field(default_factory=list)   # months computed, oldest first
    cibles: pl.DataFrame | None = None  # marts.cibles (targets of monthly figures), None when absent
    annuels: pl.DataFrame | None = None  # marts.indicateurs_annuels, masked, `ensemble` rows; None when absent
    ventilations: pl.DataFrame | None = None  # marts.indicateurs, masked, the published breakdown rows

    @property
    def path(self) -> Path:
        return Path(self.cle.path)

    @property
    def seuil(self) -> int:
        return self.cle.seuil

    @property
    def bassins_substituts(self) -> bool:
        """True when the bassins are arrondissements standing in for a missing bassin referential."""
        b = self.territoires.filter(pl.col("niveau") == "bassin")
        return b.height > 0 and bool(b["est_substitut_arrondissement"].fill_null(False).any())

    def libelle_territoire(self, niveau: str, code: str) -> str:
        row = self.territoires.filter((pl.col("niveau") == niveau) & (pl.col("code_territoire") == code))
        return row["libelle_territoire"][0] if row.height else code


def seuil_secret() -> int:
    """The masking threshold, a governed parameter (dbt seed `parametres`)."""
    return int(parameter("seuil_secret"))


def chemin_courant() -> Path | None:
    """The snapshot named by CURRENT now (None when nothing has been published)."""
    path = snapshot.current_snapshot(get_settings())
    if path is None or not path.exists():
        return None
    return path


def cle_courante() -> SnapshotKey | None:
    path = chemin_courant()
    if path is None:
        return None
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:  # pruned between the two calls
        return None
    return SnapshotKey(str(path), mtime, seuil_secret())


@contextmanager
def lecture(cle: SnapshotKey):
    """A read-only connection to the snapshot, closed after use."""
    con = duckdb.connect(cle.path, read_only=True)
    try:
        yield con
    finally:
        con.close()


def requete(cle: SnapshotKey, sql: str, params: list | None = None) -> pl.DataFrame:
    """Run one parameterised query on the snapshot (values are always bound, never formatted in)."""
    with lecture(cle) as con:
        return con.sql(sql, params=params or None).pl()


def tables_presentes(cle: SnapshotKey) -> set[str]:
    return set(requete(cle, "select table_name from information_schema.tables where table_schema = 'marts'")
               ["table_name"].to_list())


_STAMP = re.compile(r"socle_(\d{8}T\d{6})(\d*)Z")


def _publie_le(path: Path) -> datetime | None:
    m = _STAMP.search(path.name)
    if m:
        return datetime.strptime(m.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=timezone.utc)
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
    except FileNotFoundError:
        return None


@st.cache_resource(max_entries=3, show_spinner="Lecture de l'instantané publié…")
def charger(cle: SnapshotKey) -> Snapshot:
    """Read a snapshot and its masked table once (shared by every session; polars frames are immutable)."""
    with lecture(cle) as con:
        present = {r[0] for r in con.sql("select table_name from information_schema.tables "
                                         "where table_schema = 'marts'").fetchall()}
        missing = [t for t in TABLES if t not in present]
        if missing:
            raise RuntimeError("l'instantané publié ne contient pas " + ", ".join(f"marts.{t}" for t in missing))
        indicateurs = con.sql("select * from marts.dim_indicateurs order by ordre, indicateur").pl()
        territoires = con.sql("select * from marts.dim_territoires").pl()
        appartenance = con.sql("select * from marts.dim_territoires_appartenance").pl()
        cibles = (con.sql("select indicateur, niveau, code_territoire, mois, valeur_cible, sens, source "
                          "from marts.cibles").pl() if "cibles" in present else None)
        masque, _ = snapshot_masked_cells(con, cle.seuil)
        annuels = _annuels_masques(con, cle.seuil, masque, indicateurs, territoires, appartenance)
    ensemble = (pl.col("ventilation") == "ensemble") & (pl.col("modalite") == "ensemble")
    figures = masque.filter(ensemble)
    mois = sorted(figures["mois"].unique().to_list())
    return Snapshot(cle=cle, publie_le=_publie_le(Path(cle.path)), indicateurs=indicateurs,
                    territoires=territoires, appartenance=appartenance, figures=figures, mois=mois,
                    cibles=cibles, annuels=annuels.filter(ensemble) if annuels is not None else None,
                    ventilations=masque.filter(~ensemble))


def _annuels_masques(con, seuil: int, masque: pl.DataFrame, indicateurs: pl.DataFrame, territoires: pl.DataFrame,
                     appartenance: pl.DataFrame) -> pl.DataFrame | None:
    """The yearly cells masked at the snapshot's publication (the open data's), or masked now by the
    same call when the snapshot holds none for this threshold; None without a yearly mart."""
    result = masked_yearly(con, seuil, masque, indicateurs, territoires, appartenance)
    return None if result is None else result[0]


def courant() -> Snapshot | None:
    cle = cle_courante()
    return None if cle is None else charger(cle)
