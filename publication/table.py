"""The published table: marts.indicateurs masked (socle.masking), labelled and rounded.

Rates are published as fractions rounded to 4 decimals, delays to 1 decimal, counts as
integers (publication.md), by the one rounding of socle.rounding (half-up on the decimal form:
0.00005 → 0.0001, 10.25 → 10.3), with the decimals of dim_indicateurs.decimales (seed
indicateurs_definitions). The kind of each indicator comes from dim_indicateurs.type_indicateur
(effectif, taux, delai_moyen, delai_median).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl

from publication.gate_attack import certify
from publication.parents import PARENT_COLUMNS, parents_of
from socle.masking import code_fingerprint, mask_with_report, reusable
from socle.rounding import indicator_decimals, round_column, round_text_column

CONTRACT_COLUMNS = ["indicateur", "libelle_indicateur", "niveau", "code_territoire", "libelle_territoire", "mois",
                    "ventilation", "modalite", "valeur", "numerateur", "denominateur", "statut"]
# After the contract's columns, in this order (issue #20): why `valeur` is empty, then the parents
# of the territory (publication.parents). Appended, so that the contract's columns keep their places.
COLUMNS = [*CONTRACT_COLUMNS, "motif_valeur_vide", *PARENT_COLUMNS]
MOTIFS_VALEUR_VIDE = ["secret", "sans_objet", "non_disponible"]
KEY = ["indicateur", "niveau", "code_territoire", "mois", "ventilation", "modalite"]
NIVEAUX = ["national", "region", "departement", "bassin"]
STATUTS = ["definitif", "provisoire", "secret"]
KINDS = ["effectif", "taux", "delai_moyen", "delai_median"]

PARQUET_SCHEMA = {
    "indicateur": pl.String, "libelle_indicateur": pl.String, "niveau": pl.String,
    "code_territoire": pl.String, "libelle_territoire": pl.String, "mois": pl.String,
    "ventilation": pl.String, "modalite": pl.String, "valeur": pl.Float64, "numerateur": pl.Int64,
    "denominateur": pl.Int64, "statut": pl.String, "motif_valeur_vide": pl.String,
    **dict.fromkeys(PARENT_COLUMNS, pl.String),
}


def guess_kind(code: str) -> str:
    if code.startswith(("taux_", "part_")):
        return "taux"
    if code.startswith("delai_"):
        return "delai_median" if "median" in code else "delai_moyen"
    return "effectif"


def indicator_kinds(dim_indicateurs: pl.DataFrame) -> dict[str, str]:
    """indicateur → kind, from type_indicateur when the dimension has it."""
    if "type_indicateur" in dim_indicateurs.columns:
        return dict(zip(dim_indicateurs["indicateur"], dim_indicateurs["type_indicateur"]))
    return {code: guess_kind(code) for code in dim_indicateurs["indicateur"]}


def territories_of(dim_territoires: pl.DataFrame) -> pl.DataFrame:
    cols = [c for c in ("niveau", "code_territoire", "code_region", "code_departement") if c in dim_territoires.columns]
    return dim_territoires.select(cols)


CELLS = ["indicateur", "niveau", "code_territoire", "mois", "ventilation", "modalite", "numerateur",
         "denominateur", "valeur", "statut"]
PUBLISHED_VENTILATION = "ensemble"  # see read_indicateurs
BREAKDOWN_LEVELS = ("national",)  # levels whose breakdown rows are published (read_indicateurs)
MASKED_SCHEMA = "publie"
MASKED_TABLE = "indicateurs_masques"  # in the snapshot: CELLS masked (values unrounded) + seuil_secret
MASKING_REPORT = "rapport_masquage"  # in the snapshot: one row, the masking's summary (JSON)
FINGERPRINTS = "empreintes_periodes"  # in the snapshot: periode (text), empreinte (socle.masking fingerprints)
CODE_VERSION = "version_masquage"  # in the snapshot: one row, empreinte_code (socle.masking.code_fingerprint)
PREVIOUS = "precedent"  # socle.snapshot.PREVIOUS: the current snapshot, attached while the new one is completed


def masked_cells(indicateurs: pl.DataFrame, dim_territoires: pl.DataFrame, threshold: int,
                 appartenance: pl.DataFrame | None = None, reports: dict | None = None,
                 reuse: dict[str, pl.DataFrame] | None = None) -> pl.DataFrame:
    """marts.indicateurs masked (columns CELLS, values unrounded): the one masking call shared by
    the open data and the masked table stored in the snapshot for the dashboards. `reuse`: the
    masked rows of earlier periods by fingerprint (socle.masking.reusable)."""
    masked, report = mask_with_report(indicateurs.select(CELLS), territories_of(dim_territoires), threshold,
                                      appartenance, reuse=reuse)
    if reports is not None:
        reports["masquage"] = report
    return masked


def read_indicateurs(con, catalog: str | None = None) -> pl.DataFrame:
    """The rows of marts.indicateurs that are published (open data, masked table of the snapshot,
    hence the dashboards): the one reader of the mart for publication. `catalog`: the attached
    snapshot's name, None for the snapshot open on `con`."""
    prefix = f"{catalog}." if catalog else ""
    # The `ensemble` rows of every level, and the breakdown rows (pilotage.md) of the nation,
    # masked with them by the same call. The other levels' breakdown rows are not published yet:
    # with the régions', the masking of data/sample leaves 2 exposures that no complement settles
    # (May 2024, région 93, organisme référent CCAS); with every level, a month holds twenty times
    # more cells and leaves more (docs/performance.md).
    levels = ", ".join(f"'{level}'" for level in BREAKDOWN_LEVELS)
    return con.sql(f"select * from {prefix}marts.indicateurs where ventilation = '{PUBLISHED_VENTILATION}' "
                   f"or niveau in ({levels})").pl()


def previous_masking(con, previous: str | None = PREVIOUS) -> dict[str, pl.DataFrame] | None:
    """The masked rows of the snapshot attached as `previous`, by period fingerprint (what
    socle.masking reuses); None when it is not attached or has no fingerprints (an older snapshot)."""
    if previous is None:
        return None
    cur = con.cursor()
    if not cur.execute("select count(*) from duckdb_databases() where database_name = ?", [previous]).fetchone()[0]:
        return None
    tables = {r[0] for r in cur.execute(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = ?",
        [previous, MASKED_SCHEMA]).fetchall()}
    if not {MASKED_TABLE, FINGERPRINTS} <= tables:
        return None
    fingerprints = dict(cur.execute(f"select periode, empreinte from {previous}.{MASKED_SCHEMA}.{FINGERPRINTS}").fetchall())
    stored = cur.sql(f"select {', '.join(CELLS)} from {previous}.{MASKED_SCHEMA}.{MASKED_TABLE}").pl()
    return reusable(stored, fingerprints)


def store_masked_table(con, catalog: str, threshold: int, previous: str | None = PREVIOUS,
                       attack_cache: Path | None = None) -> dict:
    """Write `catalog`.publie.indicateurs_masques (the masked cells of `catalog`.marts.indicateurs
    and the threshold used, column seuil_secret), `catalog`.publie.rapport_masquage (the
    masking's summary), `catalog`.publie.empreintes_periodes (the fingerprint of each period's
    unmasked rows and masking context) and `catalog`.publie.version_masquage. `con` has the
    snapshot attached as `catalog`; when the current snapshot is attached as `previous`, the
    periods whose fingerprint it holds take its masked rows (masking by difference: equal to a
    masking from scratch, socle.masking). `attack_cache`: the gate's attack cache, where the masking
    leaves its final attack of the months it masked, so that the open data's gate does not attack
    them again (publication.gate_attack.certify). Returns the masking's summary."""
    indicateurs = read_indicateurs(con, catalog)
    dim_territoires = con.sql(f"select * from {catalog}.marts.dim_territoires").pl()
    appartenance = con.sql(f"select * from {catalog}.marts.dim_territoires_appartenance").pl()
    reports: dict = {}
    masked = masked_cells(indicateurs, dim_territoires, threshold, appartenance, reports,
                          reuse=previous_masking(con, previous)).with_columns(
        seuil_secret=pl.lit(threshold, dtype=pl.Int64))
    report = reports["masquage"]
    if attack_cache is not None:
        certify(masked, report.gate_clear, territories_of(dim_territoires), threshold=threshold, period="mois",
                appartenance=appartenance, cache=attack_cache)
    con.execute(f"create schema if not exists {catalog}.{MASKED_SCHEMA}")
    fingerprints = pl.DataFrame({"periode": list(report.fingerprints), "empreinte": list(report.fingerprints.values())},
                                schema={"periode": pl.String, "empreinte": pl.String})
    for name, frame in ((MASKED_TABLE, masked), (FINGERPRINTS, fingerprints)):
        con.register("_masque", frame)
        try:
            con.execute(f"create or replace table {catalog}.{MASKED_SCHEMA}.{name} as select * from _masque")
        finally:
            con.unregister("_masque")
    con.execute(f"create or replace table {catalog}.{MASKED_SCHEMA}.{MASKING_REPORT} as select ? as resume",
                [json.dumps(report.summary())])
    con.execute(f"create or replace table {catalog}.{MASKED_SCHEMA}.{CODE_VERSION} as select ? as empreinte_code",
                [code_fingerprint()])
    return report.summary()


def snapshot_masked_cells(con, threshold: int) -> tuple[pl.DataFrame, dict | None]:
    """The masked cells of the snapshot open on `con` and the masking's summary: those stored at
    its publication when they were masked with `threshold`, else masked now by the same call (an
    older snapshot, or another threshold). The open data and the dashboards both read them here."""
    tables = set(con.sql("select table_schema, table_name from information_schema.tables").fetchall())
    if (MASKED_SCHEMA, MASKED_TABLE) in tables:
        stored = con.sql(f"select {', '.join(CELLS)}, seuil_secret from {MASKED_SCHEMA}.{MASKED_TABLE}").pl()
        if stored.height == 0 or set(stored["seuil_secret"].unique().to_list()) == {threshold}:
            summary = None
            if (MASKED_SCHEMA, MASKING_REPORT) in tables:
                summary = json.loads(con.execute(f"select resume from {MASKED_SCHEMA}.{MASKING_REPORT}").fetchone()[0])
            return stored.drop("seuil_secret"), summary
    appartenance = (con.sql("select * from marts.dim_territoires_appartenance").pl()
                    if ("marts", "dim_territoires_appartenance") in tables else None)
    reports: dict = {}
    masked = masked_cells(read_indicateurs(con),
                          con.sql("select * from marts.dim_territoires").pl(), threshold, appartenance, reports)
    return masked, reports["masquage"].summary()


def published_table(indicateurs: pl.DataFrame, dim_indicateurs: pl.DataFrame, dim_territoires: pl.DataFrame,
                    threshold: int, masker: Callable | None = None,
                    appartenance: pl.DataFrame | None = None, reports: dict | None = None,
                    masked: pl.DataFrame | None = None) -> pl.DataFrame:
    """The open-data table (columns COLUMNS, parquet types), sorted for reading. `masked`: cells
    already masked (`snapshot_masked_cells`); else they are masked here, `appartenance`
    (dim_territoires_appartenance) telling the masking which bassins lie within a département.
    `appartenance` also gives the départements and régions of each bassin (publication.parents)."""
    if masked is not None:
        masked = masked.select(CELLS)
    elif masker is None:
        masked = masked_cells(indicateurs, dim_territoires, threshold, appartenance, reports)
    else:
        masked = masker(indicateurs.select(CELLS), territories_of(dim_territoires), threshold)
    return labelled(masked, dim_indicateurs, dim_territoires, appartenance)


def labelled(masked: pl.DataFrame, dim_indicateurs: pl.DataFrame, dim_territoires: pl.DataFrame,
             appartenance: pl.DataFrame | None = None, period: str = "mois") -> pl.DataFrame:
    """Masked cells (CELLS, with `period` for `mois`) labelled, rounded and sorted for reading:
    the open-data table. `period`: `mois` (dates, written `YYYY-MM`) or `annee` (integers), the
    yearly table (publication.annuels) having `annee` in place of `mois`."""
    order = dim_indicateurs.select(
        "indicateur", pl.col("libelle").alias("libelle_indicateur"),
        (pl.col("ordre") if "ordre" in dim_indicateurs.columns else pl.lit(0)).alias("_ordre"))
    labels = dim_territoires.select("niveau", "code_territoire", "libelle_territoire")
    decimals = pl.col("indicateur").replace_strict(
        indicator_decimals(dim_indicateurs), default=None, return_dtype=pl.Int64)
    rounded = round_column("valeur", decimals)
    period_text = (pl.col("mois").dt.strftime("%Y-%m") if period == "mois" else pl.col(period).cast(pl.Int64))
    out = (masked.with_columns(valeur=rounded.cast(pl.Float64))
           .join(order, on="indicateur", how="left")
           .join(labels, on=["niveau", "code_territoire"], how="left")
           .join(parents_of(dim_territoires, appartenance), on=["niveau", "code_territoire"], how="left")
           .with_columns(period_text.alias(period), motif_valeur_vide=empty_value_reason(),
                         _niveau=pl.col("niveau").replace_strict(
                             {n: i for i, n in enumerate(NIVEAUX)}, default=len(NIVEAUX), return_dtype=pl.Int64))
           .sort("_ordre", "indicateur", "_niveau", "code_territoire", period, "ventilation", "modalite"))
    schema = PARQUET_SCHEMA if period == "mois" else {(period if c == "mois" else c): (pl.Int64 if c == "mois" else t)
                                                      for c, t in PARQUET_SCHEMA.items()}
    return out.select([pl.col(c).cast(t) for c, t in schema.items()])


def empty_value_reason() -> pl.Expr:
    """Why `valeur` is empty, readable without arithmetic: `secret` (masked), `sans_objet` (the
    population of a rate or a delay is empty: denominator 0), `non_disponible` (not computed: the
    files it needs were not delivered); null when `valeur` is published."""
    return (pl.when(pl.col("statut") == "secret").then(pl.lit("secret"))
            .when(pl.col("valeur").is_not_null()).then(pl.lit(None, pl.String))
            .when(pl.col("denominateur") == 0).then(pl.lit("sans_objet"))
            .otherwise(pl.lit("non_disponible")))


def csv_table(table: pl.DataFrame, decimals: dict[str, int]) -> pl.DataFrame:
    """The same table as text, as written in indicateurs.csv: each value with the decimals it was
    rounded to, by socle.rounding.round_text_column (the dashboards' downloads use it too) (`decimals`: socle.rounding.indicator_decimals, the seed's `decimales`; counts as
    integers, rates with 4 decimals, delays with 1 today); empty cells for nulls."""
    places = pl.col("indicateur").replace_strict(decimals, default=4, return_dtype=pl.Int64)
    return table.with_columns(
        valeur=round_text_column("valeur", places),
        numerateur=pl.col("numerateur").cast(pl.String),
        denominateur=pl.col("denominateur").cast(pl.String))
