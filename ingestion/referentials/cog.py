"""Derive socle's COG tables from the npm package @etalab/decoupage-administratif.

One package version per COG millésime (6.0.0 is COG 2026). Re-run for another
millésime with::

    python -m ingestion.referentials.cog --version 6.0.0 --millesime 2026

The package is fetched with ``npm pack`` from the configured npm registry into a
temporary folder; the derived CSV tables are written as dbt seeds, with the
provenance and the MIT notice beside them.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "cog"
IN_SCOPE_ZONES = {"metro", "drom"}


def fetch_package(version: str, workdir: Path) -> Path:
    """npm pack the package and return its extracted `package/` folder."""
    out = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{version}", "--silent"],
        cwd=workdir, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]
    with tarfile.open(workdir / out) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(sorted(rows))


def derive(package_dir: Path, out_dir: Path, version: str, millesime: int) -> dict[str, int]:
    data = package_dir / "data"
    load = lambda name: json.loads((data / name).read_text(encoding="utf-8"))  # noqa: E731
    regions = [r for r in load("regions.json") if r.get("zone") in IN_SCOPE_ZONES]
    region_codes = {r["code"] for r in regions}
    departements = [d for d in load("departements.json") if d["region"] in region_codes]
    dep_codes = {d["code"] for d in departements}
    arrondissements = [a for a in load("arrondissements.json") if a["departement"] in dep_codes]
    all_communes = load("communes.json")
    communes = [
        c for c in all_communes
        if c["type"] == "commune-actuelle" and c.get("departement") in dep_codes
    ]
    current = {c["code"] for c in communes}

    # Former codes: anciensCodes of merged communes, plus the municipal
    # arrondissements of Paris, Lyon and Marseille (mapped to their commune).
    former: dict[str, tuple[str, str]] = {}
    for c in communes:
        for old in c.get("anciensCodes", []):
            if old not in current:
                former[old] = (c["code"], "fusion")
    for c in all_communes:
        if c["type"] == "arrondissement-municipal" and c.get("commune") in current:
            former.setdefault(c["code"], (c["commune"], "arrondissement_municipal"))

    out_dir.mkdir(parents=True, exist_ok=True)
    _write(out_dir / "cog_regions.csv", ["code_region", "libelle_region"],
           [[r["code"], r["nom"]] for r in regions])
    _write(out_dir / "cog_departements.csv", ["code_departement", "libelle_departement", "code_region"],
           [[d["code"], d["nom"], d["region"]] for d in departements])
    _write(out_dir / "cog_arrondissements.csv",
           ["code_arrondissement", "libelle_arrondissement", "code_departement"],
           [[a["code"],
             a["nom"], a["departement"]] for a in arrondissements])
    _write(out_dir / "cog_communes.csv",
           ["code_commune", "libelle_commune", "code_departement", "code_region",
            "code_arrondissement", "population"],
           [[c["code"], c["nom"], c["departement"], c["region"], c.get("arrondissement", ""),
             c.get("population", 0)] for c in communes])
    _write(out_dir / "cog_anciens_codes.csv", ["code_ancien", "code_commune", "motif"],
           [[old, new, why] for old, (new, why) in former.items()])
    (out_dir / "PROVENANCE.md").write_text(
        f"# Provenance\n\nTables derived from the npm package `{PACKAGE}` version {version} "
        f"(Code officiel géographique {millesime}, packaged by Etalab) by "
        "`python -m ingestion.referentials.cog`.\n\n"
        f"Scope: the {len(departements)} départements of the {len(regions)} régions "
        "(metropolitan France and the DROM); other collectivities are left out.\n"
        "`cog_anciens_codes.csv` maps the former codes of merged communes (`anciensCodes`) "
        "and the municipal arrondissements of Paris, Lyon and Marseille to their commune.\n\n"
        "Licence: MIT, see `LICENSE-decoupage-administratif`.\n",
        encoding="utf-8",
    )
    (out_dir / "LICENSE-decoupage-administratif").write_text(
        (package_dir / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8")
    return {"regions": len(regions), "departements": len(departements),
            "arrondissements": len(arrondissements), "communes": len(communes),
            "anciens_codes": len(former)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="6.0.0", help="package version (6.0.0 = COG 2026)")
    parser.add_argument("--millesime", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=SEEDS_DIR)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        counts = derive(fetch_package(args.version, Path(tmp)), args.out, args.version, args.millesime)
    print(counts)


if __name__ == "__main__":
    main()
