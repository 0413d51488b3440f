"""Table Schemas and datapackage.json (Frictionless Data Package v1) for an open-data folder."""

from __future__ import annotations

import json
from pathlib import Path

from publication.licence import LICENCE, contributor
from publication.table import COLUMNS, KEY, MOTIFS_VALEUR_VIDE, NIVEAUX, STATUTS
from socle.files import sha256_file
from socle.settings import DEFAULT_OPENDATA_PRODUCER

XLSX_MEDIATYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MOIS_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"

DESCRIPTIONS = {
    "indicateur": "Code de l'indicateur (voir README.md).",
    "libelle_indicateur": "Libellé de l'indicateur.",
    "niveau": "Niveau géographique : national, region, departement ou bassin.",
    "code_territoire": "Code du territoire : FR, code COG de la région ou du département, code du bassin.",
    "libelle_territoire": "Nom du territoire.",
    "mois": "Mois de référence (AAAA-MM).",
    "ventilation": "Ventilation de la population (ensemble pour toute la population).",
    "modalite": "Catégorie de la ventilation (ensemble pour toute la population).",
    "valeur": "Valeur : effectif (entier), taux entre 0 et 1 (4 décimales) ou délai en jours (1 décimale). "
              "Vide si secret, ou si le dénominateur d'un taux ou d'un délai est nul.",
    "numerateur": "Taux : numérateur ; effectifs : l'effectif ; délais : vide. Vide si secret.",
    "denominateur": "Taux et délais : population de référence ; effectifs : vide. Vide si secret.",
    "statut": "definitif, provisoire (le chiffre peut encore changer) ou secret (masqué, secret statistique).",
    "motif_valeur_vide": "Pourquoi `valeur` est vide : secret (case masquée, secret statistique), sans_objet "
                         "(population de référence vide : dénominateur nul, aucun taux ni délai à calculer) ou "
                         "non_disponible (chiffre non calculé : fichiers nécessaires pas encore livrés). Vide "
                         "quand `valeur` est publiée.",
    "code_departement": "Département du territoire (code COG) : le département lui-même, ou celui d'un bassin "
                        "entièrement compris dans un département. Vide pour la France, les régions et un bassin "
                        "qui s'étend sur plusieurs départements (voir departements_bassin).",
    "code_region": "Région du territoire (code COG) : la région elle-même, celle d'un département, ou celle "
                   "d'un bassin entièrement compris dans une région. Vide pour la France et pour un bassin qui "
                   "s'étend sur plusieurs régions (voir regions_bassin).",
    "departements_bassin": "Bassins seulement : tous les départements qui contiennent des communes du bassin, "
                           "séparés par « | » (par exemple 13|84 pour un bassin qui s'étend sur deux "
                           "départements). Vide pour les autres niveaux.",
    "regions_bassin": "Bassins seulement : toutes les régions qui contiennent des communes du bassin, séparées "
                      "par « | ». Vide pour les autres niveaux.",
}
DEPARTEMENT_PATTERN = r"[0-9]{2}|2A|2B|97[0-9]"
REGION_PATTERN = r"[0-9]{2}"


def _field(name: str, type_: str, *, required: bool = False, **constraints) -> dict:
    field = {"name": name, "type": type_, "description": DESCRIPTIONS.get(name, "")}
    cons = dict(constraints)
    if required:
        cons["required"] = True
    if cons:
        field["constraints"] = cons
    return field


def territory_codes(dim_territoires) -> dict[str, list[str]]:
    """niveau → its codes in dim_territoires (the enums of code_departement and code_region)."""
    return {niveau: sorted(dim_territoires.filter(dim_territoires["niveau"] == niveau)["code_territoire"].to_list())
            for niveau in ("region", "departement")}


def _list_pattern(code: str) -> str:
    return rf"^(?:{code})(?:\|(?:{code}))*$"


def indicateurs_schema(indicator_codes: list[str], mois_type: str = "string",
                       territory_codes: dict[str, list[str]] | None = None) -> dict:
    """Table Schema of indicateurs.csv / indicateurs.parquet. `mois` is text `YYYY-MM`
    (pattern-checked) in both files, so that the two schemas are one. `code_departement` and
    `code_region` take the codes of the referential (`territory_codes`, territory_codes()) as
    enums: they stand for foreign keys, which cannot be written here (a région and a
    département can share a code, 93, and the package has no table of territories); without
    them, a pattern."""
    codes = territory_codes or {}
    parent = {col: ({"enum": codes[niveau]} if codes.get(niveau) else {"pattern": f"^(?:{pattern})$"})
              for col, niveau, pattern in (("code_departement", "departement", DEPARTEMENT_PATTERN),
                                           ("code_region", "region", REGION_PATTERN))}
    fields = {
        "indicateur": _field("indicateur", "string", required=True, enum=sorted(indicator_codes)),
        "libelle_indicateur": _field("libelle_indicateur", "string", required=True),
        "niveau": _field("niveau", "string", required=True, enum=NIVEAUX),
        "code_territoire": _field("code_territoire", "string", required=True),
        "libelle_territoire": _field("libelle_territoire", "string", required=True),
        "mois": _field("mois", mois_type, required=True, pattern=MOIS_PATTERN),
        "ventilation": _field("ventilation", "string", required=True),
        "modalite": _field("modalite", "string", required=True),
        "valeur": _field("valeur", "number", minimum=0),
        "numerateur": _field("numerateur", "integer", minimum=0),
        "denominateur": _field("denominateur", "integer", minimum=0),
        "statut": _field("statut", "string", required=True, enum=STATUTS),
        "motif_valeur_vide": _field("motif_valeur_vide", "string", enum=MOTIFS_VALEUR_VIDE),
        "code_departement": _field("code_departement", "string", **parent["code_departement"]),
        "code_region": _field("code_region", "string", **parent["code_region"]),
        "departements_bassin": _field("departements_bassin", "string", pattern=_list_pattern(DEPARTEMENT_PATTERN)),
        "regions_bassin": _field("regions_bassin", "string", pattern=_list_pattern(REGION_PATTERN)),
    }
    return {"fields": [fields[c] for c in COLUMNS], "primaryKey": list(KEY), "missingValues": [""]}


ANNEE_DESCRIPTION = ("Année civile de référence (AAAA). Stocks : chiffre de décembre, ou du dernier mois calculé de "
                     "l'année ; entrées et cohortes : sur l'année (voir README.md).")


def indicateurs_annuels_schema(indicator_codes: list[str],
                               territory_codes: dict[str, list[str]] | None = None) -> dict:
    """Table Schema of indicateurs_annuels.csv / .parquet: the monthly one with `annee` (integer) in
    place of `mois`."""
    schema = indicateurs_schema(indicator_codes, territory_codes=territory_codes)
    fields = [({"name": "annee", "type": "integer", "description": ANNEE_DESCRIPTION,
                "constraints": {"required": True, "minimum": 2000, "maximum": 2100}}
               if f["name"] == "mois" else f) for f in schema["fields"]]
    return {**schema, "fields": fields, "primaryKey": ["annee" if k == "mois" else k for k in schema["primaryKey"]]}


CIBLES_DESCRIPTIONS = {
    "libelle_indicateur": "Libellé de l'indicateur ; vide pour un indicateur qui n'est pas encore calculé.",
    "mois": "Mois de référence (AAAA-MM) du chiffre mensuel que la cible concerne.",
    "valeur_cible": "Valeur cible : une part entre 0 et 1 pour les taux, des jours pour les délais, des "
                    "personnes pour les effectifs.",
    "sens": "minimum : la cible est atteinte quand valeur − valeur_cible ≥ 0 ; maximum : quand "
            "valeur − valeur_cible ≤ 0.",
    "source": "Texte qui fixe la cible.",
}


def cibles_schema(indicator_codes: list[str], territory_codes: dict[str, list[str]] | None = None) -> dict:
    """Table Schema of cibles.csv (publication.cibles)."""
    from publication.cibles import COLUMNS, KEY, SENS

    base = {f["name"]: f for f in indicateurs_schema(indicator_codes, territory_codes=territory_codes)["fields"]}
    # a target may name an indicator not computed yet (marts.cibles holds the seed's every row on the
    # grid): no enum on `indicateur`, and its label is empty
    base["indicateur"]["constraints"] = {"required": True}
    base["libelle_indicateur"] = _field("libelle_indicateur", "string")
    extra = {
        "mois": _field("mois", "string", required=True, pattern=MOIS_PATTERN),
        "valeur_cible": _field("valeur_cible", "number", required=True, minimum=0),
        "sens": _field("sens", "string", required=True, enum=SENS),
        "source": _field("source", "string", required=True),
    }
    fields = []
    for c in COLUMNS:
        f = dict(extra.get(c) or base[c])
        f["description"] = CIBLES_DESCRIPTIONS.get(c, f.get("description"))
        fields.append(f)
    return {"fields": fields, "primaryKey": list(KEY), "missingValues": [""]}


REVISION_COLUMNS = [
    ("indicateur", "string", True, "Code de l'indicateur."),
    ("niveau", "string", True, "Niveau géographique."),
    ("code_territoire", "string", True, "Code du territoire."),
    ("mois", "string", False, "Mois de référence (AAAA-MM) ; vide pour un chiffre annuel (voir annee)."),
    ("ventilation", "string", True, "Ventilation."),
    ("modalite", "string", True, "Catégorie de la ventilation."),
    ("valeur_precedente", "number", False, "Valeur publiée dans la publication précédente (vide si secret)."),
    ("valeur_nouvelle", "number", False, "Valeur publiée dans cette publication (vide si secret ou retirée)."),
    ("numerateur_precedent", "integer", False, "Numérateur publié précédemment."),
    ("numerateur_nouveau", "integer", False, "Numérateur publié dans cette publication."),
    ("denominateur_precedent", "integer", False, "Dénominateur publié précédemment."),
    ("denominateur_nouveau", "integer", False, "Dénominateur publié dans cette publication."),
    ("statut_precedent", "string", True, "Statut publié précédemment."),
    ("statut_nouveau", "string", False, "Statut dans cette publication (vide si la ligne a disparu)."),
    ("motif", "string", True, "Raison de la révision : nouvelle_livraison, maturite ou correction (voir README.md)."),
    ("publication_precedente", "string", True, "Dossier de la publication précédente (AAAA-MM-JJ-NN : date et numéro d'ordre dans la journée)."),
    ("fichier", "string", True, "Fichier du chiffre révisé : indicateurs.csv (chiffres mensuels) ou "
                                "indicateurs_annuels.csv (chiffres annuels)."),
    ("annee", "integer", False, "Année de référence d'un chiffre annuel (AAAA) ; vide pour un chiffre mensuel."),
]
REVISION_FILES = ["indicateurs.csv", "indicateurs_annuels.csv"]
REVISION_KEY = ["fichier", "indicateur", "niveau", "code_territoire", "mois", "annee", "ventilation", "modalite"]
MOTIFS = ["nouvelle_livraison", "maturite", "correction"]


def revisions_schema() -> dict:
    fields = []
    for name, type_, required, description in REVISION_COLUMNS:
        field = {"name": name, "type": type_, "description": description}
        cons = {"required": True} if required else {}
        if name == "motif":
            cons["enum"] = MOTIFS
        if name in ("statut_precedent", "statut_nouveau"):
            cons["enum"] = STATUTS
        if name == "mois":
            cons["pattern"] = MOIS_PATTERN
        if name == "fichier":
            cons["enum"] = REVISION_FILES
        if cons:
            field["constraints"] = cons
        fields.append(field)
    # a monthly revision has no annee, a yearly one no mois: the key holds both (frictionless accepts
    # an empty cell in a composite key) and the file they belong to
    return {"fields": fields, "primaryKey": list(REVISION_KEY), "missingValues": [""]}


def write_datapackage(folder: Path, indicator_codes: list[str], date: str, built_at: str,
                      producer: str = DEFAULT_OPENDATA_PRODUCER, contact: str | None = None,
                      territory_codes: dict[str, list[str]] | None = None, workbook: Path | None = None,
                      yearly: bool = False, targets: bool = False) -> Path:
    """Write datapackage.json. `workbook`: indicateurs.xlsx, listed as a file resource (its size and
    SHA-256, which `frictionless validate` checks): its table is the CSV's, whose schema describes it;
    frictionless reads no xlsx here (no openpyxl), so it is not declared as a tabular resource."""
    indicateurs = indicateurs_schema(indicator_codes, territory_codes=territory_codes)
    # frictionless reads Parquet through pandas, where a null integer becomes the float NaN
    # (read as the text "nan"): the Parquet resource counts it as missing too.
    parquet_schema = {**indicateurs, "missingValues": ["", "nan"]}
    csv_dialect = {"delimiter": ",", "header": True}
    package = {
        "name": f"socle-indicateurs-{date}",
        "title": "Socle commun d'indicateurs RSA / France Travail",
        "description": "Indicateurs du socle commun (instruction DGEFP/DPE/2023/192, annexe 4), "
                       "agrégés par territoire et par mois, avec secret statistique. Voir README.md.",
        "version": date,
        "created": built_at,
        "licenses": [dict(LICENCE)],
        "contributors": [contributor(producer, contact)],
        "resources": [
            {"name": "indicateurs", "path": "indicateurs.csv", "profile": "tabular-data-resource",
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "dialect": csv_dialect,
             "schema": indicateurs},
            {"name": "indicateurs_parquet", "path": "indicateurs.parquet", "profile": "tabular-data-resource",
             "format": "parquet", "mediatype": "application/vnd.apache.parquet", "schema": parquet_schema},
            {"name": "revisions", "path": "revisions.csv", "profile": "tabular-data-resource",
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "dialect": csv_dialect,
             "schema": revisions_schema()},
        ],
    }
    if yearly:  # indicateurs_annuels.csv / .parquet (publication.annuels)
        annuels = indicateurs_annuels_schema(indicator_codes, territory_codes=territory_codes)
        package["resources"][2:2] = [
            {"name": "indicateurs_annuels", "path": "indicateurs_annuels.csv", "profile": "tabular-data-resource",
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "dialect": csv_dialect,
             "description": "Chiffres annuels (année civile), masqués comme les chiffres mensuels : voir README.md.",
             "schema": annuels},
            {"name": "indicateurs_annuels_parquet", "path": "indicateurs_annuels.parquet",
             "profile": "tabular-data-resource", "format": "parquet", "mediatype": "application/vnd.apache.parquet",
             "schema": {**annuels, "missingValues": ["", "nan"]}}]
    if targets:  # cibles.csv (publication.cibles)
        package["resources"].insert(len(package["resources"]) - 1, {
            "name": "cibles", "path": "cibles.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "dialect": csv_dialect,
            "description": "Cibles des chiffres mensuels (publiques, non masquées) : voir README.md.",
            "schema": cibles_schema(indicator_codes, territory_codes=territory_codes)})
    if workbook is not None and workbook.exists():
        package["resources"].insert(2, {
            "name": "indicateurs_xlsx", "type": "file", "path": workbook.name, "format": "xlsx",
            "mediatype": XLSX_MEDIATYPE, "bytes": workbook.stat().st_size, "hash": f"sha256:{sha256_file(workbook)}",
            "description": "La table de indicateurs.csv au format Excel, une feuille par niveau géographique "
                           "(et une feuille lisez-moi) ; mêmes colonnes, même schéma."})
    path = folder / "datapackage.json"
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
