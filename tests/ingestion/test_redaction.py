"""Issue #16, finding 5: nothing personal is stored from a rejected value or a file name.

A NIR typed in the commune, a date or the birth-year column, a name and address in the commune
column, a NIR in a file name: before the change, each was stored as typed in `raw.quarantaine`
or in the ledger (`chemin`, `motif_rejet`) and in the log line."""

from __future__ import annotations

import hmac
import logging

import duckdb
import polars as pl

from ingestion.land import land_all
from ingestion.nir import key_for
from ingestion.pseudonymise import Pseudonymiser
from ingestion.redaction import redact_text, render_quarantine
from tests.conftest import write

KEY = b"test-key"
NIR = "1840375123456" + key_for("1840375123456")  # 184037512345690
CORSE = "284022A123456" + key_for("284022A123456")
RSA_HEADER = ("id_rsa,nir,organisme,code_commune,sexe,annee_naissance,date_ouverture_droit,"
              "etat_droit,droit_versable,soumis_droits_devoirs\n")


def mac(text: str, n: int = 16) -> str:
    return hmac.new(KEY, text.encode(), "sha256").hexdigest()[:n]


def query(settings, sql):
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.sql(sql).pl()


def test_every_nir_shaped_sequence_of_a_text_is_a_keyed_token():
    pseudo = Pseudonymiser(KEY)
    token = f"<nir:{mac('NIR-TEXTE:' + NIR)}>"
    assert redact_text(f"caf/rsa_2024-01_{NIR}.csv", pseudo) == f"caf/rsa_2024-01_{token}.csv"
    # as people type it: spaces, dots, dashes; with or without the key; Corsica; lower case
    assert redact_text("né 1 84 03 75 123 456 90 !", pseudo) == f"né {token} !"
    assert redact_text("1.84.03.75.123.456-90", pseudo) == token
    assert redact_text("dupont1840375123456.csv", pseudo) == f"dupont<nir:{mac('NIR-TEXTE:1840375123456')}>.csv"
    assert redact_text(CORSE.lower(), pseudo) == f"<nir:{mac('NIR-TEXTE:' + CORSE)}>"
    # what is not NIR-shaped stays: months, dates, codes, short numbers
    for text in ("caf/rsa_2024-01.csv", "departements/2A/orientations_2024-02.csv", "2024-01-15", "35238",
                 "le mois 2024-13 n'existe pas", "123456789012"):
        assert redact_text(text, pseudo) == text


def test_a_quarantined_value_is_kept_only_when_it_fits_its_column():
    pseudo = Pseudonymiser(KEY)
    failures = pl.DataFrame({
        "ligne": [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        "colonne": ["code_commune", "code_commune", "date_ouverture_droit", "annee_naissance", "code_commune",
                    "date_ouverture_droit", "etat_droit", "nir", None, "annee_naissance"],
        "valeur": [NIR, "Jean Martin, 3 rue des Lilas", NIR, NIR, "99999", "2024-13-45", "ferme",
                   f" {NIR.lower()} ", "9 champs au lieu de 10", "1850"],
        "regle": ["commune_inconnue", "commune_inconnue", "date_illisible", "annee_hors_periode",
                  "commune_inconnue", "date_illisible", "valeur_hors_liste", "nir_invalide", "nombre_de_champs",
                  "annee_hors_periode"]})
    out = render_quarantine(failures, "rsa", pseudo)
    nir_fp = f"<empreinte:{mac('empreinte:' + NIR)}, 15 caractères, classes : chiffres>"
    assert out["valeur"].to_list() == [
        nir_fp,
        f"<empreinte:{mac('empreinte:Jean Martin, 3 rue des Lilas')}, 28 caractères, "
        "classes : chiffres/lettres/espaces/ponctuation>",
        nir_fp, nir_fp,
        "99999", "2024-13-45",
        f"<empreinte:{mac('empreinte:ferme')}, 5 caractères, classes : lettres>",
        hmac.new(KEY, NIR.encode(), "sha256").hexdigest(),  # an identifier: its pseudonym, as in raw.rsa
        "9 champs au lieu de 10", "1850"]
    assert out.drop("valeur").equals(failures.drop("valeur"))


def test_planted_nirs_and_names_are_never_stored_nor_logged(socle_env, caplog):
    good = f"R1,{NIR},CAF,35238,F,1984,2023-05-01,ouvert,true,true\n"
    write(socle_env.landing_dir, "caf/rsa_2024-01.csv", RSA_HEADER + good
          + f"R2,{CORSE},CAF,{NIR},F,1984,2023-05-01,ouvert,true,true\n"                  # NIR as commune
          + f"R3,{CORSE},CAF,1 84 03 75 123 456 90,F,1984,2023-05-01,ouvert,true,true\n"  # typed with spaces
          + f"R4,{CORSE},CAF,Jean Martin 3 rue des Lilas,F,1984,2023-05-01,ouvert,true,true\n"
          + f"R5,{CORSE},CAF,35238,F,1984,{NIR},ouvert,true,true\n"                       # NIR as a date
          + f"R6,{CORSE},CAF,35238,F,{NIR},2023-05-01,ouvert,true,true\n")                # NIR as birth year
    write(socle_env.landing_dir, f"caf/rsa_2024-01_{NIR}.csv", RSA_HEADER + good)          # NIR in a file name
    write(socle_env.landing_dir, "ft/reprises_emploi_2024-01.csv",
          f"id_ft,date_embauche,type_contrat,duree_prevue_jours,{NIR}\nF1,2024-01-05,CDD,{NIR},x\n")
    with caplog.at_level(logging.INFO, logger="socle.ingestion"):
        outcomes = land_all()
    secrets = {NIR, "1 84 03 75 123 456 90", "JEAN MARTIN", "LILAS"}
    stored = []
    with duckdb.connect(str(socle_env.warehouse), read_only=True) as con:
        for table in ("raw.livraisons", "raw.quarantaine", "raw.rsa", "raw.reprises_emploi"):
            stored += [str(v) for row in con.sql(f"select * from {table}").fetchall() for v in row]
    stored += [o.chemin + " " + o.message for o in outcomes] + [caplog.text]
    stored += [p.as_posix() for p in socle_env.home.rglob("*")]
    stored += [str(v) for p in socle_env.lake.rglob("*.parquet") for row in pl.read_parquet(p).rows() for v in row]
    found = {s for s in secrets for text in stored if s in text.upper()}
    assert found == set()
    token = f"<nir:{mac('NIR-TEXTE:' + NIR)}>"
    # a name outside the contract is a token whole (the NIR in it with it)
    name = f"caf/<nom:{hmac.new(KEY, f'nom-fichier:rsa_2024-01_{NIR}.csv'.encode(), 'sha256').hexdigest()[:16]}>"
    assert query(socle_env, "select chemin, motif_rejet from raw.livraisons where statut = 'rejetee'").rows() == [
        (name, f"{name} : chemin non prévu par le contrat des sources")]
    assert f"fichier rejeté : {name} : chemin non prévu" in caplog.text
    assert query(socle_env, "select colonnes_ignorees from raw.livraisons where chemin like 'ft/%'").item() == token
    q = query(socle_env, "select l.type_fichier, q.ligne, q.colonne, q.regle, q.valeur from raw.quarantaine q "
                         "join raw.livraisons l using (id_livraison) order by 1, 2")
    nir_fp = f"<empreinte:{mac('empreinte:' + NIR)}, 15 caractères, classes : chiffres>"
    assert q.rows() == [
        ("reprises_emploi", 2, "duree_prevue_jours", "nombre_illisible", nir_fp),
        ("rsa", 3, "code_commune", "commune_inconnue", nir_fp),
        ("rsa", 4, "code_commune", "commune_inconnue",
         f"<empreinte:{mac('empreinte:1 84 03 75 123 456 90')}, 21 caractères, classes : chiffres/espaces>"),
        ("rsa", 5, "code_commune", "commune_inconnue",
         f"<empreinte:{mac('empreinte:JEAN MARTIN 3 RUE DES LILAS')}, 27 caractères, "
         "classes : chiffres/lettres/espaces>"),
        ("rsa", 6, "date_ouverture_droit", "date_illisible", nir_fp),
        ("rsa", 7, "annee_naissance", "nombre_illisible", nir_fp)]


def test_an_unforeseen_failure_does_not_carry_its_message_on(socle_env, monkeypatch):
    import pytest

    from ingestion import readers

    def boom(*args):
        raise ValueError(f"cellule illisible : {NIR}")

    monkeypatch.setattr(readers, "stream", boom)
    write(socle_env.landing_dir, "caf/rsa_2024-01.csv", RSA_HEADER)
    with pytest.raises(RuntimeError) as caught:
        land_all()
    assert str(caught.value) == ("caf/rsa_2024-01.csv : échec inattendu de l'ingestion (ValueError, message non "
                                 "repris : il peut citer une valeur du fichier)")
    assert caught.value.__suppress_context__  # the original (and its message) is not chained
