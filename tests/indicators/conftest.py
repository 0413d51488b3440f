"""Entrepôts de test construits une fois par session (chaque `dbt build` coûte quelques secondes)."""

from __future__ import annotations

import pytest

from .entrepot import Resultats
from .scenarios import scenario_emploi, scenario_parcours, scenario_rdv, scenario_stock, scenario_substitut


@pytest.fixture(scope="session")
def parcours(tmp_path_factory) -> Resultats:
    """Entrées dans le champ, déménagements, bassins à cheval, livraison corrigée."""
    return scenario_parcours().construire(tmp_path_factory.mktemp("parcours"))


@pytest.fixture(scope="session")
def emploi(tmp_path_factory) -> Resultats:
    """Orientation des nouveaux entrants, accompagnement intensif, retour à l'emploi, maturités."""
    return scenario_emploi().construire(tmp_path_factory.mktemp("emploi"))


@pytest.fixture(scope="session")
def substitut(tmp_path_factory) -> Resultats:
    """Sans référentiel de bassins (arrondissements), avec un mois CAF jamais livré."""
    return scenario_substitut().construire(tmp_path_factory.mktemp("substitut"))


@pytest.fixture(scope="session")
def stock(tmp_path_factory) -> Resultats:
    """Stock droits et devoirs : orientation en cours ou close, inscription à France Travail."""
    return scenario_stock().construire(tmp_path_factory.mktemp("stock"))


@pytest.fixture(scope="session")
def rdv(tmp_path_factory) -> Resultats:
    """Premier rendez-vous d'accompagnement, départage des dossiers d'entrée, tranches d'âge."""
    return scenario_rdv().construire(tmp_path_factory.mktemp("rdv"))
