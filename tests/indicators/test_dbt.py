"""Le projet dbt lui-même : analyse sans SOCLE_HOME, tests unitaires dbt des cas travaillés."""

from __future__ import annotations

import os
import subprocess

import pytest

from .entrepot import DBT_PROJET, VENV_BIN, lancer_dbt

pytestmark = pytest.mark.slow


def test_dbt_parse_sans_socle_home(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SOCLE_HOME"}
    env.update({"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_TARGET_PATH": str(tmp_path / "target"),
                "DBT_LOG_PATH": str(tmp_path / "logs"), "PATH": f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"})
    fini = subprocess.run([str(VENV_BIN / "dbt"), "parse", "--profiles-dir", str(DBT_PROJET),
                           "--project-dir", str(DBT_PROJET)], env=env, capture_output=True, text=True)
    assert fini.returncode == 0, fini.stdout + fini.stderr


def test_tests_unitaires_dbt(parcours):
    """Les cas travaillés d'indicators.md, un test unitaire dbt chacun (models/**/_*.yml)."""
    sortie = lancer_dbt(parcours.chemin.parent, "test", "--select", "test_type:unit")
    resume = [ligne for ligne in sortie.splitlines() if "PASS=" in ligne][-1]
    compte = dict(element.split("=") for element in resume.split("Done.")[1].split())
    assert compte["ERROR"] == "0" and compte["PASS"] == compte["TOTAL"], sortie[-3000:]
    assert int(compte["PASS"]) >= 15  # cas 1 à 11 (le cas 4 en deux tests), placement, bassins
