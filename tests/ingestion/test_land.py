"""Landing files end to end: quarantine, rejection, re-sends, privacy."""

from __future__ import annotations

import hmac

import duckdb
import polars as pl

from ingestion.land import land_all
from tests.conftest import write

RSA_HEADER = ("id_rsa,nir,organisme,code_commune,sexe,annee_naissance,date_ouverture_droit,"
              "etat_droit,droit_versable,soumis_droits_devoirs\n")
NIR1, NIR2, BAD_NIR = "184037512345690", "284022A12345681", "184037512345636"


def query(settings, sql):
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.sql(sql).pl()


def test_rows_breaking_the_contract_are_quarantined_with_their_rule(socle_env):
    write(socle_env.landing_dir, "caf/rsa_2024-01.csv", RSA_HEADER
          + f"R1,{NIR1},CAF,35238,F,1984,2023-05-01,ouvert,true,true\n"
          + f"R2,{BAD_NIR},CAF,35238,F,1984,2023-05-01,ouvert,true,true\n"
          + f"R3,{NIR2},CAF,99999,F,1984,2023-05-01,ouvert,true,true\n"
          + f"R4,{NIR2},CAF,35238,F,1984,2024-13-45,ouvert,true,true\n"
          + f"R5,{NIR2},CAF,35238,F,1984,2023-05-01,ferme,true,true\n"
          + f"R6,{NIR2},CAF,35238,F,1984,2023-05-01,ouvert,true\n"
          + "\n"
          + f" r7 ,{NIR2},caf,01003,m,1990,05/01/2024,OUVERT,oui,1\n")
    outcomes = land_all()
    assert [(o.statut, o.lignes_lues, o.lignes_chargees, o.lignes_quarantaine) for o in outcomes] == [
        ("acceptee", 7, 2, 5)]
    q = query(socle_env, "select ligne, colonne, valeur, regle from raw.quarantaine order by ligne")
    assert q.drop("valeur").rows() == [
        (3, "nir", "nir_invalide"), (4, "code_commune", "commune_inconnue"),
        (5, "date_ouverture_droit", "date_illisible"), (6, "etat_droit", "valeur_hors_liste"),
        (7, None, "nombre_de_champs")]
    values = q["valeur"].to_list()
    assert len(values[0]) == 64 and values[0] != BAD_NIR  # pseudonym, never the clear NIR
    # a value outside its list is its fingerprint (keyed hash, length, classes), never its text
    ferme = hmac.new(b"test-key", b"empreinte:FERME", "sha256").hexdigest()[:16]
    assert values[1:] == ["99999", "2024-13-45", f"<empreinte:{ferme}, 5 caractères, classes : lettres>",
                          "9 champs au lieu de 10"]
    rsa = query(socle_env, "select ligne, organisme, code_commune, sexe, date_ouverture_droit::varchar d, "
                           "etat_droit, droit_versable, soumis_droits_devoirs from raw.rsa order by ligne")
    # line 9 (after a blank line): trimmed, upper-cased, 01003 merged into 01165, DD/MM/YYYY read
    assert rsa.rows() == [(2, "CAF", "35238", "F", "2023-05-01", "ouvert", True, True),
                          (9, "CAF", "01165", "M", "2024-01-05", "ouvert", True, True)]


def test_duplicated_key_keeps_the_last_row(socle_env):
    write(socle_env.landing_dir, "departements/35/orientations_2024-02.csv",
          "id_rsa,date_reception_notification,date_orientation\n"
          "R1,2024-01-02,\nR2,2024-01-05,2024-01-20\nR1,2024-01-02,2024-02-10\n")
    land_all()
    assert query(socle_env, "select ligne, regle from raw.quarantaine").rows() == [(2, "cle_dupliquee")]
    assert query(socle_env, "select ligne, date_orientation::varchar from raw.orientations order by ligne").rows() == [
        (3, "2024-01-20"), (4, "2024-02-10")]


def test_caf_row_repeated_by_nir_is_quarantined(socle_env):
    write(socle_env.landing_dir, "caf/rsa_2024-01.csv", RSA_HEADER
          + f"R1,{NIR1},CAF,35238,F,1984,2023-05-01,ouvert,true,true\n"
          + f"R2,{NIR1},CAF,35238,F,1984,2023-05-01,ouvert,true,true\n")
    land_all()
    assert query(socle_env, "select ligne, regle from raw.quarantaine").rows() == [(2, "cle_dupliquee")]


def test_unusable_files_are_rejected_whole_with_one_message(socle_env):
    land = socle_env.landing_dir
    write(land, "ft/reprises_emploi_2024-01.csv", "id_ft,date_embauche\nF1,2024-01-03\n")
    write(land, "ft/inscriptions_2024-13.csv", "id_ft\n")
    write(land, "departements/36B/orientations_2024-01.csv", "id_rsa\n")
    write(land, "departements/35/orientations_2024-01.csv", "id_rsa,ID_RSA,date_reception_notification\n")
    (land / "caf").mkdir()
    (land / "caf" / "rsa_2024-01.csv").write_bytes(b"\x00\x01\x02garbage")
    write(land, "caf/rsa_2024-02.csv", "")
    outcomes = {o.chemin: o.message for o in land_all()}
    digest = hmac.new(b"test-key", b"nom-fichier:36B/orientations_2024-01.csv", "sha256").hexdigest()[:16]
    not_a_code = f"departements/<nom:{digest}>"  # the folder is not a code: a name a person typed
    assert outcomes == {
        "caf/rsa_2024-01.csv": "caf/rsa_2024-01.csv : fichier illisible (contenu binaire, ce n'est pas un CSV)",
        "caf/rsa_2024-02.csv": "caf/rsa_2024-02.csv : fichier vide (0 octet)",
        "departements/35/orientations_2024-01.csv":
            "departements/35/orientations_2024-01.csv : la colonne « id_rsa » apparaît deux fois dans l'en-tête",
        not_a_code: f"{not_a_code} : le dossier sous departements/ n'est pas un code de département (code INSEE : "
                    "01 à 95, 2A, 2B, 971 à 976)",
        "ft/inscriptions_2024-13.csv": "ft/inscriptions_2024-13.csv : le mois 2024-13 n'existe pas",
        "ft/reprises_emploi_2024-01.csv": "ft/reprises_emploi_2024-01.csv : colonne(s) obligatoire(s) "
                                          "absente(s) : type_contrat, duree_prevue_jours",
    }
    assert query(socle_env, "select count(*) from raw.livraisons where statut = 'rejetee' and not est_courante"
                 ).item() == 6
    assert query(socle_env, "select count(*) from raw.reprises_emploi").item() == 0


def test_formats_are_detected_and_reported(socle_env):
    land = socle_env.landing_dir
    write(land, "departements/2a/ORIENTATIONS_2024-01.CSV",
          "Id_RSA ; Date_Réception_Notification;DATE_ORIENTATION;accompagnement_global;freins\n"
          "r1;02/01/2024;20/01/2024;oui;mobilite| logement\n", encoding="cp1252")
    pl.DataFrame({"id_ft": ["F1"], "date_embauche": ["2024-01-03"], "type_contrat": ["cdi"],
                  "duree_prevue_jours": [None]}).write_excel(land / "ft" / "reprises_emploi_2024-01.xlsx"
                                                             if (land / "ft").mkdir() is None else None)
    land_all()
    led = query(socle_env, "select chemin, type_fichier, producteur, extension, encodage, delimiteur "
                           "from raw.livraisons order by chemin")
    assert led.rows() == [
        ("departements/2a/ORIENTATIONS_2024-01.CSV", "orientations", "2A", "csv", "windows-1252", ";"),
        ("ft/reprises_emploi_2024-01.xlsx", "reprises_emploi", "ft", "xlsx", None, None)]
    assert query(socle_env, "select accompagnement_global, freins, date_orientation::varchar "
                            "from raw.orientations").rows() == [(True, "MOBILITE|LOGEMENT", "2024-01-20")]
    assert query(socle_env, "select type_contrat, duree_prevue_jours from raw.reprises_emploi").rows() == [
        ("CDI", None)]


def test_resent_file_replaces_the_older_which_stays_archived(socle_env):
    land = socle_env.landing_dir
    header = "id_rsa,date_reception_notification,date_orientation\n"
    write(land, "departements/35/orientations_2024-01.csv", header + "R1,2024-01-02,\n", mtime=1_700_000_000)
    land_all()
    write(land, "departements/35/orientations_2024-01.csv", header + "R1,2024-01-02,2024-01-09\n",
          mtime=1_700_100_000)
    land_all()
    led = query(socle_env, "select id_livraison, est_courante, remplacee_par from raw.livraisons "
                           "order by date_modification")
    (old, old_current, replaced_by), (new, new_current, _) = led.rows()
    assert (old_current, new_current, replaced_by) == (False, True, new)
    rows = query(socle_env, "select id_livraison, date_orientation::varchar from raw.orientations "
                            "order by date_orientation nulls first").rows()
    assert rows == [(old, None), (new, "2024-01-09")]  # both archived in the raw layer
    # the same file seen again: nothing changes
    assert [o.statut for o in land_all()] == ["deja_vue"]
    # identical re-send (same bytes, new modification time): a new landing event, current, same figures
    write(land, "departements/35/orientations_2024-01.csv", header + "R1,2024-01-02,2024-01-09\n",
          mtime=1_700_200_000)
    assert [o.statut for o in land_all()] == ["acceptee"]
    assert query(socle_env, "select count(*) from raw.livraisons").item() == 3
    assert query(socle_env, "select date_orientation::varchar from raw.orientations o join raw.livraisons l "
                            "using (id_livraison) where l.est_courante").rows() == [("2024-01-09",)]


def test_newer_extension_wins_and_parquet_breaks_ties(socle_env):
    land = socle_env.landing_dir
    header = "id_ft,date_embauche,type_contrat,duree_prevue_jours\n"
    write(land, "ft/reprises_emploi_2024-01.csv", header + "F1,2024-01-03,CDI,\n", mtime=1_700_000_000)
    (land / "ft" / "reprises_emploi_2024-01.parquet").parent.mkdir(exist_ok=True)
    pl.DataFrame({"id_ft": ["F1"], "date_embauche": ["2024-01-04"], "type_contrat": ["CDD"],
                  "duree_prevue_jours": [30]}).write_parquet(land / "ft" / "reprises_emploi_2024-01.parquet")
    import os
    os.utime(land / "ft" / "reprises_emploi_2024-01.parquet", (1_700_000_000, 1_700_000_000))
    land_all()
    assert query(socle_env, "select extension from raw.livraisons where est_courante").item() == "parquet"


def test_no_clear_identifier_anywhere_under_home(socle_env):
    write(socle_env.landing_dir, "caf/rsa_2024-01.csv", RSA_HEADER
          + f"IDRSA0001,{NIR1},CAF,35238,F,1984,2023-05-01,ouvert,true,true\n"
          + f"IDRSA0002,{BAD_NIR},CAF,35238,F,1984,2023-05-01,ouvert,true,true\n")
    write(socle_env.landing_dir, "ft/inscriptions_2024-01.csv",
          "id_ft,nir,date_inscription,categorie\nIDFT00001,284022A12345681,2024-01-03,Z\n")
    land_all()
    secrets = [NIR1.encode(), BAD_NIR.encode(), b"IDRSA0001", b"IDRSA0002", b"IDFT00001", b"284022A12345681"]
    for path in socle_env.home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [s for s in secrets if s in data], path
