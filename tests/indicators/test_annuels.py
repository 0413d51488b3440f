"""Chiffres annuels (pilotage.md, « Yearly figures », cas 5) : marts.indicateurs_annuels.

Fichiers CAF de 2023-11 à 2025-03 (mois calculés : 2023-12 à 2025-03) : l'année 2023 n'a que
décembre, 2024 est complète, 2025 s'arrête en mars (décembre pas encore calculé). Orientations
livrées : 35 jusqu'à 2025-03, 22 jusqu'à 2024-05. France Travail (inscriptions, reprises)
jusqu'à 2024-12. Pas de référentiel de bassins (arrondissements). Toutes les personnes sont des
femmes nées en 1980 (40_49 en 2024 et 2025). Chiffres attendus calculés à la main.
"""

from __future__ import annotations

import pytest

from .entrepot import Entrepot, Resultats, mois_suivants
from .scenarios import DINAN, RENNES

pytestmark = pytest.mark.slow

DEF, PROV = "definitif", "provisoire"


def scenario_annuels() -> Entrepot:
    e = Entrepot()
    e.livrer("rsa", "caf", *mois_suivants("2023-11", "2025-03"))
    e.livrer("orientations", "35", *mois_suivants("2023-11", "2025-03"))
    e.livrer("orientations", "22", *mois_suivants("2023-11", "2024-05"))
    e.livrer("inscriptions", "ft", *mois_suivants("2023-11", "2024-12"))
    e.livrer("reprises_emploi", "ft", *mois_suivants("2023-11", "2024-12"))

    # Q1 — cas 5 : entrant de 35 en 2024-02 (T0 2024-02-05, orienté le 2024-04-01 : 56 jours),
    # radié en 2024-05, de retour en 2024-09 : de nouveau entrant (T0 2024-09-03, orienté le
    # 2024-09-10 : 7 jours, dans les 15 jours).
    e.rsa_periode("2024-02", "2024-04", "Q1", RENNES)
    e.rsa("2024-05", "Q1", RENNES, "radie", versable=False)
    e.rsa_periode("2024-09", "2025-03", "Q1", RENNES)
    e.orientation("35", "2024-04", "Q1", "2024-02-05", "2024-04-01")
    e.orientation("35", "2024-09", "Q1", "2024-09-03", "2024-09-10")

    # Q2 : entrant de 35 en 2024-03, puis de 22 en 2024-06 (déménagement à Dinan) ; jamais orienté.
    e.rsa_periode("2024-03", "2024-05", "Q2", RENNES)
    e.rsa_periode("2024-06", "2025-03", "Q2", DINAN)

    # Q3 : dans le stock de 35 tout du long ; Q4 : jusqu'à 2024-11 ; Q5 : entrant de 35 en 2025-02.
    e.rsa_periode("2023-11", "2025-03", "Q3", RENNES)
    e.rsa_periode("2023-11", "2024-11", "Q4", RENNES)
    e.rsa_periode("2025-02", "2025-03", "Q5", RENNES)

    # Cohortes (hors droits et devoirs : ni stock ni entrants ; placées à Rennes).
    # Q6 : dossier le plus ancien de 2024 orienté le 2024-03-10, inscrit le 2024-10-01 (après
    # 2024-09-10 : ne qualifie pas) ; dossier du 2024-06-05 qui qualifie (avant 2024-12-05).
    e.rsa_periode("2024-01", "2024-12", "Q6", RENNES, sdd=False)
    e.orientation("35", "2024-03", "Q6", "2024-03-01", "2024-03-10")
    e.orientation("35", "2024-06", "Q6", "2024-06-01", "2024-06-05")
    e.inscription("2024-10", "Q6", "2024-10-01")
    # Q7 : orienté le 2024-04-15, inscrit le 2024-04-20, embauché en CDI le 2024-05-01.
    e.rsa_periode("2024-01", "2024-12", "Q7", RENNES, sdd=False)
    e.orientation("35", "2024-04", "Q7", "2024-04-01", "2024-04-15")
    e.inscription("2024-04", "Q7", "2024-04-20")
    e.reprise("2024-05", "Q7", "2024-05-01", "CDI")
    return e


@pytest.fixture(scope="module")
def annuels(tmp_path_factory) -> Resultats:
    return scenario_annuels().construire(tmp_path_factory.mktemp("annuels"))


def annuel(r: Resultats, indicateur: str, niveau: str, code: str, annee: int,
           ventilation: str = "ensemble", modalite: str = "ensemble") -> tuple:
    lignes = r.requete(
        "select numerateur, denominateur, valeur, statut from marts.indicateurs_annuels "
        f"where indicateur = '{indicateur}' and niveau = '{niveau}' and code_territoire = '{code}' "
        f"and annee = {annee} and ventilation = '{ventilation}' and modalite = '{modalite}'")
    assert len(lignes) == 1, (indicateur, niveau, code, annee, ventilation, modalite, lignes)
    return lignes[0]


def test_cas_5_une_fois_a_la_premiere_entree_de_l_annee(annuels):
    # mensuel : Q1 entre en 2024-02 et en 2024-09 (Q2 en 2024-03), orienté en 15 jours en septembre
    assert annuels("nouveaux_entrants", "departement", "35", "2024-02") == (1, None, 1.0, DEF)
    assert annuels("nouveaux_entrants", "departement", "35", "2024-09") == (1, None, 1.0, DEF)
    assert annuels("taux_orientation_15j", "departement", "35", "2024-09") == (1, 1, 1.0, DEF)
    # annuel : Q1 (février) et Q2 (mars) une fois chacun ; ni l'un ni l'autre orienté en 15 jours
    assert annuel(annuels, "nouveaux_entrants", "departement", "35", 2024) == (2, None, 2.0, DEF)
    assert annuel(annuels, "taux_orientation_15j", "departement", "35", 2024) == (0, 2, 0.0, DEF)
    assert annuel(annuels, "taux_orientation_1m", "departement", "35", 2024) == (0, 2, 0.0, DEF)
    # délais : seul le dossier de février de Q1 (56 jours) ; septembre (M+9 = 2025-06) pas livré
    assert annuels("delai_orientation_moyen_j", "departement", "35", "2024-09") == (None, 1, 7.0, PROV)
    assert annuel(annuels, "delai_orientation_moyen_j", "departement", "35", 2024) == (None, 1, 56.0, PROV)
    assert annuel(annuels, "delai_orientation_median_j", "departement", "35", 2024) == (None, 1, 56.0, PROV)


def test_entree_dans_deux_departements_la_meme_annee(annuels):
    rows = annuels.requete(
        "select nom(personne), departement, strftime(mois, '%Y-%m'), est_premiere_entree_annee "
        "from intermediate.int_nouveaux_entrants where personne in (cle('Q1'), cle('Q2')) order by 1, 3")
    assert rows == [("Q1", "35", "2024-02", True), ("Q1", "35", "2024-09", False),
                    ("Q2", "35", "2024-03", True), ("Q2", "22", "2024-06", True)]
    # Q2 : une fois dans 35, une fois dans 22 ; la région 53 et la France comptent Q1, Q2 (35), Q2 (22).
    # 22 n'a livré ses orientations que jusqu'à 2024-05 : son mois 2024-06 est provisoire.
    assert annuel(annuels, "nouveaux_entrants", "departement", "22", 2024) == (1, None, 1.0, PROV)
    assert annuel(annuels, "nouveaux_entrants", "region", "53", 2024) == (3, None, 3.0, PROV)
    assert annuel(annuels, "nouveaux_entrants", "national", "FR", 2024) == (3, None, 3.0, PROV)
    assert annuel(annuels, "taux_orientation_15j", "region", "53", 2024) == (0, 3, 0.0, PROV)
    # ventilations annuelles, zéros compris
    assert annuel(annuels, "nouveaux_entrants", "region", "53", 2024, "sexe", "F") == (3, None, 3.0, PROV)
    assert annuel(annuels, "nouveaux_entrants", "region", "53", 2024, "sexe", "M") == (0, None, 0.0, PROV)
    assert annuel(annuels, "nouveaux_entrants", "departement", "35", 2024, "tranche_age", "40_49") == (2, None, 2.0, DEF)
    assert annuel(annuels, "nouveaux_entrants", "departement", "35", 2024, "tranche_age", "25_29") == (0, None, 0.0, DEF)


def test_stock_copie_de_decembre_ou_du_dernier_mois_calcule(annuels):
    # 35 : novembre 2024 Q1, Q3, Q4 ; décembre 2024 Q1, Q3 ; décembre 2023 Q3, Q4 ; mars 2025 Q1, Q3, Q5
    assert annuels("beneficiaires_sdd", "departement", "35", "2024-11") == (3, None, 3.0, DEF)
    assert annuel(annuels, "beneficiaires_sdd", "departement", "35", 2024) == (2, None, 2.0, DEF)
    assert annuel(annuels, "beneficiaires_sdd", "departement", "35", 2023) == (2, None, 2.0, DEF)
    assert annuel(annuels, "beneficiaires_sdd", "departement", "35", 2025) == (3, None, 3.0, PROV)
    assert annuel(annuels, "beneficiaires_sdd", "departement", "35", 2025, "sexe", "F") == (3, None, 3.0, PROV)
    # aucun fichier d'accompagnements livré : décembre 2024 provisoire, l'année aussi
    assert annuels("part_accompagnement_intensif", "departement", "35", "2024-12") == (0, 2, 0.0, PROV)
    assert annuel(annuels, "part_accompagnement_intensif", "departement", "35", 2024) == (0, 2, 0.0, PROV)
    # flux de 2025 : Q5 entrant de 2025-02 ; décembre pas calculé : provisoire
    assert annuel(annuels, "nouveaux_entrants", "departement", "35", 2025) == (1, None, 1.0, PROV)
    # 2023 n'a que décembre, sans entrant : zéro définitif
    assert annuel(annuels, "nouveaux_entrants", "departement", "35", 2023) == (0, None, 0.0, DEF)


def test_cohorte_annuelle_au_dossier_le_plus_ancien(annuels):
    # mensuel : Q6 dans la cohorte de 2024-06 (pas de 2024-03), Q7 dans celle de 2024-04
    # (France Travail livré jusqu'à 2024-12 : définitif jusqu'à 2024-04, M+8)
    assert annuels("taux_retour_emploi_6m", "departement", "35", "2024-03") == (0, 0, None, DEF)
    assert annuels("taux_retour_emploi_6m", "departement", "35", "2024-04") == (1, 1, 1.0, DEF)
    assert annuels("taux_retour_emploi_6m", "departement", "35", "2024-06") == (0, 1, 0.0, PROV)
    # annuel : Q7 seul (le dossier le plus ancien de 2024 de Q6 ne qualifie pas) ;
    # les mois de 2024-05 à 2024-12 sont provisoires : l'année aussi
    assert annuel(annuels, "taux_retour_emploi_6m", "departement", "35", 2024) == (1, 1, 1.0, PROV)
    assert annuel(annuels, "taux_retour_emploi_durable_6m", "departement", "35", 2024) == (1, 1, 1.0, PROV)
    assert annuel(annuels, "taux_retour_emploi_6m", "national", "FR", 2024) == (1, 1, 1.0, PROV)
    rows = annuels.requete(
        "select nom(personne), strftime(mois, '%Y-%m'), est_inscrit_ft, est_premiere_cohorte_annee "
        "from intermediate.int_cohortes_orientation where personne in (cle('Q6'), cle('Q7')) order by 1, 2")
    assert rows == [("Q6", "2024-03", False, True), ("Q6", "2024-06", True, False), ("Q7", "2024-04", True, True)]


def test_grille_annuelle(annuels):
    # une ligne par indicateur × territoire × année × modalité ; les années ayant un mois calculé
    assert annuels.requete("select distinct annee from marts.indicateurs_annuels order by 1") == [
        (2023,), (2024,), (2025,)]
    # marts.indicateurs ne lit que les lignes mensuelles
    assert annuels.requete("select count(*) from marts.indicateurs where mois = date '2024-01-01' "
                           "and indicateur = 'nouveaux_entrants' and niveau = 'departement' "
                           "and code_territoire = '35' and ventilation = 'ensemble'") == [(1,)]
    assert annuels("nouveaux_entrants", "departement", "35", "2024-01") == (0, None, 0.0, DEF)
    par_annee = dict(annuels.requete(
        "select annee, count(*) from marts.indicateurs_annuels group by annee"))
    par_mois = dict(annuels.requete(
        "select extract(year from mois), count(*) / count(distinct mois) from marts.indicateurs "
        "group by extract(year from mois)"))
    assert par_annee == {a: n for a, n in par_mois.items()}
