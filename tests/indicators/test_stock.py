"""Stock droits et devoirs : orientation en cours, attente d'orientation, inscription à France
Travail, contrat signé (pilotage.md, cas 1 et 2 ; scenario_stock).

Chiffres attendus calculés à la main à partir des personnes décrites dans scenarios.py."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

DEF, PROV = "definitif", "provisoire"
ORIENTES = "beneficiaires_orientes"
ATTENTE = "beneficiaires_en_attente_orientation"
PART_ORIENTE = "part_stock_oriente"
INSCRITS = "part_stock_inscrit_ft"
CONTRAT = "part_orientes_contrat_signe"
AUTRES_ORGANISMES = ("ML", "CAP_EMPLOI", "CAF", "CCAS", "AUTRE", "inconnu")


def effectif(n: int, statut: str = DEF) -> tuple:
    return (n, None, float(n), statut)


def test_orientation_courante_mois_par_mois(stock):
    lignes = stock.requete(
        "select nom(personne), strftime(mois, '%Y-%m'), organisme_referent, type_parcours, "
        "strftime(date_orientation, '%Y-%m-%d') from intermediate.int_orientation_courante "
        "where mois = date '2025-03-01' order by 1")
    assert lignes == [
        ("O1", "2025-03", "FT", "professionnel", "2024-02-01"),
        ("O2", "2025-03", "FT", "socio_professionnel", "2024-09-01"),  # la plus récente des deux
        ("O3", "2025-03", "FT", "professionnel", "2023-03-10"),        # 11 mois suspendu : en cours
        ("O4", "2025-03", "CD", "inconnu", "2024-06-15"),
        ("O5", "2025-03", "CD", "social", "2023-06-20"),
        ("O6", "2025-03", "ASSO", "social", "2025-03-25"),
    ]


def test_orientation_close_par_radiation(stock):
    # R1 : orienté le 2023-05-10, radié en 2024-06 : en cours jusqu'en 2024-05, plus jamais ensuite.
    mois = [m for (m,) in stock.requete(
        "select strftime(mois, '%Y-%m') from intermediate.int_orientation_courante "
        "where personne = cle('R1') order by 1")]
    assert mois[0] == "2023-05" and mois[-1] == "2024-05" and len(mois) == 13


def test_orientation_close_par_12_mois_de_suspension_puis_en_attente(stock):
    # S1 : orienté le 2023-03-10, suspendu de 2023-04 à 2024-03 (12 mois : clos en 2024-03),
    # de retour dans le stock en 2024-04 : en attente d'orientation.
    assert stock.requete(
        "select strftime(mois, '%Y-%m') from intermediate.int_orientation_courante "
        "where personne = cle('S1')") == [("2023-03",)]
    assert stock.requete(
        "select idx_cloture from intermediate.int_orientations_clotures where personne = cle('S1')") == [
        (2024 * 12 + 3,)]
    en_attente = stock.requete(
        "select count(*) from intermediate.int_beneficiaires_sdd_mois as b "
        "where b.personne = cle('S1') and b.mois >= date '2024-04-01' and not exists ("
        "select 1 from intermediate.int_orientation_courante as o "
        "where o.personne = b.personne and o.mois = b.mois)")
    assert en_attente == [(13,)]  # 2024-04 à 2025-04
    # O3 (11 mois de suspension) : son orientation n'est jamais close.
    assert stock.requete(
        "select idx_cloture from intermediate.int_orientations_clotures where personne = cle('O3')") == [(None,)]


def test_cas_1_stock_oriente_et_en_attente(stock):
    assert stock("beneficiaires_sdd", "departement", "35", "2025-03") == effectif(10)
    assert stock(ORIENTES, "departement", "35", "2025-03") == effectif(6)
    assert stock(ATTENTE, "departement", "35", "2025-03") == effectif(4)  # W1, W2, R1, S1
    assert stock(PART_ORIENTE, "departement", "35", "2025-03") == (6, 10, 0.6, DEF)
    # 2025-04 : W2, orienté le 2025-04-02, rejoint les orientés.
    assert stock(ORIENTES, "departement", "35", "2025-04") == effectif(7)
    assert stock(ATTENTE, "departement", "35", "2025-04") == effectif(3)
    assert stock(PART_ORIENTE, "departement", "35", "2025-04") == (7, 10, 0.7, DEF)
    # 2024-05, avant la radiation de R1 : O1, O2, O3, O5 et R1 orientés (O4 le sera le 2024-06-15).
    assert stock(ORIENTES, "departement", "35", "2024-05") == effectif(5)


def test_cas_1_ventilation_par_organisme_referent(stock):
    lignes = stock.ventilation(ORIENTES, "departement", "35", "2025-03", "organisme_referent")
    assert lignes["FT"] == effectif(3)
    assert lignes["CD"] == effectif(2)
    assert lignes["ASSO"] == effectif(1)
    assert lignes["non_oriente"] == effectif(0)
    for modalite in AUTRES_ORGANISMES:
        assert lignes[modalite] == effectif(0), modalite
    assert len(lignes) == 10
    assert stock.ventilation(ORIENTES, "departement", "35", "2025-03", "type_parcours") == {
        "professionnel": effectif(2), "socio_professionnel": effectif(1), "social": effectif(2),
        "inconnu": effectif(1)}


def test_ventilations_du_stock_par_sexe(stock):
    assert stock.ventilation(ORIENTES, "departement", "35", "2025-03", "sexe") == {
        "F": effectif(5), "M": effectif(1), "inconnu": effectif(0)}
    assert stock.ventilation(ATTENTE, "departement", "35", "2025-03", "sexe") == {
        "F": effectif(3), "M": effectif(1), "inconnu": effectif(0)}
    assert stock.ventilation(PART_ORIENTE, "departement", "35", "2025-03", "sexe") == {
        "F": (5, 8, 0.625, DEF), "M": (1, 2, 0.5, DEF), "inconnu": (0, 0, None, DEF)}
    assert stock.ventilation(INSCRITS, "departement", "35", "2025-03", "anciennete_droit") == {
        "moins_6_mois": (0, 0, None, DEF), "6_12_mois": (0, 0, None, DEF),
        "12_24_mois": (0, 0, None, DEF), "24_mois_et_plus": (2, 10, 0.2, DEF)}


def test_maturite_orientations_du_departement_de_chaque_personne_du_stock(stock):
    # Z1, dans le stock de 22 (orientations livrées jusqu'à 2025-01) : 22, la région et la
    # nation sont provisoires en 2025-03 ; 35 définitif.
    assert stock(ORIENTES, "departement", "22", "2025-03") == effectif(0, PROV)
    assert stock(ATTENTE, "departement", "22", "2025-03") == effectif(1, PROV)
    assert stock(PART_ORIENTE, "departement", "22", "2025-03") == (0, 1, 0.0, PROV)
    assert stock(ORIENTES, "departement", "22", "2025-01") == effectif(0)
    assert stock(ORIENTES, "national", "FR", "2025-03") == effectif(6, PROV)
    assert stock(ATTENTE, "region", "53", "2025-03") == effectif(5, PROV)
    assert stock(PART_ORIENTE, "national", "FR", "2025-03") == (6, 11, 6 / 11, PROV)
    # la ventilation a le statut de sa ligne « ensemble »
    assert stock.ventilation(ORIENTES, "national", "FR", "2025-03", "organisme_referent")["FT"] == effectif(3, PROV)
    # département sans stock : définitif, à zéro
    assert stock(ORIENTES, "departement", "13", "2025-03") == effectif(0)
    assert stock(PART_ORIENTE, "departement", "13", "2025-03") == (0, 0, None, DEF)


def test_cas_2_inscription_a_france_travail(stock):
    # O1 (inscrit sans sortie) et R1 (sorti le 2025-04-01) inscrits à la fin de 2025-03 ;
    # W1 (sorti le 2025-03-31) non.
    assert stock.requete(
        "select count(*) from intermediate.int_inscriptions where date_sortie is not null") == [(2,)]
    assert stock(INSCRITS, "departement", "35", "2025-03") == (2, 10, 0.2, DEF)
    assert stock(INSCRITS, "national", "FR", "2025-03") == (2, 11, 2 / 11, DEF)
    # 2025-04 : O1 seul ; inscriptions livrées jusqu'à 2025-03 : provisoire.
    assert stock(INSCRITS, "departement", "35", "2025-04") == (1, 10, 0.1, PROV)
    # 2024-10 : personne n'est encore inscrit sauf O1.
    assert stock(INSCRITS, "departement", "35", "2024-10") == (1, 9, 1 / 9, DEF)


def test_contrat_signe_parmi_les_orientes(stock):
    # O1 signé le 2025-03-31 (compte en 2025-03) ; O4 signé le 2025-04-01 (compte en 2025-04).
    assert stock(CONTRAT, "departement", "35", "2025-03") == (1, 6, 1 / 6, DEF)
    assert stock(CONTRAT, "departement", "35", "2025-04") == (2, 7, 2 / 7, DEF)
    # population : les orientés seulement ; Z1 (22, non orienté) ne rend pas la nation provisoire
    assert stock(CONTRAT, "national", "FR", "2025-03") == (1, 6, 1 / 6, DEF)
    assert stock(CONTRAT, "departement", "22", "2025-03") == (0, 0, None, DEF)
    lignes = stock.ventilation(CONTRAT, "departement", "35", "2025-03", "organisme_referent")
    assert lignes["FT"] == (1, 3, 1 / 3, DEF)
    assert lignes["CD"] == (0, 2, 0.0, DEF)
    assert lignes["ASSO"] == (0, 1, 0.0, DEF)
    for modalite in AUTRES_ORGANISMES + ("non_oriente",):
        assert lignes[modalite] == (0, 0, None, DEF), modalite
    assert stock.ventilation(CONTRAT, "departement", "35", "2025-03", "type_parcours") == {
        "professionnel": (1, 2, 0.5, DEF), "socio_professionnel": (0, 1, 0.0, DEF),
        "social": (0, 2, 0.0, DEF), "inconnu": (0, 1, 0.0, DEF)}
