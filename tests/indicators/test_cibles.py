"""marts.cibles (pilotage.md, « Targets », cas travaillé 6) sur un petit entrepôt.

Fichiers CAF de 2024-11 à 2025-01 : mois calculés 2024-12 et 2025-01. En 2025-01, 50 nouveaux
entrants à Rennes (35), absents du fichier de 2024-12 ; 41 sont orientés par 35 en 8 jours,
les 9 autres n'ont pas de dossier : taux_orientation_15j de 35 en 2025-01 = 41 / 50 = 0.82.
Aucun nouvel entrant dans 29 : son taux est vide, mais sa cible existe quand même.

D'abord avec le seed livré (objectifs nationaux, `*` de chaque niveau), puis avec les lignes
du cas 6 écrites dans la table du seed (comme le ferait un commit qui change le CSV) et
marts.cibles reconstruite seule.
"""

from __future__ import annotations

import shutil
from dataclasses import replace

import duckdb
import pytest

from .entrepot import Entrepot, Resultats, lancer_dbt, mois_suivants

pytestmark = pytest.mark.slow

RENNES = "35238"
INSTRUCTION_STOCK = "Instruction 2023/192, l.772–776 : objectifs au 1er janvier 2025"
INSTRUCTION_15J = "Instruction 2023/192, annexe 4, volet 2 §4.2 : Objectif = 100 %"
T15 = "taux_orientation_15j"
NIVEAUX = ("national", "region", "departement", "bassin")

# Les lignes du cas travaillé 6, en plus des objectifs de stock livrés.
CAS_6 = [
    (T15, "departement", "*", "2024-01", None, 1.0, "minimum", "Objectif national"),
    (T15, "departement", "35", "2025-01", None, 0.8, "minimum", "Objectif de 35"),
]


def scenario_cibles() -> Entrepot:
    e = Entrepot()
    e.livrer("rsa", "caf", *mois_suivants("2024-11", "2025-01"))
    e.livrer("orientations", "35", *mois_suivants("2024-11", "2025-01"))
    for i in range(1, 51):
        personne = f"PC{i}"
        e.rsa("2025-01", personne, RENNES)
        if i <= 41:
            e.orientation("35", "2025-01", personne, "2025-01-02", "2025-01-10")
    return e


@pytest.fixture(scope="module")
def cibles(tmp_path_factory) -> Resultats:
    return scenario_cibles().construire(tmp_path_factory.mktemp("cibles"))


def _cibles(res: Resultats, condition: str = "true") -> list[tuple]:
    return res.requete(
        "select indicateur, niveau, code_territoire, strftime(mois, '%Y-%m'), valeur_cible, sens, source "
        f"from marts.cibles where {condition} order by 1, 2, 3, 4")


def _territoires_par_mois(res: Resultats) -> dict[str, int]:
    return dict(res.requete(
        "select strftime(mois, '%Y-%m'), count(*) from marts.dim_territoires_mois group by 1"))


def test_le_chiffre_du_cas_6(cibles):
    assert cibles(T15, "departement", "35", "2025-01")[:3] == (41, 50, 0.82)
    assert cibles(T15, "departement", "29", "2025-01")[:3] == (0, 0, None)


def test_cibles_livrees_sur_chaque_territoire_de_chaque_niveau(cibles):
    # taux_orientation_15j dès 2024-01 : les deux mois calculés ; les parts du stock dès 2025-01.
    territoires = _territoires_par_mois(cibles)
    assert set(territoires) == {"2024-12", "2025-01"}
    attendu = territoires["2024-12"] + 3 * territoires["2025-01"]
    assert cibles.requete("select count(*) from marts.cibles") == [(attendu,)]
    assert cibles.requete("select count(*) from marts.cibles where code_territoire = '*'") == [(0,)]
    assert _cibles(cibles, "code_territoire in ('FR', '35')") == [
        ("part_stock_inscrit_ft", "departement", "35", "2025-01", 1.0, "minimum", INSTRUCTION_STOCK),
        ("part_stock_inscrit_ft", "national", "FR", "2025-01", 1.0, "minimum", INSTRUCTION_STOCK),
        ("part_stock_oriente", "departement", "35", "2025-01", 1.0, "minimum", INSTRUCTION_STOCK),
        ("part_stock_oriente", "national", "FR", "2025-01", 1.0, "minimum", INSTRUCTION_STOCK),
        (T15, "departement", "35", "2024-12", 1.0, "minimum", INSTRUCTION_15J),
        (T15, "departement", "35", "2025-01", 1.0, "minimum", INSTRUCTION_15J),
        (T15, "national", "FR", "2024-12", 1.0, "minimum", INSTRUCTION_15J),
        (T15, "national", "FR", "2025-01", 1.0, "minimum", INSTRUCTION_15J),
    ]
    # chaque niveau a sa ligne, pour chacun de ses territoires
    par_niveau = dict(cibles.requete(
        f"select niveau, count(*) from marts.cibles where indicateur = '{T15}' group by 1"))
    territoires_niveau = dict(cibles.requete(
        "select niveau, count(*) from marts.dim_territoires_mois group by 1"))
    assert set(par_niveau) == set(NIVEAUX)
    assert par_niveau == territoires_niveau
    assert territoires_niveau["departement"] == 2 * 101 and territoires_niveau["region"] == 2 * 18


@pytest.fixture(scope="module")
def cas_6(cibles, tmp_path_factory) -> Resultats:
    """Une copie de l'entrepôt dont le seed garde les lignes de stock livrées et prend celles du
    cas 6 pour taux_orientation_15j ; puis marts.cibles reconstruite seule (et ses tests)."""
    home = tmp_path_factory.mktemp("cibles_cas_6")
    chemin = home / cibles.chemin.name
    shutil.copy(cibles.chemin, chemin)
    with duckdb.connect(str(chemin)) as con:
        con.execute(f"delete from seeds.cibles where indicateur = '{T15}'")
        con.executemany("insert into seeds.cibles values (?, ?, ?, ?, ?, ?, ?, ?)", CAS_6)
    lancer_dbt(home, "build", "--select", "fct_cibles", "--exclude-resource-type", "unit_test")
    return replace(cibles, chemin=chemin)


def test_cas_6_cible_propre_au_territoire(cas_6):
    assert _cibles(cas_6, f"indicateur = '{T15}' and code_territoire in ('29', '35', 'FR')") == [
        (T15, "departement", "29", "2024-12", 1.0, "minimum", "Objectif national"),
        (T15, "departement", "29", "2025-01", 1.0, "minimum", "Objectif national"),
        (T15, "departement", "35", "2024-12", 1.0, "minimum", "Objectif national"),
        (T15, "departement", "35", "2025-01", 0.8, "minimum", "Objectif de 35"),
    ]
    # plus de cible de taux_orientation_15j hors des départements
    assert cas_6.requete(f"select distinct niveau from marts.cibles where indicateur = '{T15}'") == [
        ("departement",)]


def test_cas_6_ecart_et_cible_atteinte_par_jointure(cas_6):
    lignes = cas_6.requete(f"""
        select c.code_territoire, strftime(c.mois, '%Y-%m'), i.valeur, c.valeur_cible,
               i.valeur - c.valeur_cible as ecart,
               case when c.sens = 'minimum' then i.valeur - c.valeur_cible >= 0
                    else i.valeur - c.valeur_cible <= 0 end as atteinte
        from marts.cibles as c
        inner join marts.indicateurs as i
            on i.indicateur = c.indicateur and i.niveau = c.niveau
           and i.code_territoire = c.code_territoire and i.mois = c.mois
           and i.ventilation = 'ensemble' and i.modalite = 'ensemble'
        where c.indicateur = '{T15}' and c.code_territoire in ('29', '35')
        order by 1, 2""")
    assert [ligne[:4] for ligne in lignes] == [
        ("29", "2024-12", None, 1.0),
        ("29", "2025-01", None, 1.0),
        ("35", "2024-12", None, 1.0),
        ("35", "2025-01", 0.82, 0.8),
    ]
    # valeur vide : ni écart ni verdict ; 35 en 2025-01 : écart +0,02, cible atteinte
    assert [ligne[4:] for ligne in lignes[:3]] == [(None, None)] * 3
    ecart, atteinte = lignes[3][4:]
    assert ecart == pytest.approx(0.02, abs=1e-12) and atteinte is True
    # chaque ligne de marts.cibles a son chiffre dans marts.indicateurs
    assert cas_6.requete("""
        select count(*) from marts.cibles as c
        left join marts.indicateurs as i
            on i.indicateur = c.indicateur and i.niveau = c.niveau
           and i.code_territoire = c.code_territoire and i.mois = c.mois
           and i.ventilation = 'ensemble'
        where i.indicateur is null and c.indicateur = 'taux_orientation_15j'""") == [(0,)]
