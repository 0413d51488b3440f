"""The file kinds of sources.md: paths, column lists and value lists, as the contract spells them."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

FREINS = ["MOBILITE", "LOGEMENT", "SANTE", "GARDE_ENFANT", "NUMERIQUE", "LANGUE", "FINANCES",
          "ADMINISTRATIF", "QUALIFICATION"]
ORGANISMES = ["FT", "CD", "ML", "CAP_EMPLOI", "CAF", "CCAS", "ASSO", "AUTRE"]

LISTS: dict[str, list[str]] = {
    "organisme_caf": ["CAF", "MSA"],
    "sexe": ["F", "M"],
    "etat_droit": ["ouvert", "suspendu", "radie"],
    "organisme_referent": ORGANISMES,
    "organisme": ORGANISMES,
    "type_parcours": ["professionnel", "socio_professionnel", "social"],
    "modalite": ["SUIVI", "GUIDE", "RENFORCE", "GLOBAL", "INTENSIF", "CEJ", "SOCIAL", "SOCIO_PRO"],
    "categorie": ["A", "B", "C", "D", "E"],
    "motif_sortie": ["REPRISE_EMPLOI", "FORMATION", "RADIATION", "CESSATION", "AUTRE"],
    "niveau_formation": ["INF_BAC", "BAC", "SUP_BAC"],
    "type_contrat": ["CDI", "CDD", "CTT", "CREATION", "AUTRE"],
}


@dataclass(frozen=True)
class Kind:
    name: str  # type_fichier
    folder: str  # 'caf', 'ft' or 'departements/<dep>'
    stem: str  # file name before _YYYY-MM
    columns: list[str]
    dates: list[str]
    booleans: list[str]
    integers: list[str]
    decimals: list[str]


RSA = Kind(
    "rsa", "caf", "rsa",
    ["id_rsa", "nir", "organisme", "code_commune", "sexe", "annee_naissance", "date_ouverture_droit",
     "etat_droit", "droit_versable", "soumis_droits_devoirs"],
    dates=["date_ouverture_droit"], booleans=["droit_versable", "soumis_droits_devoirs"],
    integers=["annee_naissance"], decimals=[],
)
ORIENTATIONS = Kind(
    "orientations", "departements", "orientations",
    ["id_rsa", "id_ft", "date_ouverture_droit", "date_reception_notification", "date_entree_dispositif",
     "date_rdv_orientation", "date_orientation", "organisme_referent", "type_parcours",
     "accompagnement_global", "freins", "date_signature_contrat", "date_premier_rdv_accompagnement"],
    dates=["date_ouverture_droit", "date_reception_notification", "date_entree_dispositif",
           "date_rdv_orientation", "date_orientation", "date_signature_contrat",
           "date_premier_rdv_accompagnement"],
    booleans=["accompagnement_global"], integers=[], decimals=[],
)
ACCOMPAGNEMENTS_DEP = Kind(
    "accompagnements", "departements", "accompagnements",
    ["id_rsa", "id_ft", "organisme", "modalite", "heures_hebdo", "date_debut", "date_fin"],
    dates=["date_debut", "date_fin"], booleans=[], integers=[], decimals=["heures_hebdo"],
)
ACCOMPAGNEMENTS_FT = Kind(
    "accompagnements", "ft", "accompagnements",
    ACCOMPAGNEMENTS_DEP.columns, dates=["date_debut", "date_fin"], booleans=[], integers=[],
    decimals=["heures_hebdo"],
)
INSCRIPTIONS = Kind(
    "inscriptions", "ft", "inscriptions",
    ["id_ft", "nir", "code_commune", "date_inscription", "categorie", "date_sortie", "motif_sortie", "sexe",
     "annee_naissance", "niveau_formation", "rqth", "qpv"],
    dates=["date_inscription", "date_sortie"], booleans=["rqth", "qpv"], integers=["annee_naissance"],
    decimals=[],
)
REPRISES = Kind(
    "reprises_emploi", "ft", "reprises_emploi",
    ["id_ft", "date_embauche", "type_contrat", "duree_prevue_jours"],
    dates=["date_embauche"], booleans=[], integers=["duree_prevue_jours"], decimals=[],
)

KINDS = [RSA, INSCRIPTIONS, ACCOMPAGNEMENTS_FT, REPRISES, ORIENTATIONS, ACCOMPAGNEMENTS_DEP]


def relative_path(kind: Kind, month: str, dep: str | None = None, ext: str = "csv") -> str:
    folder = f"departements/{dep}" if kind.folder == "departements" else kind.folder
    return f"{folder}/{kind.stem}_{month}.{ext}"


def polars_schema(kind: Kind) -> dict:
    def dtype(c: str):
        if c in kind.dates:
            return pl.Date
        if c in kind.booleans:
            return pl.Boolean
        if c in kind.integers:
            return pl.Int64
        if c in kind.decimals:
            return pl.Float64
        return pl.String

    return {c: dtype(c) for c in kind.columns}


def empty_frame(kind: Kind):
    return pl.DataFrame(schema=polars_schema(kind))
