"""Would a new open-data publication change anything versus the previous one?

A publication that changes no published figure and no published file content is not made
(issue #21): the previous `latest` stays and the export says « aucun chiffre ne change : rien de
nouveau publié ». Compared, between the folder just built and the previous publication:

- the data files, byte for byte: indicateurs.csv, indicateurs_annuels.csv, cibles.csv (their
  Parquet and Excel copies hold the same tables) and which of them exist;
- README.md except its vintage: the title (the publication's date) and the « Millésime » section
  (dates, folder, snapshot, code version, latest deliveries, previous publication, quality warnings);
- datapackage.json except its vintage: `name`, `version`, `created`, and the size and hash of the
  Excel workbook (which carries its date);
- the masking threshold of the manifest.

Not compared: revisions.csv (the revisions of the previous publication against its own
predecessor stay published there), manifest.json (build time, deliveries' checksums) and the
workbook's bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

NOTHING_NEW = "aucun chiffre ne change : rien de nouveau publié"
DATA_FILES = ("indicateurs.csv", "indicateurs_annuels.csv", "cibles.csv")
VINTAGE_SECTION = "## Millésime"
VINTAGE_KEYS = ("name", "version", "created")


def readme_without_vintage(text: str) -> str:
    """README.md without its title line and its « Millésime » section."""
    lines = text.splitlines()
    out, skipping = [], False
    for i, line in enumerate(lines):
        if i == 0 and line.startswith("# "):
            continue
        if line.startswith("## "):
            skipping = line.strip() == VINTAGE_SECTION
        if not skipping:
            out.append(line)
    return "\n".join(out)


def package_without_vintage(package: dict) -> dict:
    out = {k: v for k, v in package.items() if k not in VINTAGE_KEYS}
    out["resources"] = [{k: v for k, v in r.items() if not (r.get("type") == "file" and k in ("bytes", "hash"))}
                        for r in package.get("resources", [])]
    return out


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def differences(built: Path, previous: Path) -> list[str]:
    """What differs between the folder just built and the previous publication (empty: nothing)."""
    diffs = [name for name in DATA_FILES if _read(built / name) != _read(previous / name)]
    try:
        if readme_without_vintage((built / "README.md").read_text(encoding="utf-8")) != readme_without_vintage(
                (previous / "README.md").read_text(encoding="utf-8")):
            diffs.append("README.md")
    except FileNotFoundError:
        diffs.append("README.md")
    try:
        new, old = (json.loads((folder / "datapackage.json").read_text(encoding="utf-8")) for folder in (built, previous))
        if package_without_vintage(new) != package_without_vintage(old):
            diffs.append("datapackage.json")
        new, old = (json.loads((folder / "manifest.json").read_text(encoding="utf-8")) for folder in (built, previous))
        if new.get("seuil_secret") != old.get("seuil_secret"):
            diffs.append("manifest.json (seuil_secret)")
    except (FileNotFoundError, json.JSONDecodeError):
        diffs.append("datapackage.json ou manifest.json")
    return diffs
