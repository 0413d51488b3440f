"""What analysts have opens the analyst files (issue #20): the `duckdb` command installed by
`make` (package duckdb-cli, pinned in requirements.txt) and the oldest DuckDB the README promises,
installed in a throw-away virtualenv under the test's temporary folder (skipped, with the reason,
when the package registry cannot be reached)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from publication.analysts_format import CLI_PACKAGE, CLI_VERSION, OLDEST_DUCKDB, STORAGE_VERSION
from socle.settings import PROJECT_DIR

CLI = Path(sys.executable).parent / "duckdb"


def counts(path: Path) -> dict[str, int]:
    """Row count of every object the file's dictionary names, read with this process's DuckDB."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [r[0] for r in con.execute("select distinct nom_table from dictionnaire order by 1").fetchall()]
        return {n: con.execute(f'select count(*) from "{n}"').fetchone()[0] for n in names}


def test_requirements_pin_the_cli_package():
    lines = (PROJECT_DIR / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert f"{CLI_PACKAGE}=={CLI_VERSION}" in lines


def test_files_are_written_in_the_older_storage_version(analyst_files):
    _, paths = analyst_files
    for path in paths:
        with duckdb.connect(str(path), read_only=True) as con:
            tags = con.execute("select tags from duckdb_databases() where not internal").fetchall()
            assert [t["storage_version"] for (t,) in tags] == [f"{STORAGE_VERSION}+"], path.name


def test_the_installed_duckdb_command_opens_an_analyst_file(analyst_files):
    if not CLI.exists():
        pytest.skip(f"la commande duckdb n'est pas installée ({CLI}) : `make` l'installe "
                    f"({CLI_PACKAGE}=={CLI_VERSION}, requirements.txt)")
    _, paths = analyst_files
    version = subprocess.run([str(CLI), "-version"], capture_output=True, text=True, timeout=30)
    assert version.stdout.startswith(f"v{CLI_VERSION} "), version.stdout
    query = ("select numerateur, statut from indicateurs where indicateur = 'beneficiaires_sdd' "
             "and code_territoire = '56' and mois = date '2024-01-01'; "
             "select count(*) as objets from dictionnaire where colonne is null;")
    out = subprocess.run([str(CLI), "-readonly", "-csv", str(paths[0]), "-c", query],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["numerateur,statut", "5,definitif", "objets", "15"]
    write = subprocess.run([str(CLI), "-readonly", str(paths[1]), "-c", "create table essai as select 1"],
                           capture_output=True, text=True, timeout=30)
    assert write.returncode != 0 and "read-only" in (write.stdout + write.stderr)


READER = """
import json, sys
from pathlib import Path
import duckdb
out = {"version": duckdb.__version__, "files": {}, "parquet": {}}
for arg in sys.argv[1:]:
    path = Path(arg)
    con = duckdb.connect(str(path), read_only=True)
    names = [r[0] for r in con.execute("select distinct nom_table from dictionnaire order by 1").fetchall()]
    out["files"][path.name] = {n: con.execute(f'select count(*) from "{n}"').fetchone()[0] for n in names}
    con.close()
    folder = path.with_name(path.name[:-len(".duckdb")] + "_parquet")
    out["parquet"][path.name] = duckdb.sql(f"select count(*) from read_parquet('{folder}/indicateurs.parquet')"
                                           ).fetchall()[0][0]
print(json.dumps(out))
"""


def _throwaway_duckdb(folder: Path) -> Path:
    """A virtualenv under `folder` holding duckdb==OLDEST_DUCKDB; its python. Skips when the registry
    cannot be reached (the package cache is tried first, offline)."""
    uv = Path(sys.executable).parent / "uv"
    uv = str(uv) if uv.exists() else shutil.which("uv")
    if uv is None:
        pytest.skip("uv introuvable : impossible de créer l'environnement jetable")
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_HTTP_TIMEOUT": "20", "UV_NO_CONFIG": "1"}
    venv = folder / "duckdb-ancien"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True, env=env,
                   capture_output=True, timeout=30)
    python = venv / "bin" / "python"
    install = [uv, "pip", "install", "-q", "--python", str(python), f"duckdb=={OLDEST_DUCKDB}"]
    try:
        if subprocess.run([*install, "--offline"], env=env, capture_output=True, timeout=30).returncode == 0:
            return python
        done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=50)
    except subprocess.TimeoutExpired:
        pytest.skip(f"registre des paquets injoignable : duckdb=={OLDEST_DUCKDB} non installé (délai dépassé)")
    if done.returncode != 0:
        assert "No solution found" not in done.stderr, done.stderr  # the version itself is wrong
        pytest.skip(f"registre des paquets injoignable : duckdb=={OLDEST_DUCKDB} non installé "
                    f"({done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode})")
    return python


def test_the_oldest_promised_duckdb_opens_every_analyst_file(analyst_files, tmp_path):
    _, paths = analyst_files
    python = _throwaway_duckdb(tmp_path)
    run = subprocess.run([str(python), "-c", READER, *map(str, paths)], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["version"] == OLDEST_DUCKDB
    assert seen["files"] == {p.name: counts(p) for p in paths}
    assert seen["files"]["national.duckdb"]["indicateurs"] == 66
    assert seen["files"]["53.duckdb"]["comparaison"] == 18
    assert seen["parquet"] == {"national.duckdb": 66, "53.duckdb": 30, "93.duckdb": 36}
