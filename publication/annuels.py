"""The yearly table of the open data: marts.indicateurs_annuels masked "the same way" (publication.md).

Published: the `ensemble` rows only, like the monthly table (publication.table.read_indicateurs:
the breakdown rows wait for their masking). Two kinds of yearly figures, two maskings:

- **stock** figures (dim_indicateurs.chiffre_annuel = 'stock'; socle/populations.csv, column
  `annuel` = `decembre`, for a snapshot whose dimension lacks the column) are copies of one
  monthly figure: December of the year, or its last computed month. Each takes **exactly** the
  mask of that monthly cell in the masked monthly table: secret there, secret here; published
  there, published here. A yearly copy then shows nothing the monthly table does not already show.
- **inflow and cohort** figures (`flux`, `cohorte`) form a table of their own with the monthly
  table's structure (the nation = Σ départements, a région = Σ its départements, bassins within
  départements, the same populations' identities): they are masked by the same audited call,
  socle.masking.mask_with_report, with the year as the period key (`period="annee"`), and the
  publication gate attacks them the same way. Such a yearly figure is most often exactly the
  sum of its months (a person counts once a year; a cohort's earliest record may lie in a month
  not computed, so it is not a bound either way): published beside the published months, it
  would give a secret month by subtraction. So a yearly quantity whose
  population is secret in one month of the year at the same coordinates is **guarded**
  (`with_month_guards`): masked when not 0, and protected whatever its value, so that neither
  the yearly table nor the months determine it or pin it to fewer than three values (socle.attack).
  A published yearly inflow figure therefore only ever sums published months (privacy.md: « a
  yearly figure is never published where it would reveal a masked monthly one »).

The yearly cells are masked once, when a snapshot is published (`store_masked_yearly`, beside the
monthly masked table): the open data and the dashboards read the same masked yearly table there.
"""

from __future__ import annotations

import csv
import json
import logging
import time
from pathlib import Path

import polars as pl

from publication.gate_attack import certify
from publication.table import CELLS, MASKED_SCHEMA, MASKED_TABLE, PUBLISHED_VENTILATION, territories_of
from socle.masking import SECRET, StoredPeriods, mask_with_report, primary_secret
from socle.relations import GUARDS, POPULATIONS_FILE, declared

log = logging.getLogger(__name__)

PERIOD = "annee"
YEARLY_CELLS = [PERIOD if c == "mois" else c for c in CELLS]
YEARLY_KEY = ["indicateur", "niveau", "code_territoire", PERIOD, "ventilation", "modalite"]
STOCK = "stock"
MART = "indicateurs_annuels"
MASKED_YEARLY_TABLE = "indicateurs_annuels_masques"  # in the snapshot: YEARLY_CELLS masked + seuil_secret
YEARLY_REPORT = "rapport_masquage_annuel"  # in the snapshot: one row, the yearly masking's summary (JSON)


def _tables(cur, catalog: str | None) -> set[tuple[str, str]]:
    return set(cur.execute("select table_schema, table_name from information_schema.tables "
                           "where table_catalog = coalesce(?, current_database())", [catalog]).fetchall())


def read_indicateurs_annuels(con, catalog: str | None = None) -> pl.DataFrame | None:
    """The published rows of marts.indicateurs_annuels (`ensemble` only); None when the snapshot
    has no yearly mart (a snapshot older than the yearly figures). `catalog`: the attached
    snapshot's name, None for the database open on `con`."""
    cur = con.cursor()  # its own cursor: the caller's connection may hold a partly fetched result
    if ("marts", MART) not in _tables(cur, catalog):
        return None
    prefix = f"{catalog}." if catalog else ""
    return cur.sql(f"select {', '.join(YEARLY_CELLS)} from {prefix}marts.{MART} "
                   f"where ventilation = '{PUBLISHED_VENTILATION}'").pl()


def store_masked_yearly(con, catalog: str, threshold: int, cache: Path | None = None,
                        attack_cache: Path | None = None) -> dict | None:
    """Write `catalog`.publie.indicateurs_annuels_masques (the yearly cells masked by
    `masked_yearly_cells` from the monthly masked table already stored there, and the threshold,
    column seuil_secret) and `catalog`.publie.rapport_masquage_annuel; returns the masking's
    summary, None when the snapshot has no yearly mart. `cache`, `attack_cache`: as in
    `masked_yearly_cells`."""
    yearly = read_indicateurs_annuels(con, catalog)
    if yearly is None:
        return None
    frame = lambda sql: con.sql(sql).pl()  # noqa: E731
    monthly = frame(f"select {', '.join(CELLS)} from {catalog}.{MASKED_SCHEMA}.{MASKED_TABLE}")
    appartenance = frame(f"select * from {catalog}.marts.dim_territoires_appartenance")
    masked, summary = masked_yearly_cells(yearly, monthly, frame(f"select * from {catalog}.marts.dim_indicateurs"),
                                          frame(f"select * from {catalog}.marts.dim_territoires"), threshold,
                                          appartenance, cache=cache, attack_cache=attack_cache)
    con.register("_masque_annuel", masked.with_columns(seuil_secret=pl.lit(threshold, dtype=pl.Int64)))
    try:
        con.execute(f"create or replace table {catalog}.{MASKED_SCHEMA}.{MASKED_YEARLY_TABLE} as "
                    f"select * from _masque_annuel")
    finally:
        con.unregister("_masque_annuel")
    con.execute(f"create or replace table {catalog}.{MASKED_SCHEMA}.{YEARLY_REPORT} as select ? as resume",
                [json.dumps(summary)])
    return summary


def snapshot_masked_yearly(con, threshold: int) -> tuple[pl.DataFrame, dict] | None:
    """The masked yearly cells stored in the snapshot open on `con` and their masking's summary,
    when they were masked with `threshold`; None otherwise (an older snapshot, another threshold:
    the caller masks them then)."""
    cur = con.cursor()
    tables = _tables(cur, None)
    if not {(MASKED_SCHEMA, MASKED_YEARLY_TABLE), (MASKED_SCHEMA, YEARLY_REPORT)} <= tables:
        return None
    stored = cur.sql(f"select {', '.join(YEARLY_CELLS)}, seuil_secret "
                     f"from {MASKED_SCHEMA}.{MASKED_YEARLY_TABLE}").pl()
    if stored.height and set(stored["seuil_secret"].unique().to_list()) != {threshold}:
        return None
    summary = json.loads(cur.execute(f"select resume from {MASKED_SCHEMA}.{YEARLY_REPORT}").fetchone()[0])
    return stored.drop("seuil_secret"), summary


def masked_yearly(con, threshold: int, monthly_masked: pl.DataFrame, dim_indicateurs: pl.DataFrame,
                  dim_territoires: pl.DataFrame, appartenance: pl.DataFrame | None = None, *,
                  stored: bool = True, cache: Path | None = None,
                  attack_cache: Path | None = None) -> tuple[pl.DataFrame, dict] | None:
    """(masked yearly cells, masking summary) of the snapshot open on `con`: as stored at its
    publication for `threshold` (`stored`), else masked now by `masked_yearly_cells` from
    `monthly_masked`; None when the snapshot has no yearly mart. The open data and the dashboards
    read the yearly figures through this one function."""
    kept = snapshot_masked_yearly(con, threshold) if stored else None
    if kept is not None:
        return kept
    yearly = read_indicateurs_annuels(con)
    if yearly is None:
        return None
    return masked_yearly_cells(yearly, monthly_masked, dim_indicateurs, dim_territoires, threshold, appartenance,
                               cache=cache, attack_cache=attack_cache)


def yearly_kinds(dim_indicateurs: pl.DataFrame) -> dict[str, str]:
    """indicateur → how its yearly figure is made (`stock`, `flux`, `cohorte`): the dimension's
    chiffre_annuel when it has it, else socle/populations.csv (`decembre` → stock)."""
    if "chiffre_annuel" in dim_indicateurs.columns:
        return dict(zip(dim_indicateurs["indicateur"], dim_indicateurs["chiffre_annuel"]))
    out: dict[str, str] = {}
    with POPULATIONS_FILE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out[row["indicateur"]] = STOCK if row["annuel"] == "decembre" else row["annuel"]
    return out


def stock_indicators(dim_indicateurs: pl.DataFrame) -> list[str]:
    return sorted(code for code, kind in yearly_kinds(dim_indicateurs).items() if kind == STOCK)


def copied_month(monthly: pl.DataFrame) -> pl.DataFrame:
    """The month each stock yearly figure copies: December of the year, else the last computed
    month of the year (the latest month of the year the monthly table holds for that cell)."""
    return (monthly.with_columns(pl.col("mois").dt.year().cast(pl.Int64).alias(PERIOD))
            .group_by("indicateur", "niveau", "code_territoire", PERIOD, "ventilation", "modalite")
            .agg(pl.col("mois").max().alias("mois_copie")))


def mask_stocks(stocks: pl.DataFrame, monthly_masked: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """Stock yearly cells with the mask of the monthly cell they copy (plus, defensively, the
    primary rule on their own figures: a copy that differed from its month would still be safe)."""
    month_of = copied_month(monthly_masked)
    secret_month = monthly_masked.select("indicateur", "niveau", "code_territoire", "ventilation", "modalite",
                                         pl.col("mois").alias("mois_copie"),
                                         (pl.col("statut") == SECRET).alias("_secret_mois"))
    keyed = (stocks.with_columns(pl.col(PERIOD).cast(pl.Int64))
             .join(month_of, on=YEARLY_KEY, how="left")
             .join(secret_month, on=["indicateur", "niveau", "code_territoire", "ventilation", "modalite",
                                     "mois_copie"], how="left"))
    hit = pl.col("_secret_mois").fill_null(False) | primary_secret(threshold)
    return keyed.with_columns(
        valeur=pl.when(hit).then(None).otherwise(pl.col("valeur")),
        numerateur=pl.when(hit).then(None).otherwise(pl.col("numerateur")),
        denominateur=pl.when(hit).then(None).otherwise(pl.col("denominateur")),
        statut=pl.when(hit).then(pl.lit(SECRET)).otherwise(pl.col("statut"))).select(YEARLY_CELLS)


def with_month_guards(flows: pl.DataFrame, monthly: pl.DataFrame) -> pl.DataFrame:
    """`flows` (yearly inflow and cohort rows, `annee`) with the guard columns of socle.relations
    (`garde_numerateur`, `garde_denominateur`): true for a quantity whose population, at the same
    territory and category, no published cell of `monthly` (the masked monthly table: `mois` a
    date or `AAAA-MM` text, `statut`) shows in some month of that year."""
    roles = declared().with_defaults(sorted(set(flows["indicateur"]) | set(monthly["indicateur"]))).roles
    coords = ["niveau", "code_territoire", "ventilation", "modalite"]
    month = pl.col("mois")
    year = (month.dt.year() if monthly.schema["mois"] == pl.Date else month.str.slice(0, 4).cast(pl.Int32))
    hidden = (monthly.select("indicateur", *coords, "mois", year.cast(pl.Int64).alias(PERIOD),
                             (pl.col("statut") == SECRET).alias("_secret"))
              .join(roles, on="indicateur", how="inner")
              .group_by("population", *coords, "mois", PERIOD).agg(pl.col("_secret").all())
              .filter("_secret").select("population", *coords, PERIOD).unique()
              .with_columns(_garde=pl.lit(True)))
    rows = flows.drop(list(GUARDS.values()), strict=False).with_row_index("_r")
    guards = (rows.select("_r", "indicateur", *coords, pl.col(PERIOD).cast(pl.Int64))
              .join(roles, on="indicateur", how="inner")
              .join(hidden, on=["population", *coords, PERIOD], how="left")
              .group_by("_r").agg([(pl.col("_garde").fill_null(False) & (pl.col("quantite") == q)).any().alias(col)
                                   for q, col in GUARDS.items()]))
    return (rows.join(guards, on="_r", how="left")
            .with_columns([pl.col(col).fill_null(False) for col in GUARDS.values()]).sort("_r").drop("_r"))


def masked_yearly_cells(yearly: pl.DataFrame, monthly_masked: pl.DataFrame, dim_indicateurs: pl.DataFrame,
                        dim_territoires: pl.DataFrame, threshold: int,
                        appartenance: pl.DataFrame | None = None,
                        cache: Path | None = None, attack_cache: Path | None = None) -> tuple[pl.DataFrame, dict]:
    """The yearly cells masked (YEARLY_CELLS, values unrounded) and a summary of the masking:
    stock figures take their monthly cell's mask, inflow and cohort figures are masked as a
    table of their own (socle.masking, period `annee`). `cache`: a folder keeping each year's
    masked inflow rows by fingerprint (socle.masking.StoredPeriods): a year whose rows did not
    change is not masked again, and the years of earlier maskings that this one did not use are
    deleted from it. `attack_cache`: the gate's attack cache, where the masking leaves
    its final attack of the years it masked (publication.gate_attack.certify)."""
    started = time.time()
    yearly = yearly.select(YEARLY_CELLS).with_columns(pl.col(PERIOD).cast(pl.Int64))
    is_stock = pl.col("indicateur").is_in(stock_indicators(dim_indicateurs))
    stocks = mask_stocks(yearly.filter(is_stock), monthly_masked.select(CELLS), threshold)
    flows = with_month_guards(yearly.filter(~is_stock), monthly_masked.select(CELLS))
    summary: dict = {"cellules_stock": stocks.height,
                     "cellules_stock_masquees": stocks.filter(pl.col("statut") == SECRET).height}
    if flows.height:
        stored = StoredPeriods(cache) if cache is not None else None
        flows, report = mask_with_report(flows, territories_of(dim_territoires), threshold, appartenance,
                                         period=PERIOD, reuse=stored)
        if stored is not None:
            stored.keep(flows, report.fingerprints, PERIOD)
            log.info("masquage annuel : %d année(s) d'anciens masquages retirée(s) du cache", stored.prune(started))
        if attack_cache is not None:
            certify(flows, report.gate_clear, territories_of(dim_territoires), appartenance, threshold, PERIOD,
                    attack_cache)
        summary["flux_et_cohortes"] = report.summary() | {
            "quantites_gardees": int(flows.select(pl.sum_horizontal(*GUARDS.values()).sum()).item())}
    else:
        summary["flux_et_cohortes"] = None
    masked = pl.concat([stocks, flows.select(YEARLY_CELLS)])
    summary["cellules_masquees"] = masked.filter(pl.col("statut") == SECRET).height
    return masked, summary


def flow_rows(table: pl.DataFrame, stock_codes: list[str]) -> pl.DataFrame:
    """The inflow and cohort rows of a yearly table: the table the gate attacks."""
    return table.filter(~pl.col("indicateur").is_in(stock_codes))


def exposed_stock_copies(yearly: pl.DataFrame, monthly: pl.DataFrame, stock_codes: list[str]) -> pl.DataFrame:
    """From the published files (yearly `annee` integer, monthly `mois` YYYY-MM): one row per
    stock yearly cell published while the monthly cell it copies is secret (`copie_revelatrice`
    names it), or null rows. The copied month: the latest month of the year in the monthly file."""
    key = ["indicateur", "niveau", "code_territoire", "ventilation", "modalite"]
    months = monthly.filter(pl.col("indicateur").is_in(stock_codes)).with_columns(
        pl.col("mois").str.slice(0, 4).cast(pl.Int64).alias(PERIOD))
    last = months.group_by(*key, PERIOD).agg(pl.col("mois").max())
    secret = months.select(*key, "mois", (pl.col("statut") == SECRET).alias("_secret_mois"))
    copies = (yearly.filter(pl.col("indicateur").is_in(stock_codes)).select(*key, PERIOD, "statut")
              .join(last, on=[*key, PERIOD], how="left").join(secret, on=[*key, "mois"], how="left"))
    bad = pl.col("_secret_mois").fill_null(False) & (pl.col("statut") != SECRET)
    frame = copies.select(pl.when(bad).then(pl.concat_str(
        [pl.col("indicateur"), pl.lit(" | "), pl.col("niveau"), pl.lit(" "), pl.col("code_territoire"),
         pl.lit(" | "), pl.col(PERIOD).cast(pl.String), pl.lit(" (copie de "), pl.col("mois"),
         pl.lit(", secret)")])).alias("copie_revelatrice"))
    return frame if frame.height else pl.DataFrame({"copie_revelatrice": [None]}, schema={"copie_revelatrice": pl.String})


def write_yearly(folder: Path, table: pl.DataFrame, text: pl.DataFrame) -> None:
    text.write_csv(folder / "indicateurs_annuels.csv")
    table.write_parquet(folder / "indicateurs_annuels.parquet", compression="zstd", statistics=True)
