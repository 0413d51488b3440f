"""Premier rendez-vous d'accompagnement (pilotage.md, cas 3), départage des dossiers d'entrée
et ventilations du dossier d'entrée (scenario_rdv). Chiffres attendus calculés à la main
depuis scenarios.py."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.slow

DEF, PROV = "definitif", "provisoire"
M = "2024-05"
TAUX, MOYEN, MEDIAN = "taux_premier_rdv_30j", "delai_premier_rdv_moyen_j", "delai_premier_rdv_median_j"
ORGANISMES = ("FT", "CD", "ML", "CAP_EMPLOI", "CAF", "CCAS", "ASSO", "AUTRE", "non_oriente", "inconnu")
TRANCHES = ("moins_25", "25_29", "30_39", "40_49", "50_59", "60_plus", "inconnu")


def grille(modalites: tuple[str, ...], vide: tuple, **remplies: tuple) -> dict:
    """Toutes les modalités d'une ventilation : `vide` sauf celles données."""
    return {m: remplies.get(m, vide) for m in modalites}


def test_dossier_d_entree_et_premier_rdv(rdv):
    lignes = {p: rest for p, *rest in rdv.requete(
        "select nom(personne), sexe, tranche_age, organisme_referent, date_t0, date_orientation, "
        "date_premier_rdv_accompagnement, est_premier_rdv_30j, delai_premier_rdv_j, "
        "est_dans_fenetre_premier_rdv from intermediate.int_nouveaux_entrants where mois = '2024-05-01'")}
    j = date.fromisoformat
    assert lignes == {
        # cas 3 : 10 mai + 30 jours = 9 juin ; le 8 juin compte (37 j), le 9 non (38 j)
        "R1": ["F", "25_29", "CD", j("2024-05-02"), j("2024-05-10"), j("2024-06-08"), True, 37, True],
        "R2": ["M", "moins_25", "CD", j("2024-05-02"), j("2024-05-10"), j("2024-06-09"), False, 38, True],
        # départage : CD avant ASSO à T0 et date d'orientation égaux
        "R3": ["F", "40_49", "CD", j("2024-05-03"), j("2024-05-20"), j("2024-06-30"), False, 58, True],
        "R4": ["inconnu", "inconnu", "non_oriente", None, None, None, False, None, False],
        "R5": ["M", "moins_25", "non_oriente", j("2024-05-06"), None, j("2024-05-20"), False, 14, True],
        "R6": ["F", "40_49", "inconnu", j("2024-05-02"), j("2024-05-15"), j("2025-02-02"), False, 276, False],
        "R7": ["F", "40_49", "FT", j("2024-05-02"), j("2024-06-20"), j("2025-02-01"), False, 275, True],
        "R8": ["M", "40_49", "FT", j("2024-05-10"), j("2024-05-12"), j("2024-05-20"), True, 10, True],
    }


def test_taux_premier_rdv_30j(rdv):
    # Dénominateur (orientés avant T0 + 6 mois) : R1, R2, R3, R6, R7 dans 35 ; numérateur : R1.
    # 35 a livré ses orientations jusqu'à 2025-04 ≥ M+10 = 2025-03 : définitif ; 22 (R8, compté)
    # seulement jusqu'à 2024-06 : provisoire dans 22 et au national.
    assert rdv(TAUX, "departement", "35", M) == (1, 5, 0.2, DEF)
    assert rdv(TAUX, "departement", "22", M) == (1, 1, 1.0, PROV)
    assert rdv(TAUX, "region", "53", M) == (2, 6, 2 / 6, PROV)
    assert rdv(TAUX, "national", "FR", M) == (2, 6, 2 / 6, PROV)
    # aucun nouvel entrant en 2024-06 : définitif, valeur vide
    assert rdv(TAUX, "departement", "35", "2024-06") == (0, 0, None, DEF)
    assert rdv(TAUX, "national", "FR", "2024-06") == (0, 0, None, DEF)


def test_delais_premier_rdv(rdv):
    # 35 : R1 37, R2 38, R3 58, R5 14 (non orienté), R7 275 ; R6 (T0 + 9 mois pile) et R4 exclus.
    # M+12 = 2025-05 non livré : provisoire partout.
    assert rdv(MOYEN, "departement", "35", M) == (None, 5, 422 / 5, PROV)
    assert rdv(MEDIAN, "departement", "35", M) == (None, 5, 38.0, PROV)
    # national : + R8 (10 j)
    assert rdv(MOYEN, "national", "FR", M) == (None, 6, 432 / 6, PROV)
    assert rdv(MEDIAN, "national", "FR", M) == (None, 6, 37.5, PROV)
    assert rdv(MOYEN, "departement", "22", M) == (None, 1, 10.0, PROV)
    assert rdv(MOYEN, "departement", "35", "2024-06") == (None, 0, None, DEF)


def test_ventilation_par_organisme_referent_du_dossier_d_entree(rdv):
    assert rdv.ventilation(TAUX, "departement", "35", M, "organisme_referent") == grille(
        ORGANISMES, (0, 0, None, DEF),
        CD=(1, 3, 1 / 3, DEF), FT=(0, 1, 0.0, DEF), inconnu=(0, 1, 0.0, DEF))
    assert rdv.ventilation(TAUX, "national", "FR", M, "organisme_referent") == grille(
        ORGANISMES, (0, 0, None, PROV),
        CD=(1, 3, 1 / 3, PROV), FT=(1, 2, 0.5, PROV), inconnu=(0, 1, 0.0, PROV))
    assert rdv.ventilation(MOYEN, "departement", "35", M, "organisme_referent") == grille(
        ORGANISMES, (None, 0, None, PROV),
        CD=(None, 3, 133 / 3, PROV), FT=(None, 1, 275.0, PROV), non_oriente=(None, 1, 14.0, PROV))
    assert rdv.ventilation(MEDIAN, "national", "FR", M, "organisme_referent") == grille(
        ORGANISMES, (None, 0, None, PROV),
        CD=(None, 3, 38.0, PROV), FT=(None, 2, 142.5, PROV), non_oriente=(None, 1, 14.0, PROV))
    # orientation en 15 jours du dossier d'entrée : R1, R2 (CD) et R6 (inconnu) ; R3 à 17 jours ;
    # M+4 = 2024-09 livré par 35.
    assert rdv.ventilation("taux_orientation_15j", "departement", "35", M, "organisme_referent") == grille(
        ORGANISMES, (0, 0, None, DEF),
        CD=(2, 3, 2 / 3, DEF), FT=(0, 1, 0.0, DEF), inconnu=(1, 1, 1.0, DEF), non_oriente=(0, 2, 0.0, DEF))


def test_tranches_d_age_aux_bornes(rdv):
    # R1 25 ans → 25_29 ; R2 24 ans et R5 (âge négatif) → moins_25 ; R4 sans année → inconnu.
    assert rdv.ventilation("nouveaux_entrants", "departement", "35", M, "tranche_age") == grille(
        TRANCHES, (0, None, 0.0, DEF),
        moins_25=(2, None, 2.0, DEF), **{"25_29": (1, None, 1.0, DEF)}, **{"40_49": (3, None, 3.0, DEF)},
        inconnu=(1, None, 1.0, DEF))
    assert rdv.ventilation("nouveaux_entrants", "national", "FR", M, "tranche_age") == grille(
        TRANCHES, (0, None, 0.0, DEF),
        moins_25=(2, None, 2.0, DEF), **{"25_29": (1, None, 1.0, DEF)}, **{"40_49": (4, None, 4.0, DEF)},
        inconnu=(1, None, 1.0, DEF))
    assert rdv.ventilation(MOYEN, "departement", "35", M, "tranche_age") == grille(
        TRANCHES, (None, 0, None, PROV),
        moins_25=(None, 2, 26.0, PROV), **{"25_29": (None, 1, 37.0, PROV)},
        **{"40_49": (None, 2, 166.5, PROV)})
    assert rdv.ventilation(MOYEN, "national", "FR", M, "tranche_age") == grille(
        TRANCHES, (None, 0, None, PROV),
        moins_25=(None, 2, 26.0, PROV), **{"25_29": (None, 1, 37.0, PROV)},
        **{"40_49": (None, 3, 343 / 3, PROV)})


def test_ventilation_par_sexe(rdv):
    assert rdv.ventilation(TAUX, "departement", "35", M, "sexe") == {
        "F": (1, 4, 0.25, DEF), "M": (0, 1, 0.0, DEF), "inconnu": (0, 0, None, DEF)}
    assert rdv.ventilation(TAUX, "national", "FR", M, "sexe") == {
        "F": (1, 4, 0.25, PROV), "M": (1, 2, 0.5, PROV), "inconnu": (0, 0, None, PROV)}
