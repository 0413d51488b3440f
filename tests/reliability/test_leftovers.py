"""What a landing killed mid-file leaves (a hidden half-written lake file, its temporary blocks) is
cleared by the next landing, and never read as data in between."""

from __future__ import annotations

import duckdb

from ingestion.land import land_all
from tests.conftest import write


def test_the_next_landing_clears_what_a_killed_one_left(socle_env):
    half = socle_env.lake / "rsa" / "producteur=caf" / "mois=2024-01" / ".0123456789abcdef01234567.parquet.tmp"
    half.parent.mkdir(parents=True)
    half.write_bytes(b"PAR1 half written")
    blocks = socle_env.home / "tmp" / "ingestion" / "0123456789abcdef01234567"
    blocks.mkdir(parents=True)
    (blocks / "part-00000.parquet").write_bytes(b"PAR1")
    write(socle_env.landing_dir, "caf/rsa_2024-01.csv",
          "id_rsa,nir,organisme,code_commune,sexe,annee_naissance,date_ouverture_droit,etat_droit,droit_versable,"
          "soumis_droits_devoirs\nR1,184037512345690,CAF,35238,F,1984,2023-05-01,ouvert,true,true\n")
    [outcome] = land_all()
    assert (outcome.statut, outcome.lignes_chargees) == ("acceptee", 1)
    assert not half.exists() and not blocks.exists()
    with duckdb.connect(str(socle_env.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.rsa").fetchone()[0] == 1
