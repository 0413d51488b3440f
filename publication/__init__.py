"""Publication of socle's figures (publication.md, privacy.md).

- `export_opendata(settings, today=None) -> Path`: the dated open-data folder, masked, gated;
- `build_analyst_files(settings) -> list[Path]`: the national and regional DuckDB files, unmasked,
  scoped to their audience.

Both read the current snapshot only, opened read-only. Run on demand with
`python -m publication opendata` or `python -m publication analystes`.
"""

from __future__ import annotations

from publication.analysts import build_analyst_files
from publication.gate import PublicationRefusee
from publication.opendata import export_opendata

__all__ = ["PublicationRefusee", "build_analyst_files", "export_opendata"]
