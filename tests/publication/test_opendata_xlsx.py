"""indicateurs.xlsx (issue #20): the open-data table for spreadsheet users, one sheet per level,
text kept as text (codes, accents, no formula), numbers as numbers with their decimals."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from xml.etree import ElementTree

import polars as pl

from publication.table import COLUMNS, PARQUET_SCHEMA, published_table
from publication.xlsx import rows_xml, sheet_names, write_xlsx

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _sheets(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    return [s.get("name") for s in book.find("m:sheets", NS)]


def _read(path, sheet: str) -> pl.DataFrame:
    return pl.read_excel(path, sheet_name=sheet, engine="calamine", schema_overrides=PARQUET_SCHEMA)


def test_the_workbook_holds_the_published_table(published):
    _, folder = published
    path = folder / "indicateurs.xlsx"
    assert _sheets(path) == ["lisez-moi", "national", "region", "departement", "bassin"]
    parquet = pl.read_parquet(folder / "indicateurs.parquet")
    for niveau, n in (("national", 6), ("region", 12), ("departement", 24), ("bassin", 24)):
        sheet = _read(path, niveau)
        assert sheet.columns == COLUMNS and sheet.height == n
        assert sheet.equals(parquet.filter(pl.col("niveau") == niveau)), niveau
    lisez_moi = pl.read_excel(path, sheet_name="lisez-moi", engine="calamine", has_header=False)["column_0"]
    assert "Licence : Licence Ouverte / Open Licence version 2.0 (etalab-2.0) — " \
           "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" in lisez_moi.to_list()
    assert "Producteur : socle — réseau France Travail (DGEFP)" in lisez_moi.to_list()


def test_the_workbook_is_in_the_package_with_its_checksum(published):
    from socle.files import sha256_file

    _, folder = published
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    [resource] = [r for r in package["resources"] if r["name"] == "indicateurs_xlsx"]
    assert resource["type"] == "file" and resource["path"] == "indicateurs.xlsx"
    assert resource["bytes"] == (folder / "indicateurs.xlsx").stat().st_size
    assert resource["hash"] == "sha256:" + sha256_file(folder / "indicateurs.xlsx")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert {f["nom"]: f["sha256"] for f in manifest["fichiers"]}["indicateurs.xlsx"] == sha256_file(
        folder / "indicateurs.xlsx")
    # the CSV stays UTF-8 without a byte-order mark (Etalab's guidance)
    assert not (folder / "indicateurs.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_values_keep_their_decimals_in_the_cell_format(published):
    _, folder = published
    with zipfile.ZipFile(folder / "indicateurs.xlsx") as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet2.xml"))  # national
    codes = {f.get("numFmtId"): f.get("formatCode") for f in styles.find("m:numFmts", NS)}
    codes["1"] = "0"  # built-in
    xfs = [codes.get(x.get("numFmtId")) for x in styles.find("m:cellXfs", NS)]
    rows = sheet.find("m:sheetData", NS)
    formats = {}
    for row in list(rows)[1:]:
        cells = {c.get("r").rstrip("0123456789"): c for c in row}
        indicateur = cells["A"].find("m:is/m:t", NS).text
        if "I" in cells:
            formats.setdefault(indicateur, set()).add(xfs[int(cells["I"].get("s"))])
        assert cells["D"].get("t") == "inlineStr"  # code_territoire is text
    assert formats == {"beneficiaires_sdd": {"0"}, "taux_orientation_15j": {"0.0000"},
                       "delai_orientation_moyen_j": {"0.0"}}


def test_rows_xml_exact():
    frame = pl.DataFrame([("taux_x", "Part d'été", "departement", "01", "'=HYPERLINK(\"a\")&<b>", "2024-01",
                           "ensemble", "ensemble", 0.6692, 89, 133, "definitif", None, "01", "84", None, None)],
                         schema=PARQUET_SCHEMA, orient="row")
    xml = rows_xml(frame, pl.lit("7"), 3, first_row=5)
    t = '" t="inlineStr"><is><t xml:space="preserve">'
    assert xml == (
        f'<row r="5"><c r="A5{t}taux_x</t></is></c><c r="B5{t}Part d\'été</t></is></c>'
        f'<c r="C5{t}departement</t></is></c><c r="D5{t}01</t></is></c>'
        f'<c r="E5{t}\'=HYPERLINK("a")&amp;&lt;b&gt;</t></is></c><c r="F5{t}2024-01</t></is></c>'
        f'<c r="G5{t}ensemble</t></is></c><c r="H5{t}ensemble</t></is></c>'
        '<c r="I5" s="7"><v>0.6692</v></c><c r="J5" s="3"><v>89</v></c><c r="K5" s="3"><v>133</v></c>'
        f'<c r="L5{t}definitif</t></is></c><c r="N5{t}01</t></is></c><c r="O5{t}84</t></is></c></row>')


def test_a_level_above_the_sheet_limit_continues_on_numbered_sheets(tmp_path):
    assert sheet_names("bassin", 5, max_rows=2) == ["bassin", "bassin (2)", "bassin (3)"]
    assert sheet_names("bassin", 1_048_575) == ["bassin"]
    assert sheet_names("bassin", 1_048_576) == ["bassin", "bassin (2)"]
    dim = pl.DataFrame({"indicateur": ["n"], "ordre": [1], "libelle": ["Effectif"], "type_indicateur": ["effectif"],
                        "decimales": [0]})
    codes = [f"B{i}" for i in range(5)]
    terr = pl.DataFrame({"niveau": ["bassin"] * 5, "code_territoire": codes, "libelle_territoire": codes})
    figures = pl.DataFrame({"indicateur": ["n"] * 5, "niveau": ["bassin"] * 5, "code_territoire": codes,
                            "mois": [date(2024, 1, 1)] * 5, "ventilation": ["ensemble"] * 5,
                            "modalite": ["ensemble"] * 5, "numerateur": [10, 20, 30, 40, 50],
                            "denominateur": [None] * 5, "valeur": [10.0, 20.0, 30.0, 40.0, 50.0],
                            "statut": ["definitif"] * 5}, schema_overrides={"denominateur": pl.Int64})
    table = published_table(figures, dim, terr, threshold=0, masker=lambda df, _t, _s: df)
    path = write_xlsx(tmp_path / "t.xlsx", table, {"n": 0}, day="2024-03-05", producer="p", contact=None, max_rows=2)
    assert _sheets(path) == ["lisez-moi", "bassin", "bassin (2)", "bassin (3)"]
    got = [_read(path, s)["code_territoire"].to_list() for s in ("bassin", "bassin (2)", "bassin (3)")]
    assert got == [["B0", "B1"], ["B2", "B3"], ["B4"]]
    assert pl.concat([_read(path, s) for s in ("bassin", "bassin (2)", "bassin (3)")]).equals(table)


def test_the_workbook_says_when_arrondissements_stand_in_for_bassins(tmp_path):
    """territories.md: every file that shows bassins says so when arrondissements stand in for them."""
    from publication.readme import substitute_note

    terr = pl.DataFrame({"niveau": ["departement", "bassin", "bassin"], "code_territoire": ["35", "351", "352"],
                         "libelle_territoire": ["Ille-et-Vilaine", "Fougères (arrondissement)",
                                                "Redon (arrondissement)"],
                         "est_substitut_arrondissement": [False, True, True]})
    note = substitute_note(terr)
    assert note == ("faute de référentiel de bassins chargé, 2 bassins sont en réalité des arrondissements du COG, "
                    "qui en tiennent lieu (libellé suivi de « (arrondissement) »).")
    assert substitute_note(terr.with_columns(est_substitut_arrondissement=pl.lit(False))) is None
    table = pl.DataFrame(schema=PARQUET_SCHEMA)
    path = write_xlsx(tmp_path / "t.xlsx", table, {}, day="2024-03-05", producer="p", contact=None,
                      notes=[f"Attention : {note}"])
    assert _sheets(path) == ["lisez-moi"]
    lines = pl.read_excel(path, sheet_name="lisez-moi", engine="calamine", has_header=False)["column_0"].to_list()
    assert lines[-1] == f"Attention : {note}"
