"""The bench's floor (benchmarks/floor.sql) on a tiny landing folder: the pilotage figures
(pilotage.md) and their breakdowns, against values computed by hand.

Département 35 only (Rennes, bassin B35A), CAF files 2024-01 … 2024-06 (months computed 2024-02 …
2024-06). The persons (synthetic identifiers):

- P1: F born 1999, right opened 2023-12-15, stock all months; oriented 2023-10-20 to FT
  (professionnel), contract signed 2024-03-10; registered 2024-01-10 → out 2024-04-01; GLOBAL
  accompaniment running.
- P2: M born 1960, right 2020-01-01, stock all months; oriented 2022 to CD then 2023-05-10 to ASSO
  (socio_professionnel): the current orientation is ASSO; registered 2024-03-31, still on the list.
- P3: no sex, no birth year, right 2023-01-10, stock all months, id_rsa R3A then R3B; two records
  tied on date_orientation and notification ('' and CCAS): the current one is CCAS (professionnel).
- P4: F born 1970, oriented 2023-01-05 to FT, radiated 2024-02, absent 2024-03, back 2024-04: the
  old orientation is closed; new record notified 2024-04-02, oriented 2024-05-10 (CD, social),
  first appointment 2024-06-08: new entrant of 2024-04.
- P5, P6, P7: new entrants of 2024-05 (T0 2024-05-02 / 05-02 / 05-03); P5 oriented 2024-05-10 to CD,
  first appointment 2024-06-08 (37 days); P6 oriented 2024-05-10 to FT, first appointment
  2024-06-09 (38 days); P7 not oriented, first appointment 2024-05-20 (17 days).
- P8: M born 1985, right 2023-06-01, stock all months, never oriented; registered 2023-11-04, out
  2024-03-31 (not registered at the end of 2024-03).

Département 13 (Marseille, bassin HR13) delivers one orientations file, for 2024-03:
- Q1: new entrant of 2024-03, id_rsa S1A then S1B; two records tied on T0 (2024-03-01) and on
  date_orientation (2024-03-05), organisme '' and ML: the entry record and the current orientation
  are ML (social).
- Q2: stock all months; two records oriented 2024-03-05, notified 2024-02-01 (FT) and 2024-02-20
  (CD, social): the cohort record and the current orientation are CD; registered 2024-01-15.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import duckdb
import pytest

from benchmarks.phases import floor_variables, statements
from ingestion.pseudonymise import Pseudonymiser

FLOOR = Path(__file__).resolve().parents[2] / "benchmarks" / "floor.sql"
KEY = "cle-de-test-du-plancher"
MOIS = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]

CAF_HEAD = "id_rsa,nir,organisme,code_commune,sexe,annee_naissance,date_ouverture_droit,etat_droit,droit_versable,soumis_droits_devoirs"
ORI_HEAD = ("id_rsa,id_ft,date_ouverture_droit,date_reception_notification,date_entree_dispositif,"
            "date_rdv_orientation,date_orientation,organisme_referent,type_parcours,accompagnement_global,freins,"
            "date_signature_contrat,date_premier_rdv_accompagnement")
INS_HEAD = "id_ft,nir,code_commune,date_inscription,categorie,date_sortie,motif_sortie,sexe,annee_naissance,niveau_formation,rqth,qpv"
ACC_HEAD = "id_rsa,id_ft,organisme,modalite,heures_hebdo,date_debut,date_fin"


def caf_rows(mois: str) -> list[str]:
    ouvert = "ouvert,true,true"
    rows = [f"R1,P1,CAF,35238,F,1999,2023-12-15,{ouvert}",
            f"R2,P2,CAF,35238,M,1960,2020-01-01,{ouvert}",
            f"{'R3A' if mois == '2024-01' else 'R3B'},P3,CAF,35238,,,2023-01-10,{ouvert}",
            f"R8,P8,CAF,35238,M,1985,2023-06-01,{ouvert}"]
    if mois == "2024-01":
        rows.append(f"R4,P4,CAF,35238,F,1970,2022-01-01,{ouvert}")
    elif mois == "2024-02":
        rows.append("R4,P4,CAF,35238,F,1970,2022-01-01,radie,false,true")
    elif mois >= "2024-04":
        rows.append(f"R4,P4,CAF,35238,F,1970,2024-03-20,{ouvert}")
    rows.append(f"S2,Q2,CAF,13055,F,1980,2021-01-01,{ouvert}")
    if mois >= "2024-03":
        rows.append(f"{'S1A' if mois == '2024-03' else 'S1B'},Q1,CAF,13055,M,1990,2024-02-20,{ouvert}")
    if mois >= "2024-05":
        rows += [f"R5,P5,CAF,35238,M,2000,2024-04-25,{ouvert}",
                 f"R6,P6,CAF,35238,F,1990,2024-04-20,{ouvert}",
                 f"R7,P7,CAF,35238,F,1980,2024-04-28,{ouvert}"]
    return rows


def ori(id_rsa: str, drn: str, dor: str, orr: str = "", tp: str = "", dsc: str = "", dpr: str = "") -> str:
    return f"{id_rsa},,,{drn},,,{dor},{orr},{tp},false,,{dsc},{dpr}"


ORIENTATIONS = {
    "2024-01": [ori("R1", "2023-10-01", "2023-10-20", "FT", "professionnel", dsc="2024-03-10"),
                ori("R2", "2022-01-05", "2022-01-20", "CD", "social"),
                ori("R2", "2023-05-01", "2023-05-10", "ASSO", "socio_professionnel"),
                ori("R3A", "2023-06-01", "2023-06-15", "", "social"),
                ori("R3B", "2023-06-01", "2023-06-15", "CCAS", "professionnel"),
                ori("R4", "2022-12-20", "2023-01-05", "FT", "professionnel")],
    "2024-04": [ori("R4", "2024-04-02", "")],  # an older version: not oriented yet
    "2024-05": [ori("R4", "2024-04-02", "2024-05-10", "CD", "social", dpr="2024-06-08"),
                ori("R7", "2024-05-03", "", dpr="2024-05-20")],
    "2024-06": [ori("R5", "2024-05-02", "2024-05-10", "CD", "professionnel", dpr="2024-06-08"),
                ori("R6", "2024-05-02", "2024-05-10", "FT", "social", dpr="2024-06-09")],
}

ORIENTATIONS_13 = [ori("S1A", "2024-03-01", "2024-03-05"),
                   ori("S1B", "2024-03-01", "2024-03-05", "ML", "social"),
                   ori("S2", "2024-02-01", "2024-03-05", "FT", "professionnel"),
                   ori("S2", "2024-02-20", "2024-03-05", "CD", "social")]

INSCRIPTIONS = [  # in ft/inscriptions_2024-05 (the last month delivered: 2024-06 is provisoire)
    "F1,P1,35238,2024-01-10,A,2024-04-01,AUTRE,F,1999,BAC,false,false",
    "F2,P2,35238,2024-03-31,A,,,M,1960,BAC,false,false",
    "F8,P8,35238,2023-11-04,A,2024-03-31,AUTRE,M,1985,BAC,false,false",
    "F5A,P5,35238,2024-04-01,A,,,M,2000,BAC,false,true",      # same date as F5B: niveau and rqth disagree
    "F5B,P5,35238,2024-04-01,A,,,M,2000,SUP_BAC,,true",
    "F6B,P6,35238,2023-01-01,A,2023-06-01,AUTRE,F,1990,SUP_BAC,false,true",
    "F6,P6,35238,2024-05-20,A,,,F,1990,INF_BAC,true,false",   # the latest: the qualifying one
    "G2,Q2,13055,2024-01-15,A,,,F,1980,BAC,false,false",
]


def write(path: Path, head: str, rows: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def floor(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    landing = tmp_path_factory.mktemp("landing")
    for m in MOIS:
        write(landing / f"caf/rsa_{m}.csv", CAF_HEAD, caf_rows(m))
        write(landing / f"departements/35/orientations_{m}.csv", ORI_HEAD, ORIENTATIONS.get(m, []))
        write(landing / f"departements/35/accompagnements_{m}.csv", ACC_HEAD,
              ["R1,,CD,GLOBAL,,2024-01-01,"] if m == "2024-01" else [])
        write(landing / f"ft/accompagnements_{m}.csv", ACC_HEAD, [])
        if m <= "2024-05":
            write(landing / f"ft/inscriptions_{m}.csv", INS_HEAD, INSCRIPTIONS if m == "2024-05" else [])
    write(landing / "departements/13/orientations_2024-03.csv", ORI_HEAD, ORIENTATIONS_13)
    write(landing / "ft/reprises_emploi_2024-06.csv", "id_ft,date_embauche,type_contrat,duree_prevue_jours",
          ["F6,2024-06-01,CDD,90"])
    write(landing / "referentiels/bassins_2024.csv", "commune_id,territoire_id", ["35238,B35A"])
    con = duckdb.connect()
    floor_variables(con, landing, KEY)
    for stmt in statements(FLOOR.read_text(encoding="utf-8")):
        con.execute(stmt)
    return con


def row(con, indicateur: str, mois: str, ventilation: str = "ensemble", modalite: str = "ensemble",
        niveau: str = "departement", code: str = "35") -> tuple:
    rows = con.execute("""select numerateur, denominateur, valeur, statut from floor_indicateurs
        where indicateur = ? and niveau = ? and code_territoire = ? and mois = ?::date
          and ventilation = ? and modalite = ?""",
                       [indicateur, niveau, code, mois + "-01", ventilation, modalite]).fetchall()
    assert len(rows) == 1, (indicateur, mois, ventilation, modalite, rows)
    return rows[0]


def test_stock_orientation_registration_contract(floor):
    # 2024-03: stock P1, P2, P3, P8; oriented P1 (FT), P2 (ASSO), P3 (CCAS); P8 waits
    assert row(floor, "beneficiaires_sdd", "2024-03") == (4, None, 4.0, "definitif")
    assert row(floor, "beneficiaires_orientes", "2024-03") == (3, None, 3.0, "definitif")
    assert row(floor, "beneficiaires_en_attente_orientation", "2024-03") == (1, None, 1.0, "definitif")
    assert row(floor, "part_stock_oriente", "2024-03") == (3, 4, 0.75, "definitif")
    assert row(floor, "part_orientes_contrat_signe", "2024-03") == (1, 3, 1 / 3, "definitif")
    # P1 (out 2024-04-01) and P2 (in 2024-03-31) registered; P8 out on 2024-03-31 is not
    assert row(floor, "part_stock_inscrit_ft", "2024-03") == (2, 4, 0.5, "definitif")
    assert row(floor, "part_stock_inscrit_ft", "2024-02") == (2, 4, 0.5, "definitif")  # P1 and P8
    assert row(floor, "part_accompagnement_intensif", "2024-03") == (1, 4, 0.25, "definitif")
    # 2024-04: P4 back, its 2023 orientation closed by the radiation, its new one not yet dated
    assert row(floor, "beneficiaires_orientes", "2024-04") == (3, None, 3.0, "definitif")
    assert row(floor, "beneficiaires_en_attente_orientation", "2024-04") == (2, None, 2.0, "definitif")
    assert row(floor, "part_stock_inscrit_ft", "2024-04") == (1, 5, 0.2, "definitif")
    # 2024-05: P4, P5, P6 oriented 2024-05-10; P7 and P8 wait
    assert row(floor, "beneficiaires_orientes", "2024-05") == (6, None, 6.0, "definitif")
    assert row(floor, "part_orientes_contrat_signe", "2024-05") == (1, 6, 1 / 6, "definitif")
    # registrations delivered up to 2024-05 only
    assert row(floor, "part_stock_inscrit_ft", "2024-06")[3] == "provisoire"
    # the nation adds Q1 and Q2 of 13, whose orientations files stop at 2024-03
    assert row(floor, "beneficiaires_orientes", "2024-06", niveau="national", code="FR") == (8, None, 8.0, "provisoire")
    assert row(floor, "beneficiaires_orientes", "2024-03", niveau="national", code="FR") == (5, None, 5.0, "definitif")
    assert row(floor, "part_stock_oriente", "2024-06", niveau="bassin", code="B35A") == (6, 8, 0.75, "definitif")


def test_stock_breakdowns(floor):
    sdd = {m: row(floor, "beneficiaires_sdd", "2024-03", "sexe", m)[0] for m in ("F", "M", "inconnu")}
    assert sdd == {"F": 1, "M": 2, "inconnu": 1}
    ages = {m: row(floor, "beneficiaires_sdd", "2024-03", "tranche_age", m)[0]
            for m in ("moins_25", "25_29", "30_39", "40_49", "50_59", "60_plus", "inconnu")}
    assert ages == {"moins_25": 0, "25_29": 1, "30_39": 1, "40_49": 0, "50_59": 0, "60_plus": 1, "inconnu": 1}
    anc = {m: row(floor, "beneficiaires_sdd", "2024-03", "anciennete_droit", m)[0]
           for m in ("moins_6_mois", "6_12_mois", "12_24_mois", "24_mois_et_plus")}
    assert anc == {"moins_6_mois": 1, "6_12_mois": 1, "12_24_mois": 1, "24_mois_et_plus": 1}
    # P1's right opened 2023-12-15: + 6 months = 2024-06-15 > 2024-05-31, not > 2024-06-30
    assert row(floor, "beneficiaires_sdd", "2024-05", "anciennete_droit", "moins_6_mois")[0] == 5  # P1, P4, P5-P7
    assert row(floor, "beneficiaires_sdd", "2024-06", "anciennete_droit", "moins_6_mois")[0] == 4  # P4, P5-P7
    orr = {m: row(floor, "beneficiaires_orientes", "2024-03", "organisme_referent", m)[0]
           for m in ("FT", "CD", "ML", "CAP_EMPLOI", "CAF", "CCAS", "ASSO", "AUTRE", "non_oriente", "inconnu")}
    assert orr == {"FT": 1, "CD": 0, "ML": 0, "CAP_EMPLOI": 0, "CAF": 0, "CCAS": 1, "ASSO": 1, "AUTRE": 0,
                   "non_oriente": 0, "inconnu": 0}
    tp = {m: row(floor, "beneficiaires_orientes", "2024-03", "type_parcours", m)[0]
          for m in ("professionnel", "socio_professionnel", "social", "inconnu")}
    assert tp == {"professionnel": 2, "socio_professionnel": 1, "social": 0, "inconnu": 0}
    assert row(floor, "beneficiaires_orientes", "2024-05", "organisme_referent", "CD")[0] == 2  # P4, P5
    assert row(floor, "part_stock_oriente", "2024-03", "sexe", "M") == (1, 2, 0.5, "definitif")
    assert row(floor, "beneficiaires_en_attente_orientation", "2024-03", "sexe", "M") == (1, None, 1.0, "definitif")
    assert row(floor, "part_orientes_contrat_signe", "2024-03", "organisme_referent", "FT") == (1, 1, 1.0, "definitif")
    assert row(floor, "part_orientes_contrat_signe", "2024-03", "organisme_referent", "CD") == (0, 0, None, "definitif")
    n = floor.execute("""select count(*) from floor_indicateurs where indicateur = 'part_orientes_contrat_signe'
        and ventilation = 'sexe'""").fetchone()[0]
    assert n == 0


def test_first_appointment(floor):
    # 2024-05: P5 (37 days, within 30 days of its orientation), P6 (38 days, not), P7 (17 days, no orientation)
    assert row(floor, "nouveaux_entrants", "2024-05") == (3, None, 3.0, "definitif")
    assert row(floor, "taux_orientation_15j", "2024-05") == (2, 3, 2 / 3, "provisoire")
    assert row(floor, "taux_premier_rdv_30j", "2024-05") == (1, 2, 0.5, "provisoire")
    assert row(floor, "delai_premier_rdv_moyen_j", "2024-05") == (None, 3, 92 / 3, "provisoire")
    assert row(floor, "delai_premier_rdv_median_j", "2024-05") == (None, 3, 37.0, "provisoire")
    assert row(floor, "taux_premier_rdv_30j", "2024-05", "organisme_referent", "CD") == (1, 1, 1.0, "provisoire")
    assert row(floor, "delai_premier_rdv_moyen_j", "2024-05", "organisme_referent", "FT") == (None, 1, 38.0, "provisoire")
    assert row(floor, "taux_premier_rdv_30j", "2024-05", "organisme_referent", "non_oriente") == (0, 0, None, "provisoire")
    assert row(floor, "delai_premier_rdv_median_j", "2024-05", "organisme_referent", "non_oriente") == (None, 1, 17.0, "provisoire")
    assert row(floor, "nouveaux_entrants", "2024-05", "tranche_age", "moins_25") == (1, None, 1.0, "definitif")
    # 2024-04: P4, T0 2024-04-02, oriented 2024-05-10 (38 days), first appointment 2024-06-08 (67 days)
    assert row(floor, "nouveaux_entrants", "2024-04") == (1, None, 1.0, "definitif")
    assert row(floor, "taux_orientation_1m", "2024-04") == (0, 1, 0.0, "provisoire")
    assert row(floor, "delai_orientation_moyen_j", "2024-04") == (None, 1, 38.0, "provisoire")
    assert row(floor, "taux_premier_rdv_30j", "2024-04") == (1, 1, 1.0, "provisoire")
    assert row(floor, "delai_premier_rdv_median_j", "2024-04") == (None, 1, 67.0, "provisoire")
    assert row(floor, "taux_premier_rdv_30j", "2024-03") == (0, 0, None, "definitif")


def test_cohort_breakdowns(floor):
    # cohort 2024-05: P5 and P6 (P4 never registered); P6 hired 2024-06-01 on a 90-day CDD
    assert row(floor, "taux_retour_emploi_6m", "2024-05") == (1, 2, 0.5, "provisoire")
    assert row(floor, "taux_retour_emploi_durable_6m", "2024-05") == (0, 2, 0.0, "provisoire")
    cases = {("organisme_referent", "FT"): (1, 1), ("organisme_referent", "CD"): (0, 1),
             ("type_parcours", "social"): (1, 1), ("type_parcours", "professionnel"): (0, 1),
             ("niveau_formation", "INF_BAC"): (1, 1), ("niveau_formation", "inconnu"): (0, 1),
             ("niveau_formation", "SUP_BAC"): (0, 0), ("qpv", "non"): (1, 1), ("qpv", "oui"): (0, 1),
             ("rqth", "oui"): (1, 1), ("rqth", "inconnu"): (0, 1), ("rqth", "non"): (0, 0),
             ("sexe", "F"): (1, 1), ("tranche_age", "moins_25"): (0, 1)}
    for (v, m), nd in cases.items():
        assert row(floor, "taux_retour_emploi_6m", "2024-05", v, m)[:2] == nd, (v, m)


def test_breakdowns_add_up(floor):
    bad = floor.execute("""
        with b as (select indicateur, niveau, code_territoire, mois, ventilation,
                          sum(numerateur) as n, sum(denominateur) as d, count(distinct statut) as s, min(statut) as st
                   from floor_indicateurs where ventilation <> 'ensemble' group by all)
        select count(*) from b join floor_indicateurs as e using (indicateur, niveau, code_territoire, mois)
        where e.ventilation = 'ensemble'
          and (b.n is distinct from e.numerateur or b.d is distinct from e.denominateur or b.s <> 1 or b.st <> e.statut)
    """).fetchone()[0]
    assert bad == 0


def test_tie_rules(floor):
    # Q1's entry record: T0 and date_orientation tied, ML before an empty organisme
    assert row(floor, "nouveaux_entrants", "2024-03", code="13") == (1, None, 1.0, "definitif")
    assert row(floor, "taux_orientation_15j", "2024-03", "organisme_referent", "ML", code="13") == (1, 1, 1.0, "provisoire")
    assert row(floor, "taux_orientation_15j", "2024-03", "organisme_referent", "inconnu", code="13") == (0, 0, None, "provisoire")
    # current orientations of 13 in 2024-03: Q1 ML (tie on organisme), Q2 CD (latest notification)
    orr = {m: row(floor, "beneficiaires_orientes", "2024-03", "organisme_referent", m, code="13")[0]
           for m in ("FT", "CD", "ML", "inconnu")}
    assert orr == {"FT": 0, "CD": 1, "ML": 1, "inconnu": 0}
    assert row(floor, "beneficiaires_orientes", "2024-03", "type_parcours", "social", code="13")[0] == 2
    assert row(floor, "beneficiaires_orientes", "2024-04", code="13")[3] == "provisoire"
    # Q2's cohort record of 2024-03: the latest notification (CD, social)
    assert row(floor, "taux_retour_emploi_6m", "2024-03", code="13")[:2] == (0, 1)
    assert row(floor, "taux_retour_emploi_6m", "2024-03", "organisme_referent", "CD", code="13")[:2] == (0, 1)
    assert row(floor, "taux_retour_emploi_6m", "2024-03", "type_parcours", "social", code="13")[:2] == (0, 1)
    assert row(floor, "taux_retour_emploi_6m", "2024-03", "niveau_formation", "BAC", code="13")[:2] == (0, 1)


def pseudonymisation_only(key: str) -> duckdb.DuckDBPyConnection:
    """A connection with floor.sql's pseudonymisation statements only (the key set, nothing read)."""
    con = duckdb.connect()
    con.execute("set variable cle = ?", [key])
    for stmt in statements(FLOOR.read_text(encoding="utf-8")):
        if stmt.startswith("set variable") or "macro pseudonyme" in stmt or "macro cle_compacte" in stmt:
            con.execute(stmt)
    return con


@pytest.mark.parametrize("key", [KEY, "k" * 64, "clé longue " * 8])  # short, one block, longer than a block
def test_floor_hmac_is_the_pipelines(key):
    con = pseudonymisation_only(key)
    pseudo = Pseudonymiser(key.encode("utf-8"))
    for value in ("1850575123456", " r1 ", "R1", "F5a", "2A0123"):
        assert con.execute("select pseudonyme(?)", [value]).fetchone()[0] == pseudo.one(value), (key, value)
    # the normalisation of ingestion: trimmed and upper-cased; empty and null stay null
    assert con.execute("select pseudonyme(' r1 ') = pseudonyme('R1')").fetchone()[0] is True
    assert con.execute("select pseudonyme(''), pseudonyme('  '), pseudonyme(null)").fetchone() == (None, None, None)


def test_floor_hmac_exact_hex():
    # HMAC-SHA-256 of "R1" under the test key, from Python's hmac module (RFC 2104)
    expected = "5e14550b64a46b99fc1552a0a1d13d70e34ca12bd5abcc980eb32b0c82179cd8"
    assert hmac.new(KEY.encode(), b"R1", hashlib.sha256).hexdigest() == expected
    con = pseudonymisation_only(KEY)
    assert con.execute("select pseudonyme('R1')").fetchone()[0] == expected
    # the compact key of dbt's staging: the first 60 bits as a bigint
    assert con.execute("select cle_compacte('R1')").fetchone()[0] == int(expected[:15], 16)


def test_floor_persons_are_compact_pseudonyms(floor):
    # no identifier in clear: the floor's persons and links are the compact keys of the HMACs
    def key(value: str) -> int:
        return int(hmac.new(KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:15], 16)

    persons = {p for (p,) in floor.execute("select distinct p from caf").fetchall()}
    assert persons == {key(n) for n in ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "Q1", "Q2")}
    links = dict(floor.execute("select id_rsa, p from lien_rsa").fetchall())
    assert links[key("R3A")] == links[key("R3B")] == key("P3")
    assert dict(floor.execute("select id_ft, p from lien_ft").fetchall())[key("F6")] == key("P6")
