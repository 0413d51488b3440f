"""Columns that let a user take the open data as it is (issue #20): the parents of each territory
(a bassin spanning départements says so) and why a value is empty, in the CSV, the Parquet file
and the Table Schema."""

from __future__ import annotations

import json

import polars as pl

from publication.table import COLUMNS, CONTRACT_COLUMNS

PARENTS = ["code_departement", "code_region", "departements_bassin", "regions_bassin"]


def _parents(table: pl.DataFrame) -> dict[str, tuple]:
    rows = table.filter(pl.col("indicateur") == "beneficiaires_sdd", pl.col("mois") == "2024-01")
    return {r["code_territoire"]: tuple(r[c] for c in PARENTS) for r in rows.iter_rows(named=True)}


def test_contract_columns_first_then_the_new_ones():
    assert COLUMNS[:12] == CONTRACT_COLUMNS == [
        "indicateur", "libelle_indicateur", "niveau", "code_territoire", "libelle_territoire", "mois",
        "ventilation", "modalite", "valeur", "numerateur", "denominateur", "statut"]
    assert COLUMNS[12:] == ["motif_valeur_vide", *PARENTS]


def test_parent_codes_of_every_territory(published):
    _, folder = published
    table = pl.read_csv(folder / "indicateurs.csv", infer_schema=False)
    assert _parents(table) == {
        "FR": (None, None, None, None),
        "53": (None, "53", None, None), "93": (None, "93", None, None),
        "35": ("35", "53", None, None), "56": ("56", "53", None, None),
        "13": ("13", "93", None, None), "84": ("84", "93", None, None),
        "B35": ("35", "53", "35", "53"), "B13": ("13", "93", "13", "93"), "B84": ("84", "93", "84", "93"),
        # BX spans départements 56 and 13, in two régions: no single parent, the lists say so
        "BX": (None, None, "13|56", "53|93"),
    }
    parquet = pl.read_parquet(folder / "indicateurs.parquet")
    assert _parents(parquet) == _parents(table)
    # aggregating the départements of région 53 needs no other file
    deps = table.filter(pl.col("indicateur") == "beneficiaires_sdd", pl.col("mois") == "2024-02",
                        pl.col("niveau") == "departement", pl.col("code_region") == "53")
    assert deps["valeur"].cast(pl.Int64).sum() == 130  # 35: 130, 56: 0 = région 53's 130


def test_why_a_value_is_empty(published):
    _, folder = published
    table = pl.read_csv(folder / "indicateurs.csv", infer_schema=False)
    reasons = table.group_by("motif_valeur_vide").len().sort("motif_valeur_vide", nulls_last=True)
    # 15 secret cells; taux and délai of 56 in 2024-01 have an empty population (denominator 0)
    assert reasons.rows() == [("sans_objet", 2), ("secret", 15), (None, 49)]
    sans_objet = table.filter(pl.col("motif_valeur_vide") == "sans_objet")
    assert sorted(sans_objet.select("indicateur", "code_territoire", "mois", "denominateur").rows()) == [
        ("delai_orientation_moyen_j", "56", "2024-01", "0"), ("taux_orientation_15j", "56", "2024-01", "0")]
    assert table.filter(pl.col("motif_valeur_vide").is_null(), pl.col("valeur").is_null()).is_empty()
    assert table.filter(pl.col("statut") == "secret")["motif_valeur_vide"].unique().to_list() == ["secret"]


def test_not_available_when_not_computed():
    from datetime import date

    from publication.table import published_table

    dim = pl.DataFrame({"indicateur": ["beneficiaires_sdd"], "ordre": [1], "libelle": ["Bénéficiaires"],
                        "type_indicateur": ["effectif"], "decimales": [0]})
    terr = pl.DataFrame({"niveau": ["national"], "code_territoire": ["FR"], "libelle_territoire": ["France"]})
    figures = pl.DataFrame({"indicateur": ["beneficiaires_sdd"] * 2, "niveau": ["national"] * 2,
                            "code_territoire": ["FR"] * 2, "mois": [date(2024, 5, 1), date(2024, 6, 1)],
                            "ventilation": ["ensemble"] * 2, "modalite": ["ensemble"] * 2,
                            "numerateur": [None, 42], "denominateur": [None, None], "valeur": [None, 42.0],
                            "statut": ["provisoire", "definitif"]},
                           schema_overrides={"numerateur": pl.Int64, "denominateur": pl.Int64})
    table = published_table(figures, dim, terr, threshold=0, masker=lambda df, _t, _s: df)
    assert table.select("mois", "valeur", "motif_valeur_vide", *PARENTS).rows() == [
        ("2024-05", None, "non_disponible", None, None, None, None),
        ("2024-06", 42.0, None, None, None, None, None)]


def test_schema_of_the_new_columns(published):
    _, folder = published
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"][:2]:
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        assert [f["name"] for f in resource["schema"]["fields"]] == COLUMNS
        assert fields["motif_valeur_vide"]["constraints"] == {"enum": ["secret", "sans_objet", "non_disponible"]}
        assert fields["code_departement"]["constraints"] == {"enum": ["13", "35", "56", "84"]}
        assert fields["code_region"]["constraints"] == {"enum": ["53", "93"]}
        assert fields["departements_bassin"]["constraints"]["pattern"] == (
            r"^(?:[0-9]{2}|2A|2B|97[0-9])(?:\|(?:[0-9]{2}|2A|2B|97[0-9]))*$")
        assert all(fields[c]["type"] == "string" and fields[c]["description"] for c in ["motif_valeur_vide", *PARENTS])
    readme = (folder / "README.md").read_text(encoding="utf-8")
    [row] = [line for line in readme.splitlines() if line.startswith("| `departements_bassin` |")]
    assert row.startswith("| `departements_bassin` | Bassins seulement : tous les départements")
    assert "séparés par « \\| » (par exemple 13\\|84 pour" in row
    assert row.replace("\\|", "").count("|") == 3  # one row of two cells: no `|` left unescaped
    assert "Bassins qui s'étendent sur plusieurs départements dans cette publication : 1." in readme
    assert "`sans_objet` (aucune personne dans la population de référence" in readme
