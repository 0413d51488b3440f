"""Licence, producer and contact of the open data (issue #20): data.gouv.fr takes the package."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from publication import export_opendata

DAY = date(2024, 3, 5)
ETALAB = {"name": "etalab-2.0", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
          "title": "Licence Ouverte / Open Licence version 2.0"}


def _validate(folder: Path) -> dict:
    exe = Path(sys.executable).with_name("frictionless")
    proc = subprocess.run([str(exe), "validate", "--json", str(folder / "datapackage.json")],
                          capture_output=True, text=True)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["valid"], proc.stdout[-2000:]
    return report


def test_licence_and_producer_in_the_package_and_the_readme(published):
    _, folder = published
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"] == [ETALAB]
    assert package["contributors"] == [{"title": "socle — réseau France Travail (DGEFP)", "role": "publisher"}]
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert ("- **Licence** : [Licence Ouverte / Open Licence version 2.0]"
            "(https://www.etalab.gouv.fr/licence-ouverte-open-licence/) (identifiant `etalab-2.0`).") in readme
    assert "- **Producteur** : socle — réseau France Travail (DGEFP)." in readme
    assert ("- **Contact** : l'espace « Discussions » de la page du jeu de données sur data.gouv.fr."
            in readme)


def test_the_contact_is_a_setting(snapshot, monkeypatch):
    monkeypatch.setenv("SOCLE_OPENDATA_PRODUCTEUR", "DGEFP — mission données")
    monkeypatch.setenv("SOCLE_OPENDATA_CONTACT", "donnees@example.org")
    folder = export_opendata(snapshot, DAY)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["contributors"] == [{"title": "DGEFP — mission données", "role": "publisher",
                                        "email": "donnees@example.org"}]
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "- **Producteur** : DGEFP — mission données." in readme
    assert "- **Contact** : <donnees@example.org>." in readme
    _validate(folder)
