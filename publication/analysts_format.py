"""How the analyst files are written so that what analysts have can open them (issue #20).

DuckDB 2.0 writes its own storage format by default, which DuckDB 1.4 and 1.5 (the analysts'
versions, and the one DBeaver embeds) refuse. The files are attached with an explicit older
storage version instead: DuckDB 1.4.0 and every later version open them. The `duckdb` command
comes from the PyPI package `duckdb-cli`, pinned in requirements.txt (no 2.x exists; 1.5.6 reads
this storage version).
"""

from __future__ import annotations

STORAGE_VERSION = "v1.4.0"  # ATTACH … (STORAGE_VERSION 'v1.4.0')
OLDEST_DUCKDB = "1.4.0"  # the oldest DuckDB the README promises (tested in a throw-away venv)
CLI_PACKAGE = "duckdb-cli"
CLI_VERSION = "1.5.6"  # must equal the pin of requirements.txt
LICENCE = "Licence Ouverte 2.0 (etalab-2.0)"
PARQUET_OPTIONS = "format parquet, compression snappy, parquet_version v1"  # the widest readable
