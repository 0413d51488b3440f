"""Un indicateur, un endroit : chaque indicateur du seed a son modèle ind_<code> (SQL et YAML),
marts.indicateurs les réunit tous, et la règle de maturité est dans le seed maturite_livraisons.

Lecture des fichiers du projet dbt seulement (pas de construction) : rapide."""

from __future__ import annotations

import csv
import re

import yaml

from .entrepot import DBT_PROJET

MODELES = DBT_PROJET / "models" / "indicateurs"
PARAMETRES = DBT_PROJET / "seeds" / "parametres"


def _definitions() -> dict[str, dict[str, str]]:
    with open(PARAMETRES / "indicateurs_definitions.csv", encoding="utf-8", newline="") as f:
        return {r["indicateur"]: r for r in csv.DictReader(f)}


def test_chaque_indicateur_a_son_modele_et_rien_d_autre():
    codes = set(_definitions())
    assert {p.stem for p in MODELES.glob("ind_*.sql")} == {f"ind_{c}" for c in codes}
    assert {p.stem for p in MODELES.glob("ind_*.yml")} == {f"ind_{c}" for c in codes}
    for code in codes:
        sql = (MODELES / f"ind_{code}.sql").read_text(encoding="utf-8")
        # le modèle porte son propre code et passe par le déploiement territorial commun
        assert re.search(rf"deployer_territoires\(\s*'{code}'", sql), code


def test_le_mart_reunit_tous_les_modeles_ind():
    macros = (DBT_PROJET / "macros" / "indicateurs.sql").read_text(encoding="utf-8")
    liste = macros[macros.index("{% macro modeles_indicateurs()"):]
    listes = re.findall(r"'(ind_[a-z0-9_]+)'", liste[:liste.index("endmacro")])
    assert sorted(listes) == sorted(f"ind_{c}" for c in _definitions())
    for mart in ("indicateurs", "indicateurs_annuels"):
        sql = (DBT_PROJET / "models" / "marts" / f"{mart}.sql").read_text(encoding="utf-8")
        # les deux marts lisent la même liste, et aucun ne nomme un modèle ind_ à part
        assert "modeles_indicateurs()" in sql and not re.findall(r"'ind_[a-z0-9_]+'", sql), mart
        # plus de règle de maturité choisie par nom d'indicateur dans le mart
        assert not re.search(r"\bindicateur\s*(=|in)\s*\(?'", sql), mart


def test_la_description_de_chaque_modele_reprend_la_definition():
    for code, definition in _definitions().items():
        modele = yaml.safe_load((MODELES / f"ind_{code}.yml").read_text(encoding="utf-8"))["models"][0]
        assert modele["name"] == f"ind_{code}"
        assert definition["definition"] in " ".join(modele["description"].split()), code
        assert {c["name"] for c in modele["columns"]} == {
            "indicateur", "niveau", "code_territoire", "mois", "grain", "ventilation", "modalite", "numerateur",
            "denominateur", "valeur", "nb_personnes", "est_provisoire_departements"}


def test_regles_de_maturite_gouvernees():
    with open(PARAMETRES / "maturite_livraisons.csv", encoding="utf-8", newline="") as f:
        regles = list(csv.DictReader(f))
    assert {r["indicateur"] for r in regles} <= set(_definitions())
    # beneficiaires_sdd est toujours définitif : aucune livraison attendue
    assert not [r for r in regles if r["indicateur"] == "beneficiaires_sdd"]


def _ventilations_gouvernees() -> dict[str, list[str]]:
    with open(PARAMETRES / "indicateurs_ventilations.csv", encoding="utf-8", newline="") as f:
        lignes = list(csv.DictReader(f))
    par_indicateur: dict[str, list[str]] = {}
    for r in lignes:
        par_indicateur.setdefault(r["indicateur"], []).append(r["ventilation"])
    return par_indicateur


def test_chaque_modele_calcule_exactement_les_ventilations_du_seed():
    """Le modèle ind_<code> passe à deployer_territoires la liste du seed indicateurs_ventilations,
    dans son ordre : une ventilation du seed absente du modèle donnerait des zéros dans la grille
    (et le test ventilations_additives échouerait), une ventilation du modèle absente du seed
    disparaîtrait du mart."""
    gouvernees = _ventilations_gouvernees()
    assert set(gouvernees) <= set(_definitions())
    for code in _definitions():
        sql = (MODELES / f"ind_{code}.sql").read_text(encoding="utf-8")
        trouve = re.search(r"ventilations=\[([^\]]*)\]", sql)
        dans_le_modele = re.findall(r"'([a-z_]+)'", trouve.group(1)) if trouve else []
        assert dans_le_modele == gouvernees.get(code, []), code


# colonne de population annuelle que passe à deployer_territoires un indicateur de chaque sorte
ANNUELLE = {"flux": "est_premiere_entree_annee", "cohorte": "est_premiere_cohorte_annee", "stock": None}


def test_chaque_modele_fait_le_chiffre_annuel_de_sa_sorte():
    """Le seed indicateurs_definitions.chiffre_annuel dit comment se fait le chiffre annuel : un
    indicateur de flux ou de cohorte passe à deployer_territoires la colonne de sa population
    annuelle (marts.indicateurs_annuels lit ses lignes annuelles ; sans elle, il n'y aurait que
    des zéros), un stock n'en passe pas (le mart copie décembre)."""
    for code, definition in _definitions().items():
        sql = (MODELES / f"ind_{code}.sql").read_text(encoding="utf-8")
        trouve = re.search(r"annuelle='([a-z_]+)'", sql)
        assert (trouve.group(1) if trouve else None) == ANNUELLE[definition["chiffre_annuel"]], code
        unicite = yaml.safe_load((MODELES / f"ind_{code}.yml").read_text(encoding="utf-8"))["models"][0]
        colonnes = [t["unicite_combinee"]["arguments"]["colonnes"] for t in unicite["data_tests"]
                    if isinstance(t, dict) and "unicite_combinee" in t]
        assert colonnes and "grain" in colonnes[0], code
