"""Synthetic monthly extracts in the landing layout of sources.md (contract 1).

Run::

    python -m synthetic --out DIR --departements 35,56,13 --debut 2024-01 --fin 2025-03 \\
        --seed 42 [--scale 0.02] [--mess] [--bassins PATH_TO_CLPE_CSV] [--manifest FILE] [--force]

or call :func:`generate` (same parameters), which returns the manifest. The
output is a pure function of the parameters: the same bytes and the same
modification times on every run.

The committed sample (``data/sample/``, manifest ``data/sample.manifest.json``)
is regenerated, from the project root and without make, by::

    .venv/bin/python -m synthetic --out data/sample --departements 35,56,13 \\
        --debut 2024-01 --fin 2025-03 --seed 42 --scale 0.02 --mess \\
        --manifest data/sample.manifest.json --force

A git checkout does not keep modification times, which decide between two
deliveries of one month (sources.md); ``restore_mtimes(folder, manifest)``
sets those recorded in the manifest again (``--restore-mtimes`` on the CLI).

Modules, one job each:

- ``referential``: the COG communes, per-département parameters (RSA rate,
  orientation delay), weighted commune sampling;
- ``calendar``: reference months as day numbers;
- ``population``: persons and their monthly CAF state (vectorised Markov chain);
- ``identity``: id_rsa, NIR (valid key, distinct), id_ft;
- ``records``: orientation episodes, registrations, hires, accompaniments;
- ``monthly``: the rows of each monthly file, state at the end of the month;
- ``schema``: file kinds, column and value lists of the contract;
- ``writers``: clean CSV, Windows CSV, xlsx, parquet;
- ``mess``: the --mess deviations and their manifest entries;
- ``generator``: ``generate()``, the file plan and the manifest.
"""

from .generator import generate, restore_mtimes

__all__ = ["generate", "restore_mtimes"]
