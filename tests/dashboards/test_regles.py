"""Quarantine rule codes as French sentences (dashboards/regles.py)."""

from __future__ import annotations

from dashboards import regles


def test_rule_codes_become_french_sentences():
    assert regles.phrase("commune_inconnue", "code_commune") == (
        "La commune (« code_commune ») est inconnue du Code officiel géographique.")
    assert regles.phrase("cle_dupliquee", "id_rsa,date_reception_notification") == (
        "La même clé (« id_rsa,date_reception_notification ») figure sur plusieurs lignes.")
    assert regles.phrase("valeur_obligatoire_vide", "date_orientation") == (
        "La colonne « date_orientation », obligatoire, est vide.")
    assert regles.phrase("nombre_de_champs", None) == "La ligne n'a pas le nombre de champs attendu."


def test_without_column_and_unknown_code():
    assert regles.phrase("cle_dupliquee", None) == "La même clé figure sur plusieurs lignes."
    assert regles.phrase("valeur_hors_liste", None) == "La valeur d'une colonne n'est pas dans la liste des valeurs admises."
    assert regles.phrase("valeur_obligatoire_vide", None) == "Une colonne obligatoire est vide."
    assert regles.phrase("regle_nouvelle", "x") == "Règle « regle_nouvelle » (sans traduction), colonne « x »."
    assert regles.phrase(None, None) == "Motif non précisé."
