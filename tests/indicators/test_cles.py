"""La clé compacte des pseudonymes (macro dbt cle_compacte) et sa garde contre les collisions."""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.indicators.entrepot import Entrepot, cle_compacte, lancer_dbt, pseudonyme


def _deux_personnes(home):
    e = Entrepot()
    e.rsa("2024-01", "P1", "35238")
    e.rsa("2024-01", "P2", "35238")
    home.mkdir()
    e.ecrire_raw(home / "warehouse.duckdb")
    return home / "warehouse.duckdb"


def test_la_cle_est_le_debut_du_pseudonyme_en_entier(tmp_path):
    entrepot = _deux_personnes(tmp_path / "h")
    lancer_dbt(tmp_path / "h", "run", "--select", "+stg_rsa")
    sortie = lancer_dbt(tmp_path / "h", "test", "--select", "cles_compactes_sans_collision")
    assert re.search(r"PASS cles_compactes_sans_collision", sortie) and "ERROR=0" in sortie
    with duckdb.connect(str(entrepot), read_only=True) as con:
        cles = con.execute("select pseudo_nir, pseudo_id_rsa from staging.stg_rsa order by ligne").fetchall()
    assert cles == [(cle_compacte("P1"), cle_compacte("R-P1")), (cle_compacte("P2"), cle_compacte("R-P2"))]
    assert cle_compacte("P1") == int(pseudonyme("P1")[:15], 16) < 2 ** 60


def test_deux_pseudonymes_de_meme_cle_bloquent_le_build(tmp_path):
    entrepot = _deux_personnes(tmp_path / "h")
    meme_debut = pseudonyme("P1")[:15] + "f" * 49  # un autre pseudonyme, mêmes 60 premiers bits
    with duckdb.connect(str(entrepot)) as con:
        con.execute("update raw.rsa set pseudo_nir = ? where pseudo_nir = ?", [meme_debut, pseudonyme("P2")])
    with pytest.raises(AssertionError, match=r"(?s)Failure in test cles_compactes_sans_collision.*Got 1 result"):
        lancer_dbt(tmp_path / "h", "test", "--select", "cles_compactes_sans_collision")
