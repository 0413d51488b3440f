"""Missing deliveries on the quality page: one vocabulary (jamais livré, en retard, manquant), grouped."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from dashboards.ecrans import qualite


def test_situation_words():
    assert qualite.situation(None, 0, date(2024, 6, 1)) == "jamais livré"
    assert qualite.situation(date(2024, 4, 1), 0, date(2024, 6, 1)) == "en retard de 2 mois"
    assert qualite.situation(date(2024, 6, 1), 1, date(2024, 6, 1)) == "à jour, 1 mois manquant"
    assert qualite.situation(date(2024, 6, 1), 0, date(2024, 6, 1)) == "à jour"


def test_missing_files_grouped_real_producers_first():
    manq = pl.DataFrame({
        "producteur": ["35", "35", "ft", "29", "caf"],
        "type_fichier": ["orientations", "orientations", "inscriptions", "accompagnements", "rsa"],
        "mois": [date(2024, 6, 1), date(2024, 5, 1), date(2024, 6, 1), date(2024, 1, 1), date(2024, 6, 1)],
        "nb_livraisons_rejetees": [0, 1, 0, 1, 0],
        "situation": ["en retard", "en retard", "jamais livré", "manquant", "en retard"]})
    g = qualite.manquants_groupes(manq, {"35": "Ille-et-Vilaine", "29": "Finistère"})
    assert g.rows() == [
        ("jamais livré", "France Travail", "Inscriptions", "2024-06", 1, 0),
        ("en retard", "CAF/MSA", "RSA (fichier mensuel)", "2024-06", 1, 0),
        ("en retard", "Département 35 – Ille-et-Vilaine", "Orientations", "2024-05, 2024-06", 2, 1),
        ("manquant", "Département 29 – Finistère", "Accompagnements", "2024-01", 1, 1),
    ]


def test_departements_that_never_delivered_share_one_row_per_file_after_the_others():
    manq = pl.DataFrame({
        "producteur": ["35", "01", "01", "02", "02", "976", "976", "01"],
        "type_fichier": ["orientations", "orientations", "orientations", "orientations", "orientations",
                         "orientations", "orientations", "accompagnements"],
        "mois": [date(2024, 6, 1), date(2024, 5, 1), date(2024, 6, 1), date(2024, 5, 1), date(2024, 6, 1),
                 date(2024, 5, 1), date(2024, 6, 1), date(2024, 6, 1)],
        "nb_livraisons_rejetees": [0, 0, 0, 1, 0, 0, 0, 0],
        "situation": ["en retard", "jamais livré", "jamais livré", "jamais livré", "jamais livré", "jamais livré",
                      "jamais livré", "jamais livré"]})
    g = qualite.manquants_groupes(manq, {"35": "Ille-et-Vilaine"})
    assert g.rows() == [
        ("en retard", "Département 35 – Ille-et-Vilaine", "Orientations", "2024-06", 1, 0),
        ("jamais livré", "Départements sans aucune livraison (1) : 01", "Accompagnements", "2024-06", 1, 0),
        ("jamais livré", "Départements sans aucune livraison (3) : 01, 02, 976", "Orientations",
         "2024-05, 2024-06", 2, 1),
    ]
    livr = pl.DataFrame({"producteur": ["35"], "type_fichier": ["orientations"], "mois": [date(2024, 5, 1)],
                         "statut": ["acceptee"], "est_courante": [True],
                         "recu_le": [datetime(2024, 6, 3, 9, 0)]})
    cal = qualite.calendrier(livr, manq, {"35": "Ille-et-Vilaine"})
    assert cal.rows() == [
        ("Département 35 – Ille-et-Vilaine", "Orientations", "✓ reçu le 03/06/2024", "⚠ en retard"),
        ("Départements sans aucune livraison (1) : 01", "Accompagnements", "", "⚠ jamais livré"),
        ("Départements sans aucune livraison (3) : 01, 02, 976", "Orientations", "⚠ jamais livré", "⚠ jamais livré"),
    ]


def test_situation_table_groups_the_departements_that_never_delivered_and_counts_every_pair():
    from types import SimpleNamespace

    snap = SimpleNamespace(mois=[date(2024, 5, 1), date(2024, 6, 1)])
    etat = pl.DataFrame({
        "producteur": ["02", "35", "caf", "01"], "type_fichier": ["orientations"] * 2 + ["rsa", "orientations"],
        "dernier_mois": [None, date(2024, 6, 1), date(2024, 5, 1), None], "mois_manquants": [0, 0, 0, 0],
        "derniere_reception": [None, datetime(2024, 7, 2, 8, 0), datetime(2024, 6, 3, 8, 0), None],
        "mois_livres": [0, 6, 5, 0], "livraisons_rejetees": [0, 0, 0, 0], "lignes_quarantaine": [0, 0, 0, 0],
        "lignes_lues": [0, 100, 100, 0]})
    shown = qualite.etat_affiche(etat, snap, {"35": "Ille-et-Vilaine"})
    assert shown.select("Producteur", "Fichier", "Situation").rows() == [
        ("CAF/MSA", "RSA (fichier mensuel)", "en retard de 1 mois"),
        ("Département 35 – Ille-et-Vilaine", "Orientations", "à jour"),
        ("Départements sans aucune livraison (2) : 01, 02", "Orientations", "jamais livré"),
    ]
    assert qualite.situations(etat, snap) == ["jamais livré", "à jour", "en retard de 1 mois", "jamais livré"]
