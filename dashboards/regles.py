"""Quarantine rule codes (ingestion) as French sentences for the quality page.

The codes are those the ingestion writes into `marts.fct_quarantaine_motifs.regle`; `{colonne}` is
the column the rule looked at. A code not listed here is shown as such, said to be untranslated,
never dropped.
"""

from __future__ import annotations

PHRASES = {
    "valeur_obligatoire_vide": "La colonne « {colonne} », obligatoire, est vide.",
    "valeur_hors_liste": "La valeur de « {colonne} » n'est pas dans la liste des valeurs admises.",
    "nombre_illisible": "La valeur de « {colonne} » n'est pas un nombre lisible.",
    "date_illisible": "La valeur de « {colonne} » n'est pas une date lisible.",
    "booleen_illisible": "La valeur de « {colonne} » n'est pas lisible comme oui ou non.",
    "commune_inconnue": "La commune (« {colonne} ») est inconnue du Code officiel géographique.",
    "nir_invalide": "Le numéro d'inscription au répertoire (« {colonne} ») n'est pas valide.",
    "cle_dupliquee": "La même clé (« {colonne} ») figure sur plusieurs lignes.",
    "nombre_de_champs": "La ligne n'a pas le nombre de champs attendu.",
    "encodage_illisible": "La ligne n'est pas lisible dans l'encodage du fichier.",
    "date_orientation_avant_date_reception_notification":
        "La date d'orientation précède la date de réception de la notification.",
    "date_fin_avant_date_debut": "La date de fin précède la date de début.",
}


def phrase(regle: str | None, colonne: str | None) -> str:
    """The rule as a French sentence (the column named when the rule has one)."""
    if not regle:
        return "Motif non précisé."
    texte = PHRASES.get(regle)
    if texte is None:
        return f"Règle « {regle} » (sans traduction)" + (f", colonne « {colonne} »." if colonne else ".")
    if not colonne:  # the same sentence without naming the column
        for avec, sans in ((" (« {colonne} »)", ""), ("La colonne « {colonne} », obligatoire,", "Une colonne obligatoire"),
                           ("de « {colonne} »", "d'une colonne")):
            texte = texte.replace(avec, sans)
        return texte
    return texte.format(colonne=colonne)
