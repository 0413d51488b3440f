"""Analyst files: audiences, dictionary, manifest, read-only opening, no clear identifier anywhere."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from publication.dictionnaire import describe_column
from publication_fixture import MARKER

REGION_TERRITORIES = {
    "53": {("region", "53"), ("departement", "35"), ("departement", "56"), ("bassin", "B35"), ("bassin", "BX")},
    "93": {("region", "93"), ("departement", "13"), ("departement", "84"), ("bassin", "B13"), ("bassin", "B84"),
           ("bassin", "BX")},
}


def connect(path: Path):
    return duckdb.connect(str(path), read_only=True)


def objects(con) -> dict[str, str]:
    return dict(con.execute("select table_name, table_type from information_schema.tables").fetchall())


def test_files_and_names(analyst_files):
    settings, paths = analyst_files
    assert [p.name for p in paths] == ["national.duckdb", "53.duckdb", "93.duckdb"]
    assert sorted(p.name for p in settings.analysts.iterdir()) == ["53.duckdb", "93.duckdb", "national.duckdb"]
    with connect(paths[0]) as con:
        assert objects(con) == {
            "indicateurs": "BASE TABLE", "territoires": "BASE TABLE", "appartenance_territoires": "BASE TABLE",
            "definitions_indicateurs": "BASE TABLE", "livraisons": "BASE TABLE", "livraisons_manquantes": "BASE TABLE",
            "quarantaine_motifs": "BASE TABLE", "liaison": "BASE TABLE", "personnes_mois": "BASE TABLE",
            "manifeste_livraisons": "BASE TABLE", "manifeste": "BASE TABLE", "dictionnaire": "BASE TABLE",
            "indicateurs_lisibles": "VIEW", "indicateurs_dernier_mois": "VIEW", "livraisons_courantes": "VIEW"}
        assert con.execute("select count(*) from indicateurs").fetchone() == (66,)
        assert con.execute("select numerateur, statut from indicateurs where indicateur = 'beneficiaires_sdd' "
                           "and code_territoire = '56' and mois = '2024-01-01'").fetchone() == (5, "definitif")  # unmasked


@pytest.mark.parametrize("region", ["53", "93"])
def test_a_regional_file_holds_nothing_of_another_region(analyst_files, region):
    settings, _ = analyst_files
    with connect(settings.analysts / f"{region}.duckdb") as con:
        assert set(con.execute("select distinct niveau, code_territoire from indicateurs").fetchall()) == \
            REGION_TERRITORIES[region]
        assert set(con.execute("select niveau, code_territoire from territoires").fetchall()) == REGION_TERRITORIES[region]
        assert con.execute("select distinct code_region from appartenance_territoires").fetchall() == [(region,)]
        assert con.execute("select distinct code_region from personnes_mois").fetchall() == [(region,)]
        assert con.execute("select count(*) from personnes_mois").fetchone() == (2,)
        others = {"53": ["56", "35"], "93": ["13", "84"]}[{"53": "93", "93": "53"}[region]]
        for table in ("livraisons", "livraisons_manquantes", "quarantaine_motifs", "liaison", "manifeste_livraisons"):
            producers = {r[0] for r in con.execute(f"select distinct producteur from {table}").fetchall()}
            assert not producers & set(others), table
        assert con.execute("select chevauche_plusieurs_regions from territoires where code_territoire = 'BX'"
                           ).fetchone() == (True,)
        assert con.execute("select count(*) from indicateurs_dernier_mois where mois_texte = '2024-02'"
                           ).fetchone()[0] == 3 * len(REGION_TERRITORIES[region])


def test_dictionary_documents_every_column_in_french(analyst_files):
    _, paths = analyst_files
    for path in paths:
        with connect(path) as con:
            columns = set(con.execute("select table_name, column_name from information_schema.columns").fetchall())
            documented = set(con.execute("select nom_table, colonne from dictionnaire where colonne is not null"
                                         ).fetchall())
            assert columns == documented
            tables = {r[0] for r in con.execute("select nom_table from dictionnaire where colonne is null").fetchall()}
            assert tables == set(objects(con))
            assert con.execute("select count(*) from dictionnaire where description is null or description = ''"
                               ).fetchone() == (0,)
            assert con.execute("select description from dictionnaire where nom_table = 'territoires' "
                               "and colonne = 'chevauche_plusieurs_regions'").fetchone()[0].startswith(
                "Vrai pour un bassin qui s'étend sur plusieurs régions")
            assert con.execute("select description from dictionnaire where nom_table = 'personnes_mois' "
                               "and colonne = 'tranche_age'").fetchone()[0] == describe_column("personnes_mois",
                                                                                                "tranche_age")


def test_manifest_table(analyst_files):
    _, paths = analyst_files
    with connect(paths[1]) as con:
        manifest = dict(con.execute("select cle, valeur from manifeste").fetchall())
        assert manifest["audience"] == "DREETS de la région 53"
        assert manifest["personnes_mois"] == "copié ; colonnes retirées : nir"
        assert len(manifest["instantane_sha256"]) == 64 and "seuil gouverné : 11" in manifest["seuil_secret"]
        assert con.execute("select id_livraison, sha256 from manifeste_livraisons where producteur = 'caf' "
                           "order by 1").fetchall()[1] == ("L-rsa-2024-01", "b" * 64)


def test_no_clear_identifier_anywhere(analyst_files, published):
    """The fixture plants a clear identifier (column `nir` of fct_personnes_mois); it reaches no file."""
    settings, paths = analyst_files
    for path in paths:
        with connect(path) as con:
            assert con.execute("select count(*) from information_schema.columns where column_name in "
                               "('nir', 'code_commune', 'annee_naissance')").fetchone() == (0,)
            for table, column in con.execute("select table_name, column_name from information_schema.columns "
                                             "where data_type = 'VARCHAR'").fetchall():
                assert con.execute(f'select count(*) from "{table}" where "{column}" like ?',
                                   [f"%{MARKER}%"]).fetchone() == (0,), (path.name, table, column)
        assert MARKER.encode() not in path.read_bytes()
    _, folder = published
    for path in folder.rglob("*"):
        if path.is_file():
            assert MARKER.encode() not in path.read_bytes(), path


def test_rebuild_replaces_files_and_skips_absent_person_facts(snapshot):
    from publication import build_analyst_files

    first = build_analyst_files(snapshot)
    with connect(first[0]) as con:
        assert "personnes_mois" not in objects(con)
        assert dict(con.execute("select cle, valeur from manifeste").fetchall())["personnes_mois"] == \
            "absent de l'instantané"
    again = build_analyst_files(snapshot)
    assert again == first
    assert sorted(p.name for p in snapshot.analysts.iterdir()) == ["53.duckdb", "93.duckdb", "national.duckdb"]


def test_cli_analystes(snapshot, capsys):
    from publication.__main__ import main

    assert main(["analystes"]) == 0
    assert "Fichiers analystes : 3 fichiers" in capsys.readouterr().out
