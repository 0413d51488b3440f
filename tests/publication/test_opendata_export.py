"""The open-data export on the hand-made snapshot: exact rows, rounding, masking, files, pointer."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl

from publication import export_opendata
from publication.table import COLUMNS, PARQUET_SCHEMA
from publication_fixture import indicateurs_frame, make_snapshot

DAY = date(2024, 3, 5)

SECRETS = {
    # 56 = 5; 35 masked with it (lone under 53); B35 too (35 = B35, the only bassin of 35); then
    # B35 is lone among the bassins of FR: BX (not given away by any other relation) with it
    ("beneficiaires_sdd", "2024-01"): {"35", "56", "B35", "BX"},
    # numerators 6 in 35, 53 and B35; 53 lone under FR: FR itself (93 = 13 + 84 is given away);
    # B35 lone among the bassins: BX and B13 (the smallest bassins not given away)
    ("taux_orientation_15j", "2024-01"): {"FR", "53", "35", "B35", "BX", "B13"},
    ("delai_orientation_moyen_j", "2024-01"): {"FR", "53", "35", "B35", "BX"},  # denominators of 4
}


def cell(table: pl.DataFrame, indicateur: str, code: str, mois: str) -> dict:
    rows = table.filter((pl.col("indicateur") == indicateur) & (pl.col("code_territoire") == code)
                        & (pl.col("mois") == mois)).to_dicts()
    assert len(rows) == 1
    return rows[0]


def test_folder_layout_and_latest(published):
    snapshot, published = published
    root = snapshot.opendata
    assert published == root / "2024-03-05-01"
    assert (root / "latest").is_symlink() and (root / "latest").readlink() == Path("2024-03-05-01")
    assert sorted(p.name for p in published.iterdir()) == [
        "README.md", "cibles.csv", "datapackage.json", "indicateurs.csv", "indicateurs.parquet",
        "indicateurs.xlsx", "indicateurs_annuels.csv", "indicateurs_annuels.parquet", "manifest.json",
        "revisions.csv", "validation"]
    assert sorted(p.name for p in (published / "validation").iterdir()) == [
        "attaque.json", "controles.json", "frictionless.json", "great_expectations.json"]
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []
    assert list((snapshot.logs / "publication").glob("*/data_docs/index.html"))


def test_csv_exact(published):
    _, published = published
    raw = (published / "indicateurs.csv").read_bytes()
    raw.decode("utf-8")
    assert raw.splitlines()[0].decode() == ",".join(COLUMNS)
    table = pl.read_csv(published / "indicateurs.csv", infer_schema=False)
    assert table.columns == COLUMNS
    assert table.height == 11 * 2 * 3
    secrets = table.filter(pl.col("statut") == "secret")
    assert secrets.height == 15
    for (ind, mois), codes in SECRETS.items():
        got = set(secrets.filter((pl.col("indicateur") == ind) & (pl.col("mois") == mois))["code_territoire"])
        assert got == codes, (ind, mois)
    assert secrets.select("valeur", "numerateur", "denominateur").null_count().row(0) == (15, 15, 15)
    # counts as integers, rates with 4 decimals, delays with 1 (ties away from zero)
    assert cell(table, "beneficiaires_sdd", "FR", "2024-01") | {} == {
        "indicateur": "beneficiaires_sdd", "libelle_indicateur": "Bénéficiaires du RSA soumis aux droits et devoirs",
        "niveau": "national", "code_territoire": "FR", "libelle_territoire": "France", "mois": "2024-01",
        "ventilation": "ensemble", "modalite": "ensemble", "valeur": "465", "numerateur": "465",
        "denominateur": None, "statut": "definitif", "motif_valeur_vide": None, "code_departement": None,
        "code_region": None, "departements_bassin": None, "regions_bassin": None}
    assert cell(table, "beneficiaires_sdd", "56", "2024-02")["valeur"] == "0"  # zero is not secret
    assert cell(table, "taux_orientation_15j", "FR", "2024-02")["valeur"] == "0.6692"
    assert cell(table, "taux_orientation_15j", "93", "2024-02")["valeur"] == "0.7470"
    assert cell(table, "taux_orientation_15j", "56", "2024-02")["valeur"] == "0.5000"
    zero = cell(table, "taux_orientation_15j", "56", "2024-01")
    assert (zero["valeur"], zero["numerateur"], zero["denominateur"], zero["statut"], zero["motif_valeur_vide"]) == (
        None, "0", "0", "definitif", "sans_objet")
    assert cell(table, "delai_orientation_moyen_j", "13", "2024-01")["valeur"] == "10.3"  # 10.25 exactly
    assert cell(table, "delai_orientation_moyen_j", "84", "2024-01")["valeur"] == "8.0"
    assert cell(table, "delai_orientation_moyen_j", "13", "2024-02")["valeur"] == "5.1"
    delay = cell(table, "delai_orientation_moyen_j", "B35", "2024-02")
    assert (delay["valeur"], delay["numerateur"], delay["denominateur"], delay["statut"]) == ("7.6", None, "12", "provisoire")
    assert table.head(3)["code_territoire"].to_list() == ["FR", "FR", "53"]


def test_parquet_is_the_same_table(published):
    _, published = published
    parquet = pl.read_parquet(published / "indicateurs.parquet")
    assert parquet.columns == COLUMNS
    assert parquet.schema["valeur"] == pl.Float64 and parquet.schema["numerateur"] == pl.Int64
    text = pl.read_csv(published / "indicateurs.csv", schema=PARQUET_SCHEMA)
    assert parquet.equals(text)
    assert cell(parquet, "taux_orientation_15j", "FR", "2024-02")["valeur"] == 0.6692


def test_marts_are_untouched(published):
    snapshot, _ = published
    import duckdb

    from socle.snapshot import current_snapshot

    with duckdb.connect(str(current_snapshot(snapshot)), read_only=True) as con:
        assert con.execute("select count(*) from marts.indicateurs where statut = 'secret'").fetchone() == (0,)
        assert con.execute("select numerateur from marts.indicateurs where indicateur = 'beneficiaires_sdd' "
                           "and code_territoire = '56' and mois = '2024-01-01' and ventilation = 'ensemble'").fetchone() == (5,)


def test_frictionless_validate_passes(published):
    _, published = published
    exe = Path(sys.executable).with_name("frictionless")
    proc = subprocess.run([str(exe), "validate", "--json", str(published / "datapackage.json")],
                          capture_output=True, text=True)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["valid"], report
    assert sorted(t["name"] for t in report["tasks"]) == [
        "cibles", "indicateurs", "indicateurs_annuels", "indicateurs_annuels_parquet", "indicateurs_parquet",
        "indicateurs_xlsx", "revisions"]
    assert {t["name"]: t["stats"]["rows"] for t in report["tasks"] if t["name"] in ("cibles", "indicateurs_annuels")} == {
        "cibles": 22, "indicateurs_annuels": 33}
    package = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    schema = package["resources"][0]["schema"]
    assert schema["primaryKey"] == ["indicateur", "niveau", "code_territoire", "mois", "ventilation", "modalite"]
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["statut"]["constraints"] == {"enum": ["definitif", "provisoire", "secret"], "required": True}
    assert fields["numerateur"]["type"] == "integer" and fields["valeur"]["type"] == "number"


def test_manifest_and_readme(published):
    _, published = published
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seuil_secret"] == 11
    assert manifest["lignes"] == 66 and manifest["cases_secretes"] == 15 and manifest["revisions"] == 0
    masking = manifest["masquage"]
    assert (masking["cellules_secret_primaire"], masking["cellules_masquees"], masking["non_resolues"]) == (8, 15, 0)
    assert masking["attaque_finale"]["exposees"] == 0
    assert manifest["publication_precedente"] is None
    assert [d["id_livraison"] for d in manifest["livraisons"]] == [
        "L-ori-13-2024-02", "L-ori-35-2024-02", "L-rsa-2023-12", "L-rsa-2024-01", "L-rsa-2024-02"]
    assert manifest["livraisons"][3]["sha256"] == "b" * 64
    assert {f["nom"] for f in manifest["fichiers"]} == {
        "indicateurs.csv", "indicateurs.parquet", "indicateurs.xlsx", "datapackage.json", "README.md", "revisions.csv",
        "indicateurs_annuels.csv", "indicateurs_annuels.parquet", "cibles.csv"}
    assert len(manifest["instantane"]["sha256"]) == 64
    assert "commit" in manifest["version_code"]
    readme = (published / "README.md").read_text(encoding="utf-8")
    for text in ("# Socle commun d'indicateurs RSA — données ouvertes du 5 mars 2024",
                 "Mois couverts : de janvier 2024 à février 2024",
                 "### Part des nouveaux entrants orientés en moins de 15 jours (`taux_orientation_15j`)",
                 "Provisoire jusqu'au fichier d'orientations de M+4.",  # maturity rule, from dim_indicateurs
                 "Seuil appliqué : **11**", "compris entre 1 et 10", "66 lignes, dont 15 cases secrètes"):
        assert text in readme


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_publications_on_the_same_day_keep_both_folders_and_list_the_revision(snapshot):
    """Issue 16, finding 3: a second publication of the day used to replace the day's folder, with an
    empty revisions.csv although a figure had changed."""
    first = export_opendata(snapshot, DAY)
    before = _tree(first)
    changed = (pl.col("indicateur") == "beneficiaires_sdd") & (pl.col("code_territoire") == "13") & (
        pl.col("mois") == date(2024, 1, 1))
    ind = indicateurs_frame()
    make_snapshot(snapshot, indicateurs=ind.with_columns(
        numerateur=pl.when(changed).then(pl.col("numerateur") + 7).otherwise(pl.col("numerateur")),
        valeur=pl.when(changed).then(pl.col("valeur") + 7).otherwise(pl.col("valeur"))))
    second = export_opendata(snapshot, DAY)
    assert (first.name, second.name) == ("2024-03-05-01", "2024-03-05-02")
    assert sorted(p.name for p in snapshot.opendata.iterdir()) == ["2024-03-05-01", "2024-03-05-02", "latest"]
    assert (snapshot.opendata / "latest").readlink() == Path("2024-03-05-02")
    assert _tree(first) == before  # the first publication is intact, byte for byte
    revisions = pl.read_csv(second / "revisions.csv", infer_schema=False)
    assert revisions.select("indicateur", "code_territoire", "mois", "valeur_precedente", "valeur_nouvelle",
                            "publication_precedente").rows() == [
        ("beneficiaires_sdd", "13", "2024-01", "300", "307", "2024-03-05-01")]
    manifest = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["publication_precedente"] == "2024-03-05-01" and manifest["dossier"] == "2024-03-05-02"
    assert manifest["revisions"] == 1
    assert "dossier `2024-03-05-02`" in (second / "README.md").read_text(encoding="utf-8")


def test_a_sequence_number_is_never_reused(snapshot):
    """A folder of the day left by a killed or foreign process (here half-written) is never reused nor
    touched; the earlier naming (`<date>/`) still counts as a publication to compare with."""
    root = snapshot.opendata
    (root / "2024-03-05-01").mkdir(parents=True)
    (root / "2024-03-05-01" / "indicateurs.csv").write_text("à moitié", encoding="utf-8")
    published = export_opendata(snapshot, DAY)
    assert published.name == "2024-03-05-02"
    assert (root / "2024-03-05-01" / "indicateurs.csv").read_text(encoding="utf-8") == "à moitié"
    from publication.opendata import next_folder_name, publications

    (root / "2024-03-04").mkdir()
    assert [p.name for p in publications(root)] == ["2024-03-04", "2024-03-05-01", "2024-03-05-02"]
    assert next_folder_name(root, DAY) == "2024-03-05-03"


def test_rename_new_never_replaces_a_folder(tmp_path):
    import pytest

    from publication.atomic import rename_new

    built, final = tmp_path / ".construction", tmp_path / "2024-03-05-01"
    built.mkdir()
    (built / "a").write_text("nouveau", encoding="utf-8")
    final.mkdir()  # even an empty folder is never replaced
    with pytest.raises(FileExistsError):
        rename_new(built, final)
    assert list(final.iterdir()) == [] and (built / "a").exists()
    rename_new(built, tmp_path / "2024-03-05-02")
    assert (tmp_path / "2024-03-05-02" / "a").read_text(encoding="utf-8") == "nouveau"


def test_a_formula_in_a_referential_label_is_neutralised_in_the_csv(snapshot):
    """Issue 16, finding 6: a bassin label `=HYPERLINK(...)` from the bassin referential was published as
    is in indicateurs.csv, a live formula in a spreadsheet. It is prefixed with `'`; the package still
    validates, and numbers are untouched."""
    from publication_fixture import TERRITOIRES

    label = '=HYPERLINK("http://x","clic")'
    terr = pl.DataFrame(TERRITOIRES, orient="row", schema=["niveau", "code_territoire", "libelle_territoire",
                                                           "code_region", "code_departement"]).with_columns(
        libelle_territoire=pl.when(pl.col("code_territoire") == "BX").then(pl.lit(label))
        .otherwise(pl.col("libelle_territoire")), est_substitut_arrondissement=pl.lit(False))
    make_snapshot(snapshot, extra={"dim_territoires": terr})
    published = export_opendata(snapshot, DAY)
    table = pl.read_csv(published / "indicateurs.csv", infer_schema=False)
    assert set(table.filter(pl.col("code_territoire") == "BX")["libelle_territoire"]) == {"'" + label}
    for column in table.columns:
        assert not table[column].drop_nulls().str.contains(r"^[=+@\t\r]").any(), column
    assert pl.read_parquet(published / "indicateurs.parquet").filter(
        pl.col("code_territoire") == "BX")["libelle_territoire"][0] == "'" + label
    exe = Path(sys.executable).with_name("frictionless")
    proc = subprocess.run([str(exe), "validate", "--json", str(published / "datapackage.json")],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and json.loads(proc.stdout)["valid"], proc.stdout[-2000:]


def test_cli_opendata(snapshot, capsys):
    from publication.__main__ import main

    assert main(["opendata", "--date", "2024-04-02"]) == 0
    assert "latest → 2024-04-02-01" in capsys.readouterr().out
    assert (snapshot.opendata / "latest").readlink() == Path("2024-04-02-01")


def test_no_snapshot_is_a_clear_error(socle_env, capsys):
    from publication.__main__ import main

    assert main(["opendata"]) == 1
    assert "aucun instantané courant" in capsys.readouterr().err


def test_quality_warnings_are_in_the_manifest(snapshot):
    """Issue 16, finding 8: a delivery above the quarantine warning threshold is flagged in the
    publication's manifest (file, share, main rules) and README, and the publication goes ahead."""
    from publication_fixture import livraisons_frame

    liv = livraisons_frame().with_columns(
        lignes_quarantaine=pl.when(pl.col("id_livraison") == "L-ori-35-2024-02").then(3).otherwise(0),
        lignes_chargees=pl.when(pl.col("id_livraison") == "L-ori-35-2024-02").then(7).otherwise(10))
    motifs = pl.DataFrame({"id_livraison": ["L-ori-35-2024-02"] * 2, "type_fichier": ["orientations"] * 2,
                           "producteur": ["35"] * 2, "mois": [date(2024, 2, 1)] * 2,
                           "colonne": ["id_rsa,date_orientation", "date_orientation"],
                           "regle": ["cle_dupliquee", "date"], "nb_lignes": [2, 1]})
    make_snapshot(snapshot, livraisons=liv, extra={"fct_quarantaine_motifs": motifs})
    published = export_opendata(snapshot, DAY)
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    [w] = manifest["avertissements_qualite"]
    assert (w["fichier"], w["producteur"], w["mois"], w["part"], w["lignes_quarantaine"], w["lignes_lues"]) == (
        "departements/35/orientations_2024-02.csv", "35", "2024-02", 0.3, 3, 10)
    assert w["regles"] == [{"regle": "cle_dupliquee", "lignes": 2}, {"regle": "date", "lignes": 1}]
    assert "30,0 % des lignes en quarantaine" in w["message"] and "cle_dupliquee" in w["message"]
    assert "departements/35/orientations_2024-02.csv (30,0 %)" in (published / "README.md").read_text(encoding="utf-8")


def test_no_quality_warning_below_the_threshold(published):
    _, published = published
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["avertissements_qualite"] == []


def test_the_open_data_takes_the_cells_masked_at_the_snapshot_publication(snapshot, monkeypatch):
    """Masked once per snapshot: the open data reads `publie.indicateurs_masques` (as the
    dashboards do) instead of masking again, and publishes exactly the same table."""
    import duckdb

    from publication import table
    from publication.source import current_snapshot

    again = export_opendata(snapshot, DAY)
    masked_here = (again / "indicateurs.csv").read_bytes()
    with duckdb.connect() as con:
        con.execute(f"attach '{current_snapshot(snapshot)}' as snap")
        table.store_masked_table(con, "snap", 11)
        con.execute("detach snap")

    def forbidden(*args, **kwargs):
        raise AssertionError("the open data must not mask again: the snapshot holds its masked cells")

    monkeypatch.setattr(table, "mask_with_report", forbidden)
    stored = export_opendata(snapshot, DAY)
    assert (stored / "indicateurs.csv").read_bytes() == masked_here
    first, second = (json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["masquage"]
                     for folder in (again, stored))
    for key in ("cellules", "cellules_masquees", "quantites_complementaires"):
        assert second[key] == first[key]
