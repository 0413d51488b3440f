"""French formats, and the rule that a masked cell never shows a number."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dashboards import formatting as fmt

NB = "\u00a0"


def test_numbers_in_french():
    assert fmt.nombre(1234567) == f"1{NB}234{NB}567"
    assert fmt.nombre(12.345, 1) == "12,3"
    # ties as the open data rounds them (socle.rounding): 8.25 days is « 8,3 » on screen and 8.3 in the CSV
    assert (fmt.nombre(8.25, 1), fmt.nombre(10.25, 1), fmt.nombre(2.5), fmt.nombre(-0.04, 1, signe=True)) == (
        "8,3", "10,3", "3", "+0,0")
    assert fmt.nombre(-1500, 0, signe=True) == f"\u22121{NB}500"
    assert fmt.nombre(3, 0, signe=True) == "+3"
    assert fmt.nombre(None) == "—"


@pytest.mark.parametrize(("value", "kind", "shown"), [
    (12345.0, "effectif", f"12{NB}345"),
    (0.4567, "taux", f"45,7{NB}%"),
    (23.04, "delai_moyen", f"23,0{NB}j"),
    (0.0, "effectif", "0"),
])
def test_values_by_kind(value, kind, shown):
    assert fmt.valeur(value, kind) == shown


def test_secret_cells_never_show_a_number():
    for kind in ("effectif", "taux", "delai_median"):
        # even if a value leaked into a masked row, the cell shows « secret »
        assert fmt.cellule(7.0, fmt.SECRET, kind) == "secret"
        assert not re.search(r"\d", fmt.cellule(0.5, fmt.SECRET, kind))
    assert fmt.cellule(10.0, fmt.PROVISOIRE, "effectif") == f"10{NB}(p)"
    assert fmt.cellule(None, fmt.DEFINITIF, "taux", denominateur=0) == "sans objet"
    assert fmt.cellule(None, fmt.PROVISOIRE, "effectif") == "non disponible"


def test_changes():
    assert fmt.evolution(0.50, 0.45, "taux") == f"+5,0{NB}pt"
    assert fmt.evolution(110.0, 100.0, "effectif") == f"+10 (+10,0{NB}%)"
    assert fmt.evolution(20.0, 25.5, "delai_moyen") == f"\u22125,5{NB}j"
    assert fmt.evolution(5.0, 5.0, "effectif") == "stable"
    assert fmt.evolution(5.0, None, "effectif") is None


def test_months_and_rounding():
    assert fmt.mois_long(date(2024, 2, 1)) == "février 2024"
    assert fmt.mois_court(date(2024, 2, 1)) == "2024-02"
    assert fmt.mois_decale(date(2024, 1, 1), -1) == date(2023, 12, 1)
    assert fmt.mois_decale(date(2024, 1, 1), -12) == date(2023, 1, 1)
    # the rounding of a published value lives in socle.rounding (tests/test_rounding.py)
    assert not hasattr(fmt, "arrondi_publication")
    assert fmt.typographie("« secret » : oui ; non") == f"«{NB}secret{NB}»{NB}: oui{NB}; non"
