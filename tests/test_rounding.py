"""One rounding of a published value (socle.rounding), the same in the open data and in the
dashboards' CSV downloads, ties included (10.25 → 10.3 at 1 decimal, 0.12345 → 0.1235 at 4)."""

from __future__ import annotations

import csv
import io

from datetime import date
from types import SimpleNamespace

import polars as pl
import pytest

from dashboards import exports
from publication.table import csv_table, published_table
from socle.rounding import DECIMALS_BY_KIND, indicator_decimals, round_half_up, round_half_up_text
from socle.settings import PROJECT_DIR

SEED = PROJECT_DIR / "dbt_project" / "seeds" / "parametres" / "indicateurs_definitions.csv"


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (10.25, 1, 10.3),          # Python's round(10.25, 1) gives 10.2
    (0.12345, 4, 0.1235),
    (1.005, 2, 1.01),          # polars' round gives 1.0
    (-10.25, 1, -10.3),        # ties away from zero
    (0.00005, 4, 0.0001),
    (12.345, 1, 12.3),
    (0.123456, 4, 0.1235),
    (1234.5, 0, 1235.0),
    (7, 0, 7.0),
    (None, 1, None),
    (float("nan"), 1, None),
])
def test_round_half_up(value, decimals, expected):
    assert round_half_up(value, decimals) == expected


def test_decimals_come_from_the_seed():
    with SEED.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    dim = pl.DataFrame({"indicateur": [r["indicateur"] for r in rows],
                        "type_indicateur": [r["type_indicateur"] for r in rows],
                        "decimales": [int(r["decimales"]) for r in rows]})
    assert indicator_decimals(dim) == {r["indicateur"]: int(r["decimales"]) for r in rows}
    # the fallback for a dimension without `decimales` agrees with the seed today
    assert indicator_decimals(dim.drop("decimales")) == indicator_decimals(dim)
    assert {r["type_indicateur"]: int(r["decimales"]) for r in rows} == DECIMALS_BY_KIND


DIM = pl.DataFrame({
    "indicateur": ["delai_orientation_moyen_j", "taux_orientation_15j", "beneficiaires_sdd"],
    "ordre": [1, 2, 3],
    "libelle": ["Délai moyen", "Part orientée en moins de 15 jours", "Bénéficiaires"],
    "libelle_court": ["Délai moyen", "Orientés < 15 j", "Bénéficiaires SDD"],
    "type_indicateur": ["delai_moyen", "taux", "effectif"],
    "decimales": [1, 4, 0],
})
TERRITOIRES = pl.DataFrame({"niveau": ["national"], "code_territoire": ["FR"], "libelle_territoire": ["France"],
                            "code_region": [None]}, schema_overrides={"code_region": pl.String})
FIGURES = pl.DataFrame({
    "indicateur": ["delai_orientation_moyen_j", "taux_orientation_15j", "beneficiaires_sdd"],
    "niveau": ["national"] * 3, "code_territoire": ["FR"] * 3, "mois": [date(2024, 5, 1)] * 3,
    "ventilation": ["ensemble"] * 3, "modalite": ["ensemble"] * 3,
    "numerateur": [None, 12345, 42], "denominateur": [20, 100000, None],
    "valeur": [10.25, 0.12345, 42.0], "statut": ["definitif"] * 3,
}, schema_overrides={"numerateur": pl.Int64, "denominateur": pl.Int64})
ATTENDU = {"delai_orientation_moyen_j": 10.3, "taux_orientation_15j": 0.1235, "beneficiaires_sdd": 42.0}


def test_open_data_rounds_ties_half_up():
    table = published_table(FIGURES, DIM, TERRITOIRES, threshold=0, masker=lambda df, _t, _s: df)
    assert dict(zip(table["indicateur"], table["valeur"])) == ATTENDU
    texts = csv_table(table, indicator_decimals(DIM))
    assert dict(zip(texts["indicateur"], texts["valeur"])) == {
        "delai_orientation_moyen_j": "10.3", "taux_orientation_15j": "0.1235", "beneficiaires_sdd": "42"}


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (10.25, 1, "10.3"),         # ties away from zero
    (0.12345, 4, "0.1235"),
    (1.005, 2, "1.01"),
    (2.5, 0, "3"),
    (0.5, 0, "1"),
    (2245.0, 0, "2245"),        # a count is an integer, never 2245.0
    (0.747, 4, "0.7470"),       # the decimals are always written
    (8, 1, "8.0"),
    (-10.25, 1, "-10.3"),
    (-0.00001, 2, "0.00"),      # no negative zero
    (0.00005, 4, "0.0001"),
    (None, 1, None),
    (float("nan"), 4, None),
])
def test_round_half_up_text(value, decimals, expected):
    assert round_half_up_text(value, decimals) == expected
    if expected is not None:
        assert float(expected) == round_half_up(value, decimals)


TEXTS = {"delai_orientation_moyen_j": "10.3", "taux_orientation_15j": "0.1235", "beneficiaires_sdd": "42"}


def test_dashboard_csv_writes_values_like_the_open_data():
    snap = SimpleNamespace(indicateurs=DIM, territoires=TERRITOIRES)
    block = exports.table(snap, "cartes", FIGURES.drop("ventilation", "modalite"))
    assert dict(zip(block["indicateur"], block["valeur"])) == TEXTS
    read = list(csv.DictReader(io.StringIO(exports.csv(block).decode("utf-8-sig"))))
    assert {r["indicateur"]: (r["valeur"], r["numerateur"], r["denominateur"]) for r in read} == {
        "delai_orientation_moyen_j": ("10.3", "", "20"), "taux_orientation_15j": ("0.1235", "12345", "100000"),
        "beneficiaires_sdd": ("42", "42", "")}
    open_data = csv_table(published_table(FIGURES, DIM, TERRITOIRES, threshold=0, masker=lambda df, _t, _s: df),
                          indicator_decimals(DIM))
    assert dict(zip(open_data["indicateur"], open_data["valeur"])) == TEXTS


def test_dashboard_csv_counts_are_integers_even_from_float_columns():
    """Issue #20: the dashboards' downloads wrote counts as 2245.0 (a float column)."""
    snap = SimpleNamespace(indicateurs=DIM, territoires=TERRITOIRES)
    figures = FIGURES.drop("ventilation", "modalite").with_columns(
        numerateur=pl.Series([None, 12345.0, 2245.0]), valeur=pl.Series([10.25, 0.12345, 2245.0]))
    text = exports.csv(exports.table(snap, "cartes", figures)).decode("utf-8-sig")
    assert "beneficiaires_sdd" in text and ".0," not in text
    [row] = [r for r in csv.DictReader(io.StringIO(text)) if r["indicateur"] == "beneficiaires_sdd"]
    assert (row["valeur"], row["numerateur"]) == ("2245", "2245")


def test_dashboard_csv_neutralises_labels_but_not_values():
    territoires = TERRITOIRES.with_columns(libelle_territoire=pl.lit('=HYPERLINK("http://x","clic")'))
    snap = SimpleNamespace(indicateurs=DIM.with_columns(libelle=pl.lit("@SUM(A1)")), territoires=territoires)
    figures = FIGURES.drop("ventilation", "modalite").with_columns(valeur=pl.Series([-10.25, 0.12345, 42.0]))
    rows = list(csv.DictReader(io.StringIO(exports.csv(exports.table(snap, "cartes", figures)).decode("utf-8-sig"))))
    assert {r["libelle_territoire"] for r in rows} == {"'=HYPERLINK(\"http://x\",\"clic\")"}
    assert {r["libelle_indicateur"] for r in rows} == {"'@SUM(A1)"}
    assert {r["indicateur"]: r["valeur"] for r in rows}["delai_orientation_moyen_j"] == "-10.3"  # a number, kept
