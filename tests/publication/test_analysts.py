"""Analyst files: audiences, dictionary, manifest, read-only opening, no clear identifier anywhere."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from publication.dictionnaire import TABLES, describe_column
from publication_fixture import MARKER
from socle.settings import DBT_PROJECT_DIR

NATIONAL_OBJECTS = {
    "indicateurs", "territoires", "appartenance_territoires", "definitions_indicateurs", "livraisons",
    "livraisons_manquantes", "quarantaine_motifs", "liaison", "personnes_mois", "manifeste_livraisons", "manifeste",
    "dictionnaire", "indicateurs_lisibles", "indicateurs_dernier_mois", "livraisons_courantes"}
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
    assert sorted(p.name for p in settings.analysts.iterdir()) == [
        "53.duckdb", "53_parquet", "93.duckdb", "93_parquet", "README.md", "national.duckdb", "national_parquet"]
    with connect(paths[1]) as con:
        assert set(objects(con)) == NATIONAL_OBJECTS | {"comparaison"}
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
    from publication_fixture import make_snapshot

    first = build_analyst_files(snapshot)
    with connect(first[0]) as con:
        assert "personnes_mois" not in objects(con)
        assert dict(con.execute("select cle, valeur from manifeste").fetchall())["personnes_mois"] == \
            "absent de l'instantané"
    assert not (snapshot.analysts / "53_parquet" / "personnes_mois.parquet").exists()
    make_snapshot(snapshot, personnes=True)
    again = build_analyst_files(snapshot)
    assert again == first
    assert pl.read_parquet(snapshot.analysts / "53_parquet" / "personnes_mois.parquet").height == 2
    make_snapshot(snapshot)
    build_analyst_files(snapshot)  # the Parquet folders are replaced whole: no file of the last build stays
    assert not (snapshot.analysts / "53_parquet" / "personnes_mois.parquet").exists()
    assert sorted(p.name for p in snapshot.analysts.iterdir()) == [
        "53.duckdb", "53_parquet", "93.duckdb", "93_parquet", "README.md", "national.duckdb", "national_parquet"]


def test_cli_analystes(snapshot, capsys):
    from publication.__main__ import main

    assert main(["analystes"]) == 0
    assert "Fichiers analystes : 3 fichiers" in capsys.readouterr().out


def test_a_regional_file_compares_with_the_published_national_and_regional_figures(analyst_files, published):
    """`comparaison`: France and every région exactly as the open data publishes them (masked)."""
    settings, _ = analyst_files
    with connect(settings.analysts / "93.duckdb") as con:
        assert con.execute("select count(*), count(distinct code_territoire) from comparaison").fetchone() == (18, 3)
        assert set(con.execute("select distinct niveau, code_territoire from comparaison").fetchall()) == {
            ("national", "FR"), ("region", "53"), ("region", "93")}
        get = ("select numerateur, denominateur, valeur, statut from comparaison where indicateur = ? "
               "and code_territoire = ? and mois = ?")
        assert con.execute(get, ["beneficiaires_sdd", "FR", date(2024, 1, 1)]).fetchone() == (465, None, 465.0,
                                                                                            "definitif")
        # région 53's mean delay of 2024-01 rests on 4 persons: secret in the open data, secret here
        assert con.execute(get, ["delai_orientation_moyen_j", "53", date(2024, 1, 1)]).fetchone() == (
            None, None, None, "secret")
        # its own région stays unmasked in `indicateurs`, and `mois` is a DATE in both tables
        assert con.execute("select numerateur, statut from indicateurs where indicateur = 'taux_orientation_15j' "
                           "and code_territoire = '93' and mois = date '2024-01-01'").fetchone() == (50, "definitif")
        assert con.execute("select distinct data_type from information_schema.columns where column_name = 'mois'"
                           ).fetchall() == [("DATE",)]
        cells = con.execute("select indicateur, code_territoire, strftime(mois, '%Y-%m'), statut, numerateur, "
                            "denominateur from comparaison").fetchall()
    with connect(settings.analysts / "national.duckdb") as con:
        assert "comparaison" not in objects(con)
    _, folder = published
    opendata = pl.read_parquet(folder / "indicateurs.parquet").filter(pl.col("niveau").is_in(["national", "region"]))
    assert sorted(cells, key=str) == sorted(opendata.select("indicateur", "code_territoire", "mois", "statut",
                                                            "numerateur", "denominateur").rows(), key=str)
    assert [c for c in cells if c[3] == "secret"] and all(c[4] is None and c[5] is None for c in cells
                                                          if c[3] == "secret")


def _table_names() -> set[str]:
    """Every name a description could give to a table: the dbt models and the analyst files' objects."""
    models = {p.stem for p in (DBT_PROJECT_DIR / "models").rglob("*.sql")}
    return models | set(TABLES)


def test_the_dictionary_names_only_the_tables_the_file_holds(analyst_files):
    """Every table name in a description is an object of the file (the mart `dim_indicateurs` is
    `definitions_indicateurs` there), and every name of the dictionary can be read."""
    _, paths = analyst_files
    known = _table_names()
    assert {"dim_indicateurs", "indicateurs", "definitions_indicateurs"} <= known
    for path in paths:
        with connect(path) as con:
            held = set(objects(con))
            texts = [r[0] for r in con.execute("select description from dictionnaire").fetchall()]
            named = {word for text in texts for word in re.findall(r"\b[a-z][a-z0-9_]*\b", text)} & known
            assert named <= held, (path.name, named - held)
            assert not [t for t in texts if re.search(r"\bmarts\.", t)], path.name
            assert "definitions_indicateurs" in named
            for name in {r[0] for r in con.execute("select nom_table from dictionnaire").fetchall()}:
                con.execute(f'select count(*) from "{name}"').fetchall()
            assert "Licence Ouverte 2.0 (etalab-2.0)" in con.execute(
                "select description from dictionnaire where nom_table = 'dictionnaire' and colonne is null"
            ).fetchone()[0]
            mois = con.execute("select description from dictionnaire where colonne = 'mois'").fetchall()
            assert mois and all("Type DATE" in d and "AAAA-MM" in d for (d,) in mois)


def test_parquet_beside_each_file(analyst_files):
    """Each file's tables and views, the same rows, as Parquet in `<nom>_parquet/`; `mois` a date."""
    settings, paths = analyst_files
    for path in paths:
        folder = settings.analysts / (path.name.removesuffix(".duckdb") + "_parquet")
        with connect(path) as con:
            names = set(objects(con))
            assert {p.name for p in folder.iterdir()} == {f"{n}.parquet" for n in names}
            for name in names:
                assert pl.read_parquet(folder / f"{name}.parquet").height == \
                    con.execute(f'select count(*) from "{name}"').fetchone()[0], (path.name, name)
    national = pl.read_parquet(settings.analysts / "national_parquet" / "indicateurs.parquet")
    assert national.height == 66 and national.schema["mois"] == pl.Date
    row = national.filter(pl.col("code_territoire") == "56", pl.col("mois") == date(2024, 1, 1),
                          pl.col("indicateur") == "beneficiaires_sdd")
    assert row.select("numerateur", "statut").rows() == [(5, "definitif")]


def test_readme_of_the_analyst_files(analyst_files):
    from publication.analysts_format import CLI_VERSION, OLDEST_DUCKDB, STORAGE_VERSION

    settings, paths = analyst_files
    text = (settings.analysts / "README.md").read_text(encoding="utf-8")
    for expected in (f"version de stockage `{STORAGE_VERSION}`", f"DuckDB {OLDEST_DUCKDB} ou plus récent",
                     f"`duckdb-cli`, version {CLI_VERSION}", "duckdb -readonly var/analystes/53.duckdb",
                     "ne sont pas masqués", "pseudonymisées", "résidant dans la région du fichier",
                     "Secret primaire", "entre 1 et 10 (seuil de 11)", "Secret secondaire",
                     "Aucune ligne individuelle", "Licence Ouverte 2.0 (etalab-2.0)", "texte `AAAA-MM`",
                     "de type **DATE**", "`53_parquet/`", "`comparaison` (table)"):
        assert expected in text, expected
    for path in paths:  # every object of every file is described
        with connect(path) as con:
            for name in objects(con):
                assert f"- `{name}` (" in text, name
    assert "- `comparaison` (table) :" in text and "*(fichiers régionaux seulement)*" in text
    assert "dim_" not in text and "marts." not in text
