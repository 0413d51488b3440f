"""A 200 MB CAF file lands streamed (issue #9): the peak memory of the landing process grows by
far less than the file's size, and every row lands.

The landing runs in a subprocess that first lands a small file (imports, COG tables, schemas: the
fixed cost), reads its peak RSS (VmHWM of /proc/self/status), then lands the big file and reads the peak
again: the growth is what landing the big file cost. The former whole-file reader grew by about
1.6 GB here; reading in blocks keeps it near 120 MB whatever the size (measured the same for
50 MB)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from peak_memory import PEAK_MB

pytestmark = pytest.mark.slow

SIZE = 200_000_000
PROJECT = Path(__file__).resolve().parents[2]

LANDER = PEAK_MB + """
import json, os, sys
from pathlib import Path
from ingestion.land import land_all
from socle.settings import get_settings

settings = get_settings()
big = settings.landing_dir / "caf" / "rsa_2024-02.csv"
aside = settings.landing_dir.parent / "a-cote.csv"
os.rename(big, aside)  # out of the landing folder for the warm-up landing
first = land_all()
before = peak_mb()
os.rename(aside, big)
outcomes = land_all()
print(json.dumps({"before": before, "after": peak_mb(), "first": [o.statut for o in first],
                  "outcomes": [(o.chemin, o.statut, o.lignes_lues, o.lignes_chargees, o.lignes_quarantaine)
                               for o in outcomes if o.statut != "deja_vue"]}))
"""


def write_big_caf(path: Path, size: int) -> int:
    """A valid CAF file of about `size` bytes (distinct id_rsa and NIRs, valid keys); its row count."""
    rows = size // 72 + 1
    i = pl.int_range(0, rows, eager=True)
    body = (pl.lit("184") + (1 + (i // 1_000_000) % 12).cast(pl.String).str.zfill(2) + pl.lit("75")
            + (i % 1_000_000).cast(pl.String).str.zfill(6))
    frame = pl.DataFrame({"i": i}).with_columns(body=body).with_columns(
        key=(97 - pl.col("body").cast(pl.Int64) % 97).cast(pl.String).str.zfill(2))
    frame.select(id_rsa=pl.lit("R") + pl.col("i").cast(pl.String).str.zfill(9), nir=pl.col("body") + pl.col("key"),
                 organisme=pl.lit("CAF"), code_commune=pl.lit("35238"), sexe=pl.lit("F"),
                 annee_naissance=pl.lit("1984"), date_ouverture_droit=pl.lit("2023-05-01"),
                 etat_droit=pl.lit("ouvert"), droit_versable=pl.lit("true"),
                 soumis_droits_devoirs=pl.lit("true")).write_csv(path)
    return rows


def test_a_200_mb_file_lands_streamed_with_bounded_memory(tmp_path):
    landing, home = tmp_path / "landing", tmp_path / "home"
    (landing / "caf").mkdir(parents=True)
    rows = write_big_caf(landing / "caf" / "rsa_2024-02.csv", SIZE)
    assert (landing / "caf" / "rsa_2024-02.csv").stat().st_size >= SIZE
    small = (landing / "caf" / "rsa_2024-02.csv").read_text(encoding="utf-8")[:2000].rsplit("\n", 1)[0] + "\n"
    (landing / "caf" / "rsa_2024-01.csv").write_text(small, encoding="utf-8")
    env = {"SOCLE_LANDING_DIR": str(landing), "SOCLE_HOME": str(home), "SOCLE_PSEUDO_KEY": "k",
           "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", LANDER], cwd=PROJECT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["first"] == ["acceptee"]
    assert result["outcomes"] == [["caf/rsa_2024-02.csv", "acceptee", rows, rows, 0]]
    growth = result["after"] - result["before"]
    assert growth < 0.75 * SIZE / 1e6, f"landing {SIZE / 1e6:.0f} MB grew the process by {growth:.0f} MB"
    lake = list((home / "lake" / "rsa").rglob("*.parquet"))
    assert len(lake) == 2 and pl.scan_parquet(lake).select(pl.len()).collect().item() == rows + small.count("\n") - 1
