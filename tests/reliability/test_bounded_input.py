"""Issue #16, finding 7: bounded input. A 20 MB CSV whose header has 2 million columns took
ingestion past 9 GB in two minutes, without a message; a 50 MB line was read whole (and its value
stored in quarantine as typed). Now both files are rejected with one clear message before
anything of them is parsed, and the landing process's peak memory stays bounded.

The landing runs in a subprocess (as in test_big_file.py) that first lands a small file (imports,
COG tables: the fixed cost), reads its peak RSS, then lands the two files and reads the peak
again. The subprocess's address space is capped (RLIMIT_AS), so that the former code fails
the test with a MemoryError instead of taking the machine's memory."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from ingestion.nir import key_for
from peak_memory import PEAK_MB

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
ADDRESS_SPACE = 2 << 30  # virtual: thread arenas and mappings of polars and DuckDB count too
HEADER = ("id_rsa,nir,organisme,code_commune,sexe,annee_naissance,date_ouverture_droit,"
          "etat_droit,droit_versable,soumis_droits_devoirs")
NIR = "1840375123456" + key_for("1840375123456")

LANDER = PEAK_MB + """
import json, os
from ingestion.land import land_all
from socle.settings import get_settings

settings = get_settings()
small = settings.landing_dir / "caf" / "rsa_2024-01.csv"
big = [p for p in sorted((settings.landing_dir / "caf").iterdir()) if p != small]
aside = settings.landing_dir.parent  # out of the landing folder (a hidden file would be recorded)
for p in big:
    os.rename(p, aside / p.name)
first = land_all()
before = peak_mb()
for p in big:
    os.rename(aside / p.name, p)
outcomes = land_all()
print(json.dumps({"before": before, "after": peak_mb(), "first": [o.statut for o in first],
                  "outcomes": [(o.chemin, o.statut, o.message) for o in outcomes if o.statut != "deja_vue"]}))
"""


def _cap_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def test_a_2_million_column_header_and_a_50_mb_line_are_rejected_with_bounded_memory(tmp_path):
    landing, home = tmp_path / "landing", tmp_path / "home"
    caf = landing / "caf"
    caf.mkdir(parents=True)
    good = f"R1,{NIR},CAF,35238,F,1984,2023-05-01,ouvert,true,true\n"
    (caf / "rsa_2024-01.csv").write_text(f"{HEADER}\n{good}", encoding="utf-8")
    with (caf / "rsa_2024-02.csv").open("w", encoding="utf-8") as f:  # 2 million columns, ~20 MB
        f.write(HEADER)
        for start in range(0, 2_000_000, 100_000):
            f.write("".join(f",col{i:07d}" for i in range(start, start + 100_000)))
        f.write(f"\n{good}")
    with (caf / "rsa_2024-03.csv").open("w", encoding="utf-8") as f:  # a 50 MB commune on line 3
        f.write(f"{HEADER}\n{good}R2,{NIR},CAF,")
        for _ in range(50):
            f.write("Jean Martin 3 rue des Lilas " * 37449 + "x" * 20)
        f.write(",F,1984,2023-05-01,ouvert,true,true\n")
    assert (caf / "rsa_2024-02.csv").stat().st_size > 20_000_000
    assert (caf / "rsa_2024-03.csv").stat().st_size > 50 << 20
    env = {"SOCLE_LANDING_DIR": str(landing), "SOCLE_HOME": str(home), "SOCLE_PSEUDO_KEY": "k",
           "SOCLE_INGESTION_WORKERS": "1", "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", LANDER], cwd=PROJECT, env=env, capture_output=True, text=True,
                          timeout=600, preexec_fn=_cap_address_space)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["first"] == ["acceptee"]
    assert result["outcomes"] == [
        ["caf/rsa_2024-02.csv", "rejetee", "caf/rsa_2024-02.csv : en-tête de plus de 500 colonnes : ce n'est pas "
                                           "un fichier du contrat, il n'est pas lu"],
        ["caf/rsa_2024-03.csv", "rejetee", "caf/rsa_2024-03.csv : la ligne 3 dépasse 4 Mo : ce n'est pas un "
                                           "fichier du contrat, il n'est pas lu"]]
    growth = result["after"] - result["before"]
    print(f"peak before {result['before']:.0f} MB, after {result['after']:.0f} MB, growth {growth:.0f} MB")
    assert result["after"] < 1024, result
    assert growth < 50, result
