"""Publication of socle's figures (publication.md, privacy.md).

- `export_opendata(settings, today=None) -> Path`: the dated open-data folder, masked, gated
  (`publish_opendata` also says whether it is new: when no figure changes, nothing new is
  published and `latest` stays, « aucun chiffre ne change : rien de nouveau publié »);
- `build_analyst_files(settings) -> list[Path]`: the national and regional DuckDB files, unmasked,
  scoped to their audience, each rewritten only when its content changed (`rebuild_analyst_files`
  says which were).

Both read the current snapshot only, opened read-only. Run on demand with
`python -m publication opendata` or `python -m publication analystes`.
"""

from __future__ import annotations

from publication.analysts import build_analyst_files, rebuild_analyst_files
from publication.gate import PublicationRefusee
from publication.opendata import export_opendata, publish_opendata

__all__ = ["PublicationRefusee", "build_analyst_files", "export_opendata", "publish_opendata", "rebuild_analyst_files"]
