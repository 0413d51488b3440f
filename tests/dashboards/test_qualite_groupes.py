"""Missing deliveries on the quality page: one vocabulary (jamais livré, en retard, manquant), grouped."""

from __future__ import annotations

from datetime import date

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
