"""Orientation des nouveaux entrants, accompagnement intensif, retour à l'emploi et maturités
(scenario_emploi). Chiffres attendus calculés à la main depuis scenarios.py."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

DEF, PROV = "definitif", "provisoire"
NIVEAUX_35 = (("departement", "35"), ("bassin", "B_RENNES"), ("region", "53"), ("national", "FR"))


def test_cohorte_2024_03_cas_1_9_10(emploi):
    # Entrants de 2024-03 : B1 (14 j), B2 (15 j), B3 (7 j, T0 en février), B4 (hors fenêtre),
    # B5 (183 j), B6 (sans dossier), B7 (dossier d'entrée en attente) — tous à Rennes.
    for niveau, code in NIVEAUX_35:
        assert emploi("nouveaux_entrants", niveau, code, "2024-03") == (7, None, 7.0, DEF)
        assert emploi("taux_orientation_15j", niveau, code, "2024-03") == (2, 7, 2 / 7, DEF)
        assert emploi("taux_orientation_1m", niveau, code, "2024-03") == (3, 7, 3 / 7, DEF)
        # délais : M+9 = 2024-12, orientations livrées jusqu'à 2024-10 → provisoire
        assert emploi("delai_orientation_moyen_j", niveau, code, "2024-03") == (None, 4, 54.75, PROV)
        assert emploi("delai_orientation_median_j", niveau, code, "2024-03") == (None, 4, 14.5, PROV)


def test_entree_et_t0(emploi):
    lignes = {p: rest for p, *rest in emploi.requete(
        "select nom(personne), strftime(date_t0, '%Y-%m-%d'), strftime(date_orientation, '%Y-%m-%d'), "
        "delai_orientation_j, est_oriente_15j, est_oriente_1m, est_dans_fenetre_delai "
        "from intermediate.int_nouveaux_entrants where mois = '2024-03-01'")}
    assert lignes == {
        "B1": ["2024-03-01", "2024-03-15", 14, True, True, True],
        "B2": ["2024-03-01", "2024-03-16", 15, False, True, True],
        "B3": ["2024-02-20", "2024-02-27", 7, True, True, True],
        "B4": ["2024-03-05", "2024-09-05", 184, False, False, False],
        "B5": ["2024-03-05", "2024-09-04", 183, False, False, True],
        "B6": [None, None, None, False, False, False],
        "B7": ["2024-03-20", None, None, False, False, False],
    }


def test_cas_2_un_mois_calendaire(emploi):
    # B8 orienté le 2024-02-28, B9 le 2024-02-29, T0 2024-01-31 (+ 1 mois = 2024-02-29).
    for niveau, code in NIVEAUX_35:
        assert emploi("taux_orientation_1m", niveau, code, "2024-01") == (1, 2, 0.5, DEF)
        assert emploi("taux_orientation_15j", niveau, code, "2024-01") == (0, 2, 0.0, DEF)
        # M+9 = 2024-10 livré → définitif
        assert emploi("delai_orientation_moyen_j", niveau, code, "2024-01") == (None, 2, 28.5, DEF)
        assert emploi("delai_orientation_median_j", niveau, code, "2024-01") == (None, 2, 28.5, DEF)


def test_maturite_des_taux_d_orientation(emploi):
    # 2024-07 : M+4 = 2024-11 non livré, mais aucun entrant dans 35 → définitif.
    assert emploi("taux_orientation_15j", "departement", "35", "2024-07") == (0, 0, None, DEF)
    # Entrants de 13 (jamais livré d'orientations) : B15 en 2024-04, B16 en 2024-05.
    assert emploi("nouveaux_entrants", "departement", "13", "2024-04") == (1, None, 1.0, PROV)
    assert emploi("taux_orientation_15j", "departement", "13", "2024-05") == (0, 1, 0.0, PROV)
    assert emploi("delai_orientation_moyen_j", "departement", "13", "2024-05") == (None, 0, None, PROV)
    assert emploi("taux_orientation_15j", "national", "FR", "2024-05") == (0, 1, 0.0, PROV)


def test_cas_11_accompagnement_intensif(emploi):
    for niveau, code in (("departement", "35"), ("bassin", "B_RENNES"), ("region", "53")):
        assert emploi("part_accompagnement_intensif", niveau, code, "2024-05") == (6, 100, 0.06, DEF)
        assert emploi("beneficiaires_sdd", niveau, code, "2024-05") == (100, None, 100.0, DEF)
    # La nation compte aussi B15 et B16 (13) ; 13 n'a jamais livré d'accompagnements → provisoire.
    assert emploi("part_accompagnement_intensif", "national", "FR", "2024-05") == (6, 102, 6 / 102, PROV)
    assert emploi("part_accompagnement_intensif", "departement", "13", "2024-05") == (0, 2, 0.0, PROV)
    # Population vide : définitif, valeur vide.
    assert emploi("part_accompagnement_intensif", "departement", "22", "2024-05") == (0, 0, None, DEF)
    # 2024-06 : France Travail n'a livré ses accompagnements que jusqu'à 2024-05 → provisoire ;
    # l'épisode INTENSIF commencé le 2024-06-01 court, celui fini le 2024-05-31 non.
    assert emploi("part_accompagnement_intensif", "departement", "35", "2024-06") == (7, 100, 0.07, PROV)


def test_cas_7_retour_a_l_emploi(emploi):
    # Cohorte 2024-01 : B10 (CDD 90 j le 2024-07-09 : oui, pas durable), B11 (CDI le 2024-07-10 :
    # hors fenêtre), B12 (jamais inscrit : hors calcul), B13 (CDD 200 j : durable), B14 (CTT sans
    # durée : pas durable). Reprises livrées jusqu'à 2024-10, inscriptions jusqu'à 2024-09 :
    # M+8 = 2024-09 → définitif.
    for niveau, code in NIVEAUX_35:
        assert emploi("taux_retour_emploi_6m", niveau, code, "2024-01") == (3, 4, 0.75, DEF)
        assert emploi("taux_retour_emploi_durable_6m", niveau, code, "2024-01") == (1, 4, 0.25, DEF)
    lignes = emploi.requete(
        "select nom(personne), est_inscrit_ft, a_repris_emploi_6m, a_repris_emploi_durable_6m "
        "from intermediate.int_cohortes_orientation where mois = '2024-01-01' order by 1")
    assert lignes == [("B10", True, True, False), ("B11", True, False, False), ("B12", False, False, False),
                      ("B13", True, True, True), ("B14", True, True, False)]
    assert emploi.requete(
        "select numerateur, denominateur, part from marts.fct_liaison where mesure = 'orientes_non_inscrits_ft' "
        "and producteur = '35' and mois = '2024-01-01'") == [(1, 5, 0.2)]


def test_placement_des_cohortes_et_maturite_france_travail(emploi):
    # Cohorte 2024-02 : B15 placé par sa dernière ligne CAF avant (22), B16 par la première après (13).
    # M+8 = 2024-10 : inscriptions livrées jusqu'à 2024-09 seulement → provisoire partout.
    attendus = {("departement", "22"): (1, 1, 1.0), ("region", "53"): (1, 1, 1.0),
                ("bassin", "HR22"): (1, 1, 1.0), ("departement", "13"): (0, 1, 0.0),
                ("region", "93"): (0, 1, 0.0), ("national", "FR"): (1, 2, 0.5),
                ("departement", "35"): (0, 0, None)}
    for (niveau, code), chiffres in attendus.items():
        assert emploi("taux_retour_emploi_6m", niveau, code, "2024-02") == (*chiffres, PROV), code
        assert emploi("taux_retour_emploi_durable_6m", niveau, code, "2024-02") == (*chiffres, PROV), code
    # Cohorte vide : la règle France Travail s'applique quand même.
    assert emploi("taux_retour_emploi_6m", "departement", "35", "2024-12") == (0, 0, None, PROV)
    assert emploi("taux_retour_emploi_6m", "departement", "22", "2024-01") == (0, 0, None, DEF)


def test_beneficiaires_toujours_definitifs(emploi):
    statuts = emploi.requete(
        "select distinct statut from marts.indicateurs where indicateur = 'beneficiaires_sdd'")
    assert statuts == [(DEF,)]
    assert emploi("beneficiaires_sdd", "national", "FR", "2024-12") == (100, None, 100.0, DEF)


def test_liaison_france_travail(emploi):
    rows = dict(((t, p, m), (n, d)) for t, p, m, n, d in emploi.requete(
        "select type_fichier, producteur, strftime(mois, '%Y-%m'), numerateur, denominateur "
        "from marts.fct_liaison where mesure = 'enregistrements_non_lies'"))
    assert rows[("accompagnements", "ft", "2024-05")] == (1, 3)    # id_ft inconnu
    assert rows[("reprises_emploi", "ft", "2024-02")] == (1, 2)    # B12 jamais inscrit
    assert rows[("orientations", "35", "2024-03")] == (1, 6)       # INCONNU ; B1, B2, B4, B5, B7 rattachés
