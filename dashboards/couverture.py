"""What a territory's figures cover: the départements reached by the files delivered.

A département is covered when the deliveries reach it: it delivered an accepted orientations file
(`marts.fct_livraisons`, producteur = its code), or the CAF/MSA file holds beneficiaries living
there (its `beneficiaires_sdd`, masked, is not 0 in some month: a masked cell counts people). A
territory with no covered département shows no figure (its zeros are not measured); a territory
partly covered, and the nation always, says which départements its figures cover.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import streamlit as st

from dashboards import data
from dashboards import formatting as fmt
from dashboards.data import Snapshot, SnapshotKey


@dataclass(frozen=True)
class Couverture:
    departements: tuple[str, ...]          # départements of the territory
    couverts: tuple[str, ...]              # those the deliveries cover

    @property
    def vide(self) -> bool:
        return not self.couverts

    @property
    def partielle(self) -> bool:
        return 0 < len(self.couverts) < len(self.departements)


@st.cache_data(max_entries=16, show_spinner=False)
def departements_couverts(cle: SnapshotKey) -> frozenset[str]:
    snapshot = data.charger(cle)
    caf = snapshot.figures.filter(
        (pl.col("indicateur") == "beneficiaires_sdd") & (pl.col("niveau") == "departement")
        & ((pl.col("statut") == fmt.SECRET) | (pl.col("valeur") > 0)))["code_territoire"].to_list()
    livres: list[str] = []
    if "fct_livraisons" in data.tables_presentes(cle):
        livres = data.requete(cle, "select distinct producteur from marts.fct_livraisons "
                                   "where type_fichier = 'orientations' and statut = 'acceptee'")["producteur"].to_list()
    deps = set(snapshot.territoires.filter(pl.col("niveau") == "departement")["code_territoire"].to_list())
    return frozenset((set(caf) | set(livres)) & deps)


def departements_de(snapshot: Snapshot, niveau: str, code: str) -> list[str]:
    t = snapshot.territoires
    if niveau == "national":
        rows = t.filter(pl.col("niveau") == "departement")
    elif niveau == "region":
        rows = t.filter((pl.col("niveau") == "departement") & (pl.col("code_region") == code))
    elif niveau == "departement":
        return [code]
    else:
        codes = (snapshot.appartenance.filter((pl.col("niveau") == "bassin") & (pl.col("code_territoire") == code))
                 ["code_departement"].unique().to_list())
        return sorted(codes)
    return sorted(rows["code_territoire"].to_list())


def couverture(snapshot: Snapshot, niveau: str, code: str) -> Couverture:
    deps = departements_de(snapshot, niveau, code)
    couverts = departements_couverts(snapshot.cle)
    return Couverture(tuple(deps), tuple(d for d in deps if d in couverts))


def _noms(snapshot: Snapshot, codes: tuple[str, ...]) -> str:
    return ", ".join(f"{snapshot.libelle_territoire('departement', c)} ({c})" for c in codes)


def message(snapshot: Snapshot, niveau: str, code: str, lib: str) -> tuple[str, str] | None:
    """(text, kind) to show above the figures, or None when a covered département needs no note.
    kind 'vide': no figure is shown."""
    c = couverture(snapshot, niveau, code)
    if c.vide:
        return (f"Aucun fichier livré ne couvre {lib} : ni le fichier RSA de la CAF et de la MSA (aucun "
                f"bénéficiaire n'y réside), ni un fichier d'orientations de son département. Ses chiffres ne sont "
                f"pas mesurés : ils ne sont pas affichés (ce ne sont pas des zéros).", "vide")
    if niveau == "national":
        if not c.partielle:
            return (f"Les chiffres de la France entière couvrent les {len(c.couverts)} départements du "
                    f"référentiel.", "info")
        return (f"Les chiffres de la France entière ne couvrent que les {len(c.couverts)} départements dont des "
                f"fichiers ont été livrés (sur {len(c.departements)}) : {_noms(snapshot, c.couverts)}.", "info")
    if c.partielle:
        combien = (f"qu'un de ses {len(c.departements)} départements, celui" if len(c.couverts) == 1 else
                   f"que {len(c.couverts)} de ses {len(c.departements)} départements, ceux")
        return (f"Les chiffres de {lib} ne couvrent {combien} dont des fichiers ont été livrés : "
                f"{_noms(snapshot, c.couverts)}.", "info")
    return None
