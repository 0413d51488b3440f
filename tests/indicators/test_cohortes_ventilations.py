"""Ventilations des taux de retour à l'emploi (pilotage.md, « Breakdowns ») : dossier de cohorte
départagé, ligne CAF de placement, inscription qualifiante. Chiffres attendus calculés à la main.

Cohorte 2024-07 (fichiers CAF 2024-04 à 2024-08 ; inscriptions et reprises livrées jusqu'à
2025-03 = M+8 : définitif) :
  C1  F, née en 1999, absente des fichiers CAF après 2024-05 (placée par sa ligne de 2024-05 :
      25_29), orientée le 2024-07-10 par 35 (FT, professionnel) ; inscrite le 2024-06-01 (BAC,
      QPV, sans RQTH) ; CDI le 2024-08-01 : retour, durable.
  C2  M, né en 1990 (30_39) ; deux dossiers orientés le 2024-07-05, notification reçue le même
      jour : 22 (CD, social) et 35 (FT, professionnel) ; l'ordre des organismes retient FT (le
      département producteur aurait retenu 22). Inscrit le 2024-01-01 (INF_BAC, QPV) puis, le
      2024-06-15, sous deux id_ft : SUP_BAC, sans RQTH dans les deux, QPV dans l'une et pas dans
      l'autre → qpv inconnu. CDD de 90 jours le 2024-09-01 : retour, pas durable.
  C3  F, née en 1985 (30_39), orientée le 2024-07-20 par 35 (CD, social) ; inscrite le 2024-03-01
      (INF_BAC, hors QPV, RQTH) et le 2025-01-20 (SUP_BAC, QPV : date_orientation + 6 mois, hors
      de la fenêtre, ignorée). Pas d'embauche.
  C4  M, né en 1960 (60_plus), orienté le 2024-07-15 par 35 sans organisme ni parcours (inconnu) ;
      deux inscriptions le 2024-05-10 : BAC et vide (→ inconnu), hors QPV dans les deux, RQTH et
      vide (→ inconnu). CTT de 200 jours le 2024-10-01 : retour, durable.
  C5  F, née en 2005 (moins_25), à Dinan (22), orientée le 2024-07-03 par 22 (ASSO,
      socio_professionnel) ; inscrite le 2024-07-01 (INF_BAC, hors QPV, sans RQTH) ; CDI le
      2024-12-01 : retour, durable.
  C6  orientée le 2024-07-08 par 35, jamais inscrite : hors des taux.
"""

from __future__ import annotations

import pytest

from .entrepot import Entrepot, Resultats, mois_suivants
from .scenarios import DINAN, RENNES

pytestmark = pytest.mark.slow

DEF = "definitif"
R6, RD = "taux_retour_emploi_6m", "taux_retour_emploi_durable_6m"


def scenario_cohortes() -> Entrepot:
    e = Entrepot()
    e.livrer("rsa", "caf", *mois_suivants("2024-04", "2024-08"))
    e.livrer("orientations", "35", *mois_suivants("2024-04", "2024-08"))
    e.livrer("orientations", "22", *mois_suivants("2024-04", "2024-08"))
    e.livrer("inscriptions", "ft", *mois_suivants("2024-04", "2025-03"))
    e.livrer("reprises_emploi", "ft", *mois_suivants("2024-04", "2025-03"))

    e.rsa_periode("2024-04", "2024-05", "C1", RENNES, sexe="F", annee_naissance=1999)
    e.orientation("35", "2024-07", "C1", "2024-06-20", "2024-07-10", organisme="FT", parcours="professionnel")
    e.inscription("2024-06", "C1", "2024-06-01", niveau_formation="BAC", qpv=True, rqth=False)
    e.reprise("2024-08", "C1", "2024-08-01", "CDI")

    e.rsa_periode("2024-04", "2024-08", "C2", RENNES, sexe="M", annee_naissance=1990)
    e.orientation("22", "2024-07", "C2", "2024-06-25", "2024-07-05", organisme="CD", parcours="social")
    e.orientation("35", "2024-07", "C2", "2024-06-25", "2024-07-05", organisme="FT", parcours="professionnel")
    e.inscription("2024-04", "C2", "2024-01-01", niveau_formation="INF_BAC", qpv=True, rqth=False)
    e.inscription("2024-06", "C2", "2024-06-15", id_ft="F-C2-a", niveau_formation="SUP_BAC", qpv=True, rqth=False)
    e.inscription("2024-06", "C2", "2024-06-15", id_ft="F-C2-b", niveau_formation="SUP_BAC", qpv=False, rqth=False)
    e.reprise("2024-09", "C2", "2024-09-01", "CDD", 90)

    e.rsa_periode("2024-04", "2024-08", "C3", RENNES, sexe="F", annee_naissance=1985)
    e.orientation("35", "2024-07", "C3", "2024-07-01", "2024-07-20", organisme="CD", parcours="social")
    e.inscription("2024-04", "C3", "2024-03-01", niveau_formation="INF_BAC", qpv=False, rqth=True)
    e.inscription("2025-01", "C3", "2025-01-20", id_ft="F-C3-b", niveau_formation="SUP_BAC", qpv=True, rqth=False)

    e.rsa_periode("2024-04", "2024-08", "C4", RENNES, sexe="M", annee_naissance=1960)
    e.orientation("35", "2024-07", "C4", "2024-07-01", "2024-07-15", organisme=None, parcours=None)
    e.inscription("2024-05", "C4", "2024-05-10", niveau_formation="BAC", qpv=False, rqth=True)
    e.inscription("2024-05", "C4", "2024-05-10", id_ft="F-C4-b", niveau_formation=None, qpv=False, rqth=None)
    e.reprise("2024-10", "C4", "2024-10-01", "CTT", 200)

    e.rsa_periode("2024-04", "2024-08", "C5", DINAN, sexe="F", annee_naissance=2005)
    e.orientation("22", "2024-07", "C5", "2024-06-28", "2024-07-03", organisme="ASSO", parcours="socio_professionnel")
    e.inscription("2024-07", "C5", "2024-07-01", niveau_formation="INF_BAC", qpv=False, rqth=False)
    e.reprise("2024-12", "C5", "2024-12-01", "CDI")

    e.rsa_periode("2024-04", "2024-08", "C6", RENNES)
    e.orientation("35", "2024-07", "C6", "2024-07-01", "2024-07-08")
    return e


@pytest.fixture(scope="module")
def cohortes(tmp_path_factory) -> Resultats:
    return scenario_cohortes().construire(tmp_path_factory.mktemp("cohortes"))


def test_dossier_de_cohorte_et_inscription_qualifiante(cohortes):
    dossiers = cohortes.requete(
        "select nom(personne), departement_orientation, sexe, tranche_age, organisme_referent, type_parcours, "
        "est_inscrit_ft from intermediate.int_cohortes_orientation where mois = '2024-07-01' order by 1")
    assert dossiers == [
        ("C1", "35", "F", "25_29", "FT", "professionnel", True),
        ("C2", "35", "M", "30_39", "FT", "professionnel", True),
        ("C3", "35", "F", "30_39", "CD", "social", True),
        ("C4", "35", "M", "60_plus", "inconnu", "inconnu", True),
        ("C5", "22", "F", "moins_25", "ASSO", "socio_professionnel", True),
        ("C6", "35", "F", "40_49", "FT", "professionnel", False),
    ]
    qualifiantes = cohortes.requete(
        "select nom(personne), strftime(date_inscription, '%Y-%m-%d'), niveau_formation, qpv, rqth "
        "from intermediate.int_cohortes_inscription_qualifiante where mois = '2024-07-01' order by 1")
    assert qualifiantes == [
        ("C1", "2024-06-01", "BAC", "oui", "non"),
        ("C2", "2024-06-15", "SUP_BAC", "inconnu", "non"),
        ("C3", "2024-03-01", "INF_BAC", "non", "oui"),
        ("C4", "2024-05-10", "inconnu", "non", "inconnu"),
        ("C5", "2024-07-01", "INF_BAC", "non", "non"),
    ]


def test_ensemble(cohortes):
    assert cohortes(R6, "departement", "35", "2024-07") == (3, 4, 0.75, DEF)
    assert cohortes(RD, "departement", "35", "2024-07") == (2, 4, 0.5, DEF)
    assert cohortes(R6, "departement", "22", "2024-07") == (1, 1, 1.0, DEF)
    assert cohortes(R6, "national", "FR", "2024-07") == (4, 5, 0.8, DEF)
    assert cohortes(RD, "national", "FR", "2024-07") == (3, 5, 0.6, DEF)


# (numérateur 6 mois, numérateur durable, dénominateur) par modalité, département 35
ATTENDU_35 = {
    "sexe": {"F": (1, 1, 2), "M": (2, 1, 2), "inconnu": (0, 0, 0)},
    "tranche_age": {"moins_25": (0, 0, 0), "25_29": (1, 1, 1), "30_39": (1, 0, 2), "40_49": (0, 0, 0),
                    "50_59": (0, 0, 0), "60_plus": (1, 1, 1), "inconnu": (0, 0, 0)},
    "organisme_referent": {"FT": (2, 1, 2), "CD": (0, 0, 1), "ML": (0, 0, 0), "CAP_EMPLOI": (0, 0, 0),
                           "CAF": (0, 0, 0), "CCAS": (0, 0, 0), "ASSO": (0, 0, 0), "AUTRE": (0, 0, 0),
                           "non_oriente": (0, 0, 0), "inconnu": (1, 1, 1)},
    "type_parcours": {"professionnel": (2, 1, 2), "socio_professionnel": (0, 0, 0), "social": (0, 0, 1),
                      "inconnu": (1, 1, 1)},
    "niveau_formation": {"INF_BAC": (0, 0, 1), "BAC": (1, 1, 1), "SUP_BAC": (1, 0, 1), "inconnu": (1, 1, 1)},
    "qpv": {"oui": (1, 1, 1), "non": (1, 1, 2), "inconnu": (1, 0, 1)},
    "rqth": {"oui": (0, 0, 1), "non": (2, 1, 2), "inconnu": (1, 1, 1)},
}

# C5 (Dinan) s'ajoute au national : F, moins_25, ASSO, socio_professionnel, INF_BAC, non, non.
C5 = {"sexe": "F", "tranche_age": "moins_25", "organisme_referent": "ASSO",
      "type_parcours": "socio_professionnel", "niveau_formation": "INF_BAC", "qpv": "non", "rqth": "non"}


def _attendu_national() -> dict:
    national = {v: dict(m) for v, m in ATTENDU_35.items()}
    for v, m in C5.items():
        n6, nd, den = national[v][m]
        national[v][m] = (n6 + 1, nd + 1, den + 1)
    return national


@pytest.mark.parametrize("niveau,code,attendu", [
    ("departement", "35", ATTENDU_35), ("national", "FR", _attendu_national())])
def test_ventilations(cohortes, niveau, code, attendu):
    for ventilation, modalites in attendu.items():
        six = cohortes.ventilation(R6, niveau, code, "2024-07", ventilation)
        durable = cohortes.ventilation(RD, niveau, code, "2024-07", ventilation)
        assert six == {m: (n6, den, n6 / den if den else None, DEF)
                       for m, (n6, _, den) in modalites.items()}, ventilation
        assert durable == {m: (nd, den, nd / den if den else None, DEF)
                           for m, (_, nd, den) in modalites.items()}, ventilation


def test_chiffres_exacts_du_national(cohortes):
    # quelques lignes écrites en toutes lettres (le calcul du test ci-dessus ne les masque pas)
    assert cohortes.ventilation(R6, "national", "FR", "2024-07", "qpv") == {
        "oui": (1, 1, 1.0, DEF), "non": (2, 3, 2 / 3, DEF), "inconnu": (1, 1, 1.0, DEF)}
    assert cohortes.ventilation(RD, "national", "FR", "2024-07", "organisme_referent")["FT"] == (1, 2, 0.5, DEF)
    assert cohortes.ventilation(RD, "national", "FR", "2024-07", "tranche_age")["moins_25"] == (1, 1, 1.0, DEF)


def test_rqth_jamais_dans_les_faits_individuels(cohortes):
    colonnes = {c for (c,) in cohortes.requete(
        "select column_name from information_schema.columns "
        "where table_schema = 'marts' and table_name = 'fct_personnes_mois'")}
    assert "rqth" not in colonnes and "qpv" not in colonnes and "niveau_formation" not in colonnes
    cohorte = {c for (c,) in cohortes.requete(
        "select column_name from information_schema.columns "
        "where table_schema = 'intermediate' and table_name = 'int_cohortes_orientation'")}
    assert "rqth" not in cohorte
