"""Sans référentiel de bassins, et avec un fichier CAF jamais livré (scenario_substitut)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

DEF, PROV = "definitif", "provisoire"
NE = "nouveaux_entrants"


def test_arrondissements_tiennent_lieu_de_bassins(substitut):
    rows = substitut.requete(
        "select code_territoire, libelle_territoire, code_departement, est_substitut_arrondissement "
        "from marts.dim_territoires where niveau = 'bassin' and code_territoire in ('353', '2A1', 'HR976') "
        "order by 1")
    assert rows == [("2A1", "Ajaccio (arrondissement)", "2A", True),
                    ("353", "Rennes (arrondissement)", "35", True),
                    ("HR976", "Hors référentiel – Mayotte", "976", True)]
    assert substitut.requete(
        "select count(*), min(est_substitut_arrondissement) from marts.dim_territoires "
        "where niveau = 'bassin'") == [(334, True)]
    # C2 (Ajaccio) et C3 (Mamoudzou) entrent en 2024-02 ; 2A et 976 n'ont pas livré d'orientations.
    assert substitut(NE, "bassin", "2A1", "2024-02") == (1, None, 1.0, PROV)
    assert substitut(NE, "bassin", "HR976", "2024-02") == (1, None, 1.0, PROV)
    assert substitut(NE, "region", "94", "2024-02") == (1, None, 1.0, PROV)
    assert substitut(NE, "national", "FR", "2024-02") == (2, None, 2.0, PROV)
    assert substitut("beneficiaires_sdd", "bassin", "2A4", "2024-02") == (0, None, 0.0, DEF)
    # 16 mois calculés × (120 territoires COG + 334 bassins) × 17 indicateurs.
    assert len(substitut.figures) == 16 * (120 + 334) * 17


def test_mois_sans_fichier_caf(substitut):
    lignes = substitut.requete(
        "select distinct numerateur, denominateur, valeur, statut from marts.indicateurs "
        "where mois = '2023-09-01'")
    assert lignes == [(None, None, None, PROV)]
    assert substitut.requete(
        "select count(*) from marts.indicateurs where mois = '2023-09-01' and ventilation = 'ensemble'") == [
        ((120 + 334) * 17,)]
    assert substitut.requete(
        "select nb_livraisons_rejetees from marts.fct_livraisons_manquantes "
        "where type_fichier = 'rsa' and mois = '2023-09-01'") == [(1,)]


def test_critere_2_lit_le_dernier_fichier_livre(substitut):
    # C5, SDD en 2023-08 puis en 2023-10 : pas entrant en 2023-10 ; C4, absent en 2023-08 : entrant.
    assert substitut.requete(
        "select nom(personne), strftime(mois, '%Y-%m') from intermediate.int_entrees_sdd "
        "where personne in (cle('C4'), cle('C5')) order by 2, 1") == [("C5", "2023-08"), ("C4", "2023-10")]
    for niveau, code in (("departement", "35"), ("bassin", "353"), ("national", "FR")):
        assert substitut(NE, niveau, code, "2023-10") == (1, None, 1.0, DEF)
        assert substitut("beneficiaires_sdd", niveau, code, "2023-10") == (2, None, 2.0, DEF)


def test_cas_4_fichier_manquant_interrompt_la_suspension(substitut):
    # C1 : 13 mois suspendu mais 2023-09 inconnu → pas de suite de 12 mois connus.
    assert substitut.requete("select * from intermediate.int_entrees_sdd where personne = cle('C1')") == []
    assert substitut(NE, "departement", "35", "2024-07") == (0, None, 0.0, DEF)
    assert substitut("beneficiaires_sdd", "bassin", "353", "2024-07") == (1, None, 1.0, DEF)
