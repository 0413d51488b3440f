"""Entrées dans le champ des droits et devoirs, territoires et livraisons (scenario_parcours).

Chiffres attendus calculés à la main à partir des personnes décrites dans scenarios.py.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

DEF, PROV = "definitif", "provisoire"
NE = "nouveaux_entrants"


def effectif(n: int, statut: str = DEF) -> tuple:
    return (n, None, float(n), statut)


def test_nouveaux_entrants_mois_par_mois(parcours):
    # Département 35 : PA12 (2023-05), PA2 et PA7 (2024-01), PA11 (2024-02), PA7 (2024-03),
    # PA6 (2024-05, cas 5), PA2 et PA4 (2024-06, cas 8 et cas 4 à 12 mois), PA3 (2024-07, cas 4 à 13 mois).
    attendus_35 = {"2023-05": 1, "2023-06": 0, "2023-12": 0, "2024-01": 2, "2024-02": 1, "2024-03": 1,
                   "2024-04": 0, "2024-05": 1, "2024-06": 2, "2024-07": 1, "2024-08": 0}
    for mois, n in attendus_35.items():
        assert parcours(NE, "departement", "35", mois) == effectif(n), mois
    attendus_fr = {"2023-05": (1, DEF), "2024-01": (2, DEF), "2024-02": (2, DEF), "2024-03": (2, PROV),
                   "2024-04": (1, PROV), "2024-05": (1, DEF), "2024-06": (2, DEF), "2024-07": (1, DEF),
                   "2024-08": (0, DEF)}
    for mois, (n, statut) in attendus_fr.items():
        assert parcours(NE, "national", "FR", mois) == effectif(n, statut), mois


def test_cas_3_present_deux_mois_pas_entrant(parcours):
    rows = parcours.requete("select nom(personne) from intermediate.int_entrees_sdd where personne in (cle('PA1'), cle('PA13'))")
    assert rows == []


def test_cas_4_suspension_13_12_11_mois(parcours):
    entrees = dict(parcours.requete(
        "select nom(personne), strftime(mois, '%Y-%m') from intermediate.int_entrees_sdd "
        "where personne in (cle('PA3'), cle('PA4'), cle('PA5'))"))
    assert entrees == {"PA3": "2024-07", "PA4": "2024-06"}  # PA5 (11 mois) : suivi en attente


def test_cas_5_radiation_puis_retour(parcours):
    assert parcours.requete(
        "select strftime(mois, '%Y-%m') from intermediate.int_entrees_sdd where personne = cle('PA6')") == [("2024-05",)]


def test_cas_6_sortie_du_champ_un_mois(parcours):
    # PA7 : suivi de 2022 clos par la radiation de 2023 → entrant en 2024-01 (retour) et 2024-03.
    # PA8 : notifié et orienté en 2024-01, suivi ouvert → pas entrant en 2024-03.
    rows = parcours.requete(
        "select nom(personne), strftime(mois, '%Y-%m') from intermediate.int_entrees_sdd "
        "where personne in (cle('PA7'), cle('PA8')) order by 1, 2")
    assert rows == [("PA7", "2024-01"), ("PA7", "2024-03")]


def test_cas_8_demenagements(parcours):
    rows = parcours.requete(
        "select departement, strftime(mois, '%Y-%m') from intermediate.int_entrees_sdd "
        "where personne = cle('PA2') order by 2")
    assert rows == [("35", "2024-01"), ("13", "2024-04"), ("35", "2024-06")]
    # 2024-04 : entrant de 13, compté dans 13, sa région (93), son bassin et la nation ;
    # 13 n'a livré ses orientations que jusqu'à 2024-03 : provisoire.
    for niveau, code in (("departement", "13"), ("region", "93"), ("bassin", "B_MARS"), ("national", "FR")):
        assert parcours(NE, niveau, code, "2024-04") == effectif(1, PROV), code
    assert parcours(NE, "departement", "35", "2024-04") == effectif(0)
    assert parcours(NE, "departement", "13", "2024-05") == effectif(0)
    assert parcours(NE, "departement", "35", "2024-05") == effectif(1)  # PA6 seul, pas PA2


def test_departement_sans_orientations_livrees(parcours):
    # PA9, entrant de 56 (jamais livré d'orientations) en 2024-03 : compté, non orienté, provisoire.
    for niveau, code, n in (("departement", "56", 1), ("bassin", "HR56", 1), ("region", "53", 2),
                            ("national", "FR", 2)):
        assert parcours(NE, niveau, code, "2024-03") == effectif(n, PROV), code
        assert parcours("taux_orientation_15j", niveau, code, "2024-03") == (0, n, 0.0, PROV), code
        assert parcours("taux_orientation_1m", niveau, code, "2024-03") == (0, n, 0.0, PROV), code
    # 35 seul en 2024-03 (PA7) : définitif.
    assert parcours(NE, "departement", "35", "2024-03") == effectif(1)
    assert parcours(NE, "bassin", "B_RENNES", "2024-03") == effectif(1)
    # 56 sans nouvel entrant : définitif.
    assert parcours(NE, "departement", "56", "2024-04") == effectif(0)


def test_bassin_a_cheval_sur_deux_departements(parcours):
    # 2024-02 : PA10 (Dinan, 22) et PA11 (Saint-Malo, 35), tous deux dans B_RANCE en 2024.
    assert parcours(NE, "bassin", "B_RANCE", "2024-02") == effectif(2)
    assert parcours(NE, "departement", "22", "2024-02") == effectif(1)
    assert parcours(NE, "departement", "35", "2024-02") == effectif(1)
    assert parcours(NE, "region", "53", "2024-02") == effectif(2)
    assert parcours(NE, "bassin", "B_RENNES", "2024-02") == effectif(0)
    # Taux : 22 n'a pas livré d'orientations pour 2024-06 (M+4) → provisoire là où un entrant de 22 compte.
    assert parcours("taux_orientation_15j", "bassin", "B_RANCE", "2024-02") == (0, 2, 0.0, PROV)
    assert parcours("taux_orientation_15j", "departement", "22", "2024-02") == (0, 1, 0.0, PROV)
    assert parcours("taux_orientation_15j", "departement", "35", "2024-02") == (0, 1, 0.0, DEF)
    assert parcours("taux_orientation_15j", "region", "53", "2024-02") == (0, 2, 0.0, PROV)
    # Le bassin est dans dim_territoires sans département unique, avec ses deux appartenances.
    assert parcours.requete(
        "select libelle_territoire, code_region, code_departement, est_substitut_arrondissement "
        "from marts.dim_territoires where niveau = 'bassin' and code_territoire = 'B_RANCE'"
    ) == [("Rance – Émeraude", "53", None, False)]
    assert parcours.requete(
        "select code_departement, code_region, annee_referentiel, nb_communes "
        "from marts.dim_territoires_appartenance where niveau = 'bassin' and code_territoire = 'B_RANCE' "
        "order by 1") == [("22", "53", 2024, 1), ("35", "53", 2024, 1)]


def test_regle_de_l_annee_du_referentiel(parcours):
    # Saint-Malo : B_MALO selon le référentiel 2023 (mois de 2023), B_RANCE selon celui de 2024.
    assert parcours(NE, "bassin", "B_MALO", "2023-05") == effectif(1)
    assert parcours("beneficiaires_sdd", "bassin", "B_MALO", "2023-05") == effectif(1)
    assert ("beneficiaires_sdd", "bassin", "B_MALO", "2024-02") not in parcours.figures
    assert ("beneficiaires_sdd", "bassin", "B_RANCE", "2023-05") not in parcours.figures
    assert parcours("beneficiaires_sdd", "bassin", "B_DINAN", "2023-05") == effectif(0)
    # Bassins « hors référentiel » : une ligne par mois, zéros compris.
    assert parcours("beneficiaires_sdd", "bassin", "HR35", "2024-04") == effectif(0)
    assert parcours("beneficiaires_sdd", "bassin", "HR56", "2024-04") == effectif(1)


def test_beneficiaires_sdd_et_livraison_corrigee(parcours):
    # 2024-04 : la livraison CAF courante dit PA13 ouvert (l'ancienne, remplacée, le disait suspendu).
    attendus = {("departement", "35"): 5, ("bassin", "B_RENNES"): 4, ("bassin", "B_RANCE"): 2,
                ("departement", "22"): 1, ("departement", "56"): 1, ("departement", "13"): 1,
                ("region", "53"): 7, ("region", "93"): 1, ("national", "FR"): 8,
                ("departement", "75"): 0, ("region", "11"): 0}
    for (niveau, code), n in attendus.items():
        assert parcours("beneficiaires_sdd", niveau, code, "2024-04") == effectif(n), code
    assert parcours("beneficiaires_sdd", "departement", "35", "2023-05") == effectif(9)
    assert parcours("beneficiaires_sdd", "bassin", "B_RENNES", "2023-05") == effectif(8)
    assert parcours("beneficiaires_sdd", "national", "FR", "2024-07") == effectif(12)
    assert parcours("beneficiaires_sdd", "departement", "35", "2024-07") == effectif(10)


def test_orientation_des_entrants_et_maturites(parcours):
    # 35, 2024-01 : PA2 (T0 2024-01-05, orienté le 2024-02-10 : 36 jours) et PA7 (sans dossier).
    assert parcours("taux_orientation_15j", "departement", "35", "2024-01") == (0, 2, 0.0, DEF)
    assert parcours("taux_orientation_1m", "departement", "35", "2024-01") == (0, 2, 0.0, DEF)
    # Délais : M+9 = 2024-10, orientations de 35 livrées jusqu'à 2024-08 → provisoire.
    assert parcours("delai_orientation_moyen_j", "departement", "35", "2024-01") == (None, 1, 36.0, PROV)
    assert parcours("delai_orientation_median_j", "departement", "35", "2024-01") == (None, 1, 36.0, PROV)
    # 35, 2023-05 : PA12 sans dossier ; M+9 = 2024-02 livré → définitif, valeur vide.
    assert parcours("delai_orientation_moyen_j", "departement", "35", "2023-05") == (None, 0, None, DEF)
    # 35, 2024-06 : M+4 = 2024-10 pas livré → provisoire.
    assert parcours("taux_orientation_15j", "departement", "35", "2024-06") == (0, 2, 0.0, PROV)
    # Aucun entrant : définitif, valeur vide.
    assert parcours("taux_orientation_15j", "departement", "35", "2024-08") == (0, 0, None, DEF)


def test_grille_complete(parcours):
    # 16 mois calculés ; 120 territoires COG ; 105 bassins en 2023 (4 + 101 HR), 104 en 2024 (3 + 101 HR).
    assert len(parcours.figures) == 17 * (8 * (120 + 105) + 8 * (120 + 104))
    assert parcours.requete("select count(distinct strftime(mois, '%Y-%m')) from marts.indicateurs") == [(16,)]
    assert parcours.requete(
        "select min(mois), max(mois) from marts.indicateurs")[0] == (
        __import__("datetime").date(2023, 5, 1), __import__("datetime").date(2024, 8, 1))
    # chaque indicateur a exactement sa ligne « ensemble » et les modalités de ses ventilations gouvernées
    assert parcours.requete("""
        select count(*) from (
            (select distinct indicateur, ventilation, modalite from marts.indicateurs
             except
             (select indicateur, 'ensemble', 'ensemble' from seeds.indicateurs_definitions
              union all
              select iv.indicateur, v.ventilation, v.modalite
              from seeds.indicateurs_ventilations as iv
              inner join seeds.ventilations as v on v.ventilation = iv.ventilation))
            union all
            (select iv.indicateur, v.ventilation, v.modalite
             from seeds.indicateurs_ventilations as iv
             inner join seeds.ventilations as v on v.ventilation = iv.ventilation
             except
             select distinct indicateur, ventilation, modalite from marts.indicateurs)
        )""") == [(0,)]
    assert parcours.requete(
        "select count(*) from marts.indicateurs where indicateur = 'beneficiaires_sdd' and niveau = 'bassin' "
        "and mois = '2024-08-01'") == [(104 * (1 + 3 + 7 + 4),)]


def test_types_de_la_table_de_sortie(parcours):
    types = dict(parcours.requete(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and table_name = 'indicateurs'"))
    assert types == {"indicateur": "VARCHAR", "niveau": "VARCHAR", "code_territoire": "VARCHAR",
                     "mois": "DATE", "ventilation": "VARCHAR", "modalite": "VARCHAR",
                     "numerateur": "BIGINT", "denominateur": "BIGINT", "valeur": "DOUBLE",
                     "statut": "VARCHAR"}


def test_marts_de_qualite(parcours):
    # Dossier non rattaché dans le fichier d'orientations 35 de 2024-03.
    assert parcours.requete(
        "select numerateur, denominateur, part from marts.fct_liaison where mesure = 'enregistrements_non_lies' "
        "and type_fichier = 'orientations' and producteur = '35' and mois = '2024-03-01'") == [(1, 1, 1.0)]
    assert parcours.requete(
        "select numerateur, denominateur from marts.fct_liaison where mesure = 'enregistrements_non_lies' "
        "and type_fichier = 'orientations' and producteur = '35' and mois = '2023-05-01'") == [(0, 4)]
    # Livraisons manquantes : 56 tous les mois calculés, 13 après 2024-03, 22 en 2024-06 (rejeté) et après.
    manquantes = dict(parcours.requete(
        "select producteur, count(*) from marts.fct_livraisons_manquantes "
        "where type_fichier = 'orientations' and producteur in ('13', '22', '35', '56') group by 1"))
    assert manquantes == {"56": 16, "13": 5, "22": 5}
    assert parcours.requete(
        "select nb_livraisons_rejetees from marts.fct_livraisons_manquantes "
        "where type_fichier = 'orientations' and producteur = '22' and mois = '2024-06-01'") == [(1,)]
    assert parcours.requete(
        "select count(*) from marts.fct_livraisons_manquantes where type_fichier = 'rsa'") == [(0,)]
    # Registre sans chemin ; la livraison CAF remplacée y figure, non courante.
    colonnes = [c for (c,) in parcours.requete(
        "select column_name from information_schema.columns "
        "where table_schema = 'marts' and table_name = 'fct_livraisons'")]
    assert "chemin" not in colonnes
    assert parcours.requete(
        "select count(*), sum(case when est_courante then 1 else 0 end) from marts.fct_livraisons "
        "where type_fichier = 'rsa' and mois = '2024-04-01'") == [(2, 1)]
    # Référentiels de bassins : 4 communes listées sur 34 875, le reste en HR ; Rennes deux fois en 2024.
    assert parcours.requete(
        "select annee_referentiel, nb_communes_cog, nb_communes_hors_referentiel, nb_communes_en_double, "
        "nb_bassins from marts.fct_referentiel_bassins order by 1") == [
        (2023, 34875, 34871, 0, 105), (2024, 34875, 34871, 1, 104)]
