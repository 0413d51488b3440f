"""Targets on the cards: the target line in words (dashboards/cibles.py)."""

from __future__ import annotations

from dashboards import cibles

NB = "\u00a0"


def test_target_line_says_gap_and_met_in_words():
    assert cibles.texte(0.118, "provisoire", 1.0, "minimum", "taux") == (
        f"Cible : 100{NB}% — écart : \u221288,2{NB}points, non atteinte")
    assert cibles.texte(1.0, "definitif", 1.0, "minimum", "taux") == (
        f"Cible : 100{NB}% — écart : 0,0{NB}points, atteinte")
    assert cibles.texte(25.5, "definitif", 30.0, "maximum", "delai_moyen") == (
        f"Cible : au plus 30{NB}j — écart : \u22124,5{NB}jours, atteinte")
    assert cibles.texte(1250.0, "definitif", 1200.0, "maximum", "effectif") == (
        f"Cible : au plus 1{NB}200 — écart : +50, non atteinte")
    assert cibles.texte(0.875, "definitif", 0.9, "minimum", "taux") == (
        f"Cible : 90{NB}% — écart : \u22122,5{NB}points, non atteinte")
    assert cibles.valeur_cible(0.925, "taux") == f"92,5{NB}%"


def test_no_gap_for_a_masked_or_missing_figure():
    assert cibles.texte(None, "secret", 1.0, "minimum", "taux") == (
        f"Cible : 100{NB}% — écart non publiable (secret statistique)")
    assert cibles.texte(None, "provisoire", 1.0, "minimum", "taux") == (
        f"Cible : 100{NB}% — écart non calculable (chiffre non disponible)")
