"""Observation windows (dashboards/fenetres.py) and the charts that leave running windows out."""

from __future__ import annotations

from datetime import date

import polars as pl

from dashboards import fenetres, graphiques


def test_window_of_return_to_employment_is_six_months_after_the_cohort():
    assert fenetres.fenetres() == {"taux_retour_emploi_6m": 6, "taux_retour_emploi_durable_6m": 6}
    dernier = date(2024, 6, 1)
    assert fenetres.attendu_en("taux_retour_emploi_6m", date(2023, 12, 1), dernier) is None
    assert fenetres.attendu_en("taux_retour_emploi_6m", date(2024, 1, 1), dernier) == date(2024, 7, 1)
    assert fenetres.attendu_en("taux_retour_emploi_durable_6m", date(2024, 6, 1), dernier) == date(2024, 12, 1)
    assert fenetres.attendu_en("taux_orientation_15j", date(2024, 6, 1), dernier) is None
    assert fenetres.texte(date(2024, 12, 1)) == "fenêtre d'observation en cours — résultat attendu en décembre 2024"


def test_chart_leaves_out_the_months_whose_window_runs():
    serie = pl.DataFrame({
        "indicateur": ["taux_retour_emploi_6m"] * 3, "mois": [date(2023, 12, 1), date(2024, 1, 1), date(2024, 2, 1)],
        "valeur": [0.25, 0.1, 0.0], "numerateur": [5, 2, 0], "denominateur": [20, 20, 19],
        "statut": ["provisoire"] * 3, "role": ["territoire"] * 3, "libelle_territoire": ["Ille-et-Vilaine"] * 3})
    serie = fenetres.colonne(serie, date(2024, 6, 1))
    assert serie["attendu_en"].to_list() == [None, date(2024, 7, 1), date(2024, 8, 1)]
    rows = graphiques.donnees(serie, "taux")
    assert [(r["mois"], r["y"]) for r in rows] == [("2023-12-01", 25.0)]
    assert graphiques.texte_alternatif(serie, "Retour", "taux", "Ille-et-Vilaine") == (
        "Retour, Ille-et-Vilaine : 25,0\u00a0% en décembre 2023, 25,0\u00a0% en décembre 2023.")
