"""revisions.csv: every figure of the previous publication that changed in this one.

Compared: the published text of `valeur`, `numerateur` and `denominateur` (what a reader saw),
row by row on the key. A row is a revision when one of the three differs, a cell that turned
secret or stopped being secret included (its figure appears or disappears); a change of statut
alone (provisoire → definitif with the same figures) is not a revision. A row of the previous
publication missing from this one is a revision with empty new values.

Reason (motif), first rule that applies:
1. `correction` — a delivery of the figure's month was replaced since the previous publication
   (some (type_fichier, producteur, mois = the figure's month) has a current delivery whose
   id or checksum differs from the one in the previous publication's manifest), or the row
   disappeared, or a figure that was `definitif` changed (a definitive figure only moves when
   its inputs or its computation are corrected);
2. `maturite` — the figure went from `provisoire` to `definitif`;
3. `nouvelle_livraison` — otherwise: a provisional figure moved because newer files arrived.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from publication.schema import REVISION_COLUMNS
from publication.table import KEY

VALUES = ["valeur", "numerateur", "denominateur"]


MONTHLY_FILE = "indicateurs.csv"
YEARLY_FILE = "indicateurs_annuels.csv"
YEARLY_KEY = ["annee" if k == "mois" else k for k in KEY]


def read_published(folder: Path, name: str = MONTHLY_FILE) -> pl.DataFrame | None:
    """A publication's indicateurs.csv (or `name`), every column as text (empty → null); None
    when the publication has no such file (a publication older than the yearly figures)."""
    path = folder / name
    return pl.read_csv(path, infer_schema=False) if path.exists() else None


def replaced_months(previous_manifest: dict | None, current_deliveries: list[dict]) -> set[str]:
    """Months (YYYY-MM) for which a delivery in the previous publication's manifest was replaced."""
    if not previous_manifest:
        return set()
    def key(d):
        return (d.get("type_fichier"), d.get("producteur"), str(d.get("mois"))[:7])
    def version(d):
        return (d.get("id_livraison"), d.get("sha256"))
    before = {key(d): version(d) for d in previous_manifest.get("livraisons", [])}
    months = set()
    for d in current_deliveries:
        k = key(d)
        if k in before and before[k] != version(d):
            months.add(k[2])
    return months


def compute_revisions(previous: pl.DataFrame, current: pl.DataFrame, previous_date: str,
                      corrected_months: set[str], period: str = "mois") -> pl.DataFrame:
    """Revisions between two published tables (text columns as in indicateurs.csv, or as in
    indicateurs_annuels.csv with `period="annee"`: a yearly figure is corrected when a delivery
    of one of its year's months was replaced)."""
    cols = [name for name, *_ in REVISION_COLUMNS]
    key = KEY if period == "mois" else YEARLY_KEY
    corrected = (sorted(corrected_months) if period == "mois" else sorted({m[:4] for m in corrected_months}))
    prev = previous.select(*key, *[pl.col(c).alias(f"{c}_old") for c in [*VALUES, "statut"]])
    cur = current.select(*key, *[pl.col(c).cast(pl.String).alias(f"{c}_new") for c in [*VALUES, "statut"]],
                         pl.lit(True).alias("_present"))
    both = prev.join(cur.with_columns(pl.col(k).cast(pl.String) for k in key), on=key, how="left")
    changed = pl.any_horizontal([pl.col(f"{c}_old").ne_missing(pl.col(f"{c}_new")) for c in VALUES])
    gone = pl.col("_present").is_null()
    revised = both.filter(changed | gone)
    motif = (pl.when(gone | pl.col(period).is_in(corrected) | (pl.col("statut_old") == "definitif"))
             .then(pl.lit("correction"))
             .when((pl.col("statut_old") == "provisoire") & (pl.col("statut_new") == "definitif"))
             .then(pl.lit("maturite"))
             .otherwise(pl.lit("nouvelle_livraison")))
    out = revised.select(
        *key,
        pl.col("valeur_old").alias("valeur_precedente"), pl.col("valeur_new").alias("valeur_nouvelle"),
        pl.col("numerateur_old").alias("numerateur_precedent"), pl.col("numerateur_new").alias("numerateur_nouveau"),
        pl.col("denominateur_old").alias("denominateur_precedent"),
        pl.col("denominateur_new").alias("denominateur_nouveau"),
        pl.col("statut_old").alias("statut_precedent"), pl.col("statut_new").alias("statut_nouveau"),
        motif.alias("motif"), pl.lit(previous_date).alias("publication_precedente"),
        pl.lit(MONTHLY_FILE if period == "mois" else YEARLY_FILE).alias("fichier"))
    out = out.with_columns(pl.lit(None, pl.String).alias("annee" if period == "mois" else "mois"))
    return out.select(cols).sort(key)


def empty_revisions() -> pl.DataFrame:
    return pl.DataFrame(schema={name: pl.String for name, *_ in REVISION_COLUMNS})


def write_revisions(folder: Path, current_csv: pl.DataFrame, previous_folder: Path | None,
                    current_deliveries: list[dict], current_yearly: pl.DataFrame | None = None) -> pl.DataFrame:
    """Write revisions.csv: the monthly figures' revisions, then the yearly ones (`fichier` tells
    them apart) when both publications hold indicateurs_annuels.csv."""
    if previous_folder is None:
        revisions = empty_revisions()
    else:
        manifest_path = previous_folder / "manifest.json"
        manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else None
        months = replaced_months(manifest, current_deliveries)
        parts = [compute_revisions(read_published(previous_folder), current_csv, previous_folder.name, months)]
        previous_yearly = read_published(previous_folder, YEARLY_FILE)
        if previous_yearly is not None and current_yearly is not None:
            parts.append(compute_revisions(previous_yearly, current_yearly, previous_folder.name, months,
                                           period="annee"))
        revisions = pl.concat(parts)
    revisions.write_csv(folder / "revisions.csv")
    return revisions
