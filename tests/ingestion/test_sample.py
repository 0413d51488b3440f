"""The shipped sample lands completely, every mess of its manifest accounted for."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from ingestion.land import land_all
from synthetic import restore_mtimes
from socle.settings import PROJECT_DIR, get_settings

MANIFEST = json.loads((PROJECT_DIR / "data" / "sample.manifest.json").read_text(encoding="utf-8"))
RULES = {"bad_date": "date_illisible", "orientation_before_t0": "date_orientation_avant_date_reception_notification",
         "date_fin_before_date_debut": "date_fin_avant_date_debut", "unknown_commune": "commune_inconnue",
         "malformed_nir": "nir_invalide", "out_of_list": "valeur_hors_liste", "field_count": "nombre_de_champs",
         "duplicated_key": "cle_dupliquee"}
MESS = MANIFEST["mess"]


@pytest.fixture(scope="module")
def landed(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample")
    landing = root / "landing"
    shutil.copytree(PROJECT_DIR / "data" / "sample", landing)
    restore_mtimes(landing, MANIFEST)
    mp = pytest.MonkeyPatch()
    mp.setenv("SOCLE_LANDING_DIR", str(landing))
    mp.setenv("SOCLE_HOME", str(root / "home"))
    mp.setenv("SOCLE_PSEUDO_KEY", "test-key")
    settings = get_settings()
    outcomes = land_all(settings)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    yield outcomes, con
    con.close()
    mp.undo()


def _ledger(con, path):
    return con.execute("select id_livraison, statut, est_courante, encodage, delimiteur, lignes_quarantaine "
                       "from raw.livraisons where chemin = ?", [path]).fetchone()


def test_every_file_is_accepted_and_the_quarantine_holds_exactly_the_broken_lines(landed):
    outcomes, con = landed
    assert len(outcomes) == len(MANIFEST["files"]) == 150
    assert {o.statut for o in outcomes} == {"acceptee"}
    expected = sorted((e["file"], e["line"], RULES[e["rule"]]) for e in MESS if e["rule"] in RULES)
    got = con.execute("select l.chemin, q.ligne, q.regle from raw.quarantaine q "
                      "join raw.livraisons l using (id_livraison) order by all").fetchall()
    assert got == expected
    assert con.execute("select sum(lignes_lues), sum(lignes_chargees) from raw.livraisons").fetchone() == (
        sum(f["rows"] for f in MANIFEST["files"]), sum(f["rows"] for f in MANIFEST["files"]) - len(expected))


@pytest.mark.parametrize("entry", [e for e in MESS if e["rule"] == "former_commune_code"], ids=lambda e: e["file"])
def test_former_commune_code_is_remapped(landed, entry):
    _, con = landed
    did = _ledger(con, entry["file"])[0]
    assert con.execute("select code_commune from raw.rsa where id_livraison = ? and ligne = ?",
                       [did, entry["line"]]).fetchone() == (entry["remapped_to"],)


def test_windows_and_xlsx_files_are_detected(landed):
    _, con = landed
    for entry in MESS:
        row = _ledger(con, entry["file"])
        if entry["rule"] == "format_windows_1252":
            assert row[1:5] == ("acceptee", True, "windows-1252", ";")
        elif entry["rule"] == "format_xlsx":
            assert row[1:3] == ("acceptee", True)
    assert con.execute("select count(*) from raw.orientations o join raw.livraisons l using (id_livraison) "
                       "where l.producteur = '13' and o.date_reception_notification is null").fetchone() == (0,)


def test_resent_month_replaces_the_older_delivery_with_its_corrections(landed):
    _, con = landed
    old = next(e for e in MESS if e["rule"] == "replaced_by_other_extension")
    old_id, old_status, old_current, *_ = _ledger(con, old["file"])
    new_id, _, new_current, *_ = _ledger(con, old["replaced_by"])
    assert (old_status, old_current, new_current) == ("acceptee", False, True)
    assert con.execute("select remplacee_par from raw.livraisons where id_livraison = ?", [old_id]).fetchone() == (
        new_id,)
    for fix in (e for e in MESS if e["rule"] == "corrected_value"):
        assert con.execute("select date_orientation::varchar from raw.orientations where id_livraison = ? "
                           "and ligne = ?", [new_id, fix["line"]]).fetchone() == (fix["value"],)
        assert con.execute("select date_orientation::varchar from raw.orientations where id_livraison = ? "
                           "and ligne = ?", [old_id, fix["line"]]).fetchone() == (fix["previous_value"],)


def test_missing_delivery_is_absent_from_the_ledger(landed):
    _, con = landed
    entry = next(e for e in MESS if e["rule"] == "missing_delivery")
    assert _ledger(con, entry["file"]) is None
    assert con.execute("select count(*) from raw.livraisons where producteur = '56' and type_fichier = "
                       "'orientations'").fetchone() == (14,)
