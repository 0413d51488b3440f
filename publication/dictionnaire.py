"""French descriptions of the tables, views and columns of the analyst files (the `dictionnaire`).

Order of precedence for a column: this module's entry for (table, column); the description
written in the dbt models' YAML (dbt_project/models/marts/*.yml) of the mart the table is copied
from; this module's entry for the column name alone; a default. Every description names the
tables by their names in the file (`definitions_indicateurs`, not the mart `dim_indicateurs`):
`in_file_names` rewrites the marts' names found in the YAML text. A `mois` column always says
that it is a DATE here and `AAAA-MM` text in the open data.
"""

from __future__ import annotations

import re
from functools import cache

from publication.analysts_format import LICENCE
from socle.settings import DBT_PROJECT_DIR

TABLES = {
    "indicateurs": ("table", "Indicateurs du socle, non masqués, une ligne par indicateur × territoire × mois "
                             "× ventilation × modalité (ventilation = ensemble pour toute la population), "
                             "restreints aux territoires du fichier."),
    "comparaison": ("table", "Pour comparer : les chiffres de la France et de toutes les régions tels que "
                             "l'open data les publie, masqués par le secret statistique (statut secret, "
                             "valeur vide), valeurs non arrondies. Agrégats publics seulement : aucune "
                             "donnée non masquée d'une autre région."),
    "territoires": ("table", "Territoires du fichier (France, régions, départements, bassins) avec leurs libellés."),
    "appartenance_territoires": ("table", "Départements (et régions) que recouvre chaque territoire, avec nombre de "
                                          "communes et population en commun."),
    "definitions_indicateurs": ("table", "Définition en français de chaque indicateur, ses sources, sa règle de "
                                         "maturité."),
    "livraisons": ("table", "Registre des livraisons des producteurs du fichier (CAF/MSA, France Travail, "
                            "référentiel, départements) : qui a livré quoi, quand, avec quelle empreinte."),
    "livraisons_manquantes": ("table", "Livraisons attendues et absentes, par mois calculé."),
    "quarantaine_motifs": ("table", "Lignes mises en quarantaine, comptées par livraison, colonne et règle."),
    "liaison": ("table", "Qualité de la liaison des personnes entre fichiers (enregistrements non liés, orientés "
                         "non inscrits à France Travail)."),
    "referentiel_bassins": ("table", "Couverture de chaque référentiel de bassins chargé."),
    "personnes_mois": ("table", "Faits individuels pseudonymisés, une ligne par personne × mois, des personnes "
                                "résidant dans le périmètre du fichier. Pseudonymes, mois et valeurs codées "
                                "seulement : ni commune, ni année de naissance, ni date exacte, ni donnée de santé."),
    "dictionnaire": ("table", "Ce dictionnaire : chaque table, vue et colonne du fichier. Fichier non masqué, "
                              "à diffusion restreinte : rien n'en sort sans le secret statistique. Les "
                              f"chiffres qui en sont tirés se réutilisent, une fois masqués, sous {LICENCE}, "
                              "comme l'open data."),
    "manifeste": ("table", "Manifeste du fichier : construction, instantané source, version du code, audience."),
    "manifeste_livraisons": ("table", "Livraisons (fichiers sources et leur empreinte SHA-256) à partir desquelles "
                                      "l'instantané a été construit."),
    "indicateurs_lisibles": ("vue", "Les indicateurs avec les libellés de l'indicateur et du territoire, et le mois "
                                    "au format AAAA-MM."),
    "indicateurs_dernier_mois": ("vue", "indicateurs_lisibles restreinte au dernier mois calculé."),
    "livraisons_courantes": ("vue", "Les livraisons courantes (acceptées et non remplacées)."),
}

SOURCE_MART = {
    "indicateurs": "indicateurs", "territoires": "dim_territoires",
    "appartenance_territoires": "dim_territoires_appartenance", "definitions_indicateurs": "dim_indicateurs",
    "livraisons": "fct_livraisons", "livraisons_manquantes": "fct_livraisons_manquantes",
    "quarantaine_motifs": "fct_quarantaine_motifs", "liaison": "fct_liaison",
    "referentiel_bassins": "fct_referentiel_bassins", "personnes_mois": "fct_personnes_mois",
    "manifeste_livraisons": "fct_livraisons", "livraisons_courantes": "fct_livraisons",
    "indicateurs_lisibles": "indicateurs", "indicateurs_dernier_mois": "indicateurs", "comparaison": "indicateurs",
}

SPECIFIC = {
    ("territoires", "chevauche_plusieurs_regions"): "Vrai pour un bassin qui s'étend sur plusieurs régions : il "
        "figure dans le fichier de chacune, avec ses chiffres entiers (personnes des autres régions comprises).",
    ("indicateurs_lisibles", "mois_texte"): "Mois de référence en texte AAAA-MM, comme la colonne mois de "
                                            "l'open data.",
    ("indicateurs_dernier_mois", "mois_texte"): "Mois de référence en texte AAAA-MM, comme la colonne mois de "
                                                "l'open data.",
    ("dictionnaire", "nom_table"): "Nom de la table ou de la vue.",
    ("dictionnaire", "genre"): "table ou vue.",
    ("dictionnaire", "colonne"): "Nom de la colonne (vide pour la ligne qui décrit la table elle-même).",
    ("dictionnaire", "type"): "Type SQL de la colonne.",
    ("dictionnaire", "description"): "Signification, en français.",
    ("manifeste", "cle"): "Élément du manifeste.",
    ("manifeste", "valeur"): "Sa valeur.",
    ("comparaison", "statut"): "definitif, provisoire ou secret (secret statistique : valeur, numérateur et "
                               "dénominateur vides), comme dans l'open data.",
    ("comparaison", "valeur"): "Le chiffre publié (pleine précision, l'open data l'arrondit) ; vide quand il "
                               "est secret.",
    ("comparaison", "numerateur"): "Taux : numérateur ; effectifs : l'effectif ; vide quand la case est secrète.",
    ("comparaison", "denominateur"): "Taux et délais : la population de référence ; vide quand la case est "
                                     "secrète.",
    ("comparaison", "niveau"): "national ou region.",
    ("definitions_indicateurs", "libelle"): "Libellé long de l'indicateur (libelle_court : en-têtes des tableaux).",
}

GENERIC = {
    "indicateur": "Code de l'indicateur (voir definitions_indicateurs).",
    "niveau": "Niveau géographique : national, region, departement ou bassin.",
    "code_territoire": "Code du territoire : FR, code COG de la région ou du département, code du bassin.",
    "libelle_territoire": "Nom du territoire.",
    "libelle_indicateur": "Libellé de l'indicateur.",
    "mois": "Mois de référence.",
    "ventilation": "Ventilation de la population (ensemble pour toute la population).",
    "modalite": "Catégorie de la ventilation (ensemble pour toute la population).",
    "numerateur": "Taux : numérateur ; effectifs : l'effectif (0 s'il n'y a personne) ; délais : vide.",
    "denominateur": "Taux et délais : la population de référence ; effectifs : vide.",
    "valeur": "Le chiffre en pleine précision (taux entre 0 et 1, délais en jours, effectifs) ; vide quand le "
              "dénominateur d'un taux ou d'un délai est nul.",
    "statut": "definitif ou provisoire (règle de maturité de l'indicateur) ; pour une livraison : acceptee ou rejetee.",
    "code_region": "Code COG de la région.",
    "code_departement": "Code COG du département.",
    "code_bassin": "Code du bassin d'emploi.",
    "est_substitut_arrondissement": "Vrai quand, faute de référentiel de bassins, l'arrondissement tient lieu de bassin.",
    "annee_referentiel": "Année du référentiel de bassins.",
    "nb_communes": "Nombre de communes en commun.",
    "population": "Population municipale en commun (COG).",
    "ordre": "Ordre d'affichage.",
    "type_indicateur": "Nature du chiffre : effectif, taux, delai_moyen ou delai_median.",
    "unite": "Unité de la valeur.",
    "definition": "Définition exacte, en français courant.",
    "sources": "Fichiers sources mobilisés.",
    "regle_maturite": "Quand le chiffre passe de provisoire à définitif.",
    "id_livraison": "Identifiant de la livraison (un contenu de fichier distinct).",
    "type_fichier": "Type de fichier : rsa, inscriptions, accompagnements, reprises_emploi, orientations, bassins.",
    "producteur": "Producteur : caf, ft, referentiel ou code du département.",
    "extension": "Extension du fichier livré.",
    "sha256": "Empreinte SHA-256 du fichier livré.",
    "taille_octets": "Taille du fichier en octets.",
    "date_modification": "Date de modification du fichier dans le dossier de dépôt.",
    "recu_le": "Date et heure de prise en charge par le socle.",
    "motif_rejet": "Raison du rejet d'une livraison rejetée.",
    "lignes_lues": "Lignes lues dans le fichier.",
    "lignes_chargees": "Lignes chargées.",
    "lignes_quarantaine": "Lignes mises en quarantaine.",
    "colonnes_ignorees": "Colonnes reçues hors du contrat, ignorées.",
    "est_courante": "Vrai pour la livraison courante de son (type de fichier, producteur, mois).",
    "remplacee_par": "Identifiant de la livraison qui l'a remplacée.",
    "nb_livraisons_rejetees": "Nombre de livraisons rejetées pour ce fichier et ce mois.",
    "colonne": "Colonne en faute.",
    "regle": "Règle enfreinte.",
    "nb_lignes": "Nombre de lignes.",
    "mesure": "Mesure de qualité.",
    "part": "Part (numérateur / dénominateur).",
    "personne": "Pseudonyme de la personne : les 60 premiers bits de l'empreinte HMAC-SHA-256 de son NIR, en entier "
                "(stable de mois en mois, identique dans tous les fichiers).",
    "tranche_age": "Tranche d'âge (moins de 25, 25–29, 30–39, 40–49, 50–59, 60 et plus).",
}


@cache
def yaml_descriptions() -> dict[tuple[str, str], str]:
    """(model, column) → description from the marts' dbt YAML files, when they exist."""
    out: dict[tuple[str, str], str] = {}
    folder = DBT_PROJECT_DIR / "models" / "marts"
    if not folder.exists():
        return out
    try:
        import yaml
    except ImportError:
        return out
    for path in sorted(folder.glob("*.yml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        for model in doc.get("models", []) or []:
            for col in model.get("columns", []) or []:
                if col.get("name") and col.get("description"):
                    out[(model["name"], col["name"])] = " ".join(str(col["description"]).split())
            if model.get("name") and model.get("description"):
                out[(model["name"], "")] = " ".join(str(model["description"]).split())
    return out


MOIS_NOTE = ("Type DATE (2024-01-01 pour janvier 2024) ; dans l'open data, le même mois est un texte AAAA-MM "
             "(2024-01) : strftime(mois, '%Y-%m') donne cette forme.")

# mart → its name in the analyst files (descriptions taken from the YAML name the marts)
FILE_NAME = {"indicateurs": "indicateurs", "dim_indicateurs": "definitions_indicateurs",
             "dim_territoires": "territoires", "dim_territoires_appartenance": "appartenance_territoires",
             "fct_livraisons": "livraisons", "fct_livraisons_manquantes": "livraisons_manquantes",
             "fct_quarantaine_motifs": "quarantaine_motifs", "fct_liaison": "liaison",
             "fct_referentiel_bassins": "referentiel_bassins", "fct_personnes_mois": "personnes_mois"}
_MART_NAME = re.compile(r"\b(?:marts\.)?(" + "|".join(sorted(FILE_NAME, key=len, reverse=True)) + r")\b")


def in_file_names(text: str) -> str:
    """`text` with each mart named as its table in the analyst files (`marts.indicateurs` →
    `indicateurs`, `dim_indicateurs.regle_maturite` → `definitions_indicateurs.regle_maturite`)."""
    return _MART_NAME.sub(lambda m: FILE_NAME[m.group(1)], text)


def describe_column(table: str, column: str) -> str:
    text = _describe_column(table, column)
    if column == "mois":
        text = f"{text.rstrip('.')}. {MOIS_NOTE}"
    return text


def _describe_column(table: str, column: str) -> str:
    if (table, column) in SPECIFIC:
        return SPECIFIC[(table, column)]
    mart = SOURCE_MART.get(table)
    yaml_text = yaml_descriptions().get((mart, column)) if mart else None
    if yaml_text:
        return in_file_names(yaml_text)
    if column in GENERIC:
        return GENERIC[column]
    return f"Colonne {column} (copiée de l'entrepôt du socle)."


def describe_table(table: str) -> tuple[str, str]:
    return TABLES.get(table, ("table", f"Table {table}."))
