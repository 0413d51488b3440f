"""The publication gate: nothing is published unless every blocking check passes (publication.md).

A Great Expectations checkpoint (ephemeral context, pandas data source, one ValidationDefinition
per checked frame) over what was actually written in the folder:

- `indicateurs_texte` (indicateurs.csv read as text): columns and their order, required cells,
  enums (niveau, statut, indicateur), `mois` as YYYY-MM, the rounding of `valeur` (counts as
  integers, rates with 4 decimals, delays with 1), integer counts, unique key;
- `indicateurs_valeurs` (indicateurs.parquet): no visible count, numerator or denominator
  between 1 and threshold − 1, secret cells empty, rates within [0, 1], numerator ≤ denominator,
  no negative figure;
- `couverture`: every expected territory × month × indicator present (see `expected_keys`);
- `secret_secondaire`: no additive group left with exactly one secret cell under a published total
  (checked independently of socle.masking; the breakdown groups included);
- `parite`: the CSV and the Parquet file hold the same table;
- `attaque`: the attack of socle.attack on the published Parquet table alone (published figures,
  the relations and bounds of privacy.md): no secret count, numerator or denominator may be
  determined exactly or narrowed to fewer than three possible values (`cellule_exposee` names
  the cell — indicator, territory, month — never its value); its figures go to
  `validation/attaque.json`;

The yearly table (indicateurs_annuels.csv / .parquet, publication.annuels), when the export holds
it, goes through the same checks under the names `annuels_texte`, `annuels_valeurs`,
`annuels_secret_secondaire`, `annuels_parite` and `annuels_attaque` (the attack of its inflow and
cohort rows, with the year as the period; a yearly quantity whose population is secret in one of
its months is guarded, publication.annuels.with_month_guards: published, determined or pinned to
fewer than three values, whatever its value, it is exposed), plus `annuels_stocks`: no stock yearly figure
published while the monthly cell it copies (December, or the last month of the year in
indicateurs.csv) is secret (`copie_revelatrice` names it).

then `frictionless validate <folder>/datapackage.json` (the CLI, in a subprocess).

Results are written to `<folder>/validation/` (checks summary, GE result, frictionless report),
and GE Data Docs (HTML) are built offline into `data_docs` when given (kept out of the public
folder: their pages load their style sheets from CDNs). Any failure raises PublicationRefusee.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from publication.table import COLUMNS, KEY, KINDS, NIVEAUX, STATUTS, csv_table
from socle.rounding import decimals_for_kind

log = logging.getLogger(__name__)

REQUIRED = ["indicateur", "libelle_indicateur", "niveau", "code_territoire", "libelle_territoire", "mois",
            "ventilation", "modalite", "statut"]
VALUE_PATTERNS = {"effectif": r"^[0-9]+$", "taux": r"^(?:0\.[0-9]{4}|1\.0000)$",
                  "delai_moyen": r"^[0-9]+\.[0-9]$", "delai_median": r"^[0-9]+\.[0-9]$"}
ENSEMBLE = "ensemble"


class PublicationRefusee(RuntimeError):
    """A blocking check failed: nothing was published, `latest` did not move."""

    def __init__(self, failures: list[str], report_dir: Path | None = None):
        self.failures = failures
        self.report_dir = report_dir
        where = f"\nRésultats des contrôles : {report_dir}" if report_dir else ""
        super().__init__("publication refusée, la publication précédente reste en place ; contrôles en échec :\n- "
                         + "\n- ".join(failures) + where)


@dataclass
class Expected:
    """What the export must contain, from the snapshot."""

    kinds: dict[str, str]                 # indicateur → effectif / taux / delai_moyen / delai_median
    territories: pl.DataFrame             # dim_territoires: niveau, code_territoire, code_region
    months: list[str]                     # YYYY-MM, every month computed
    bassin_months: pl.DataFrame = field(  # (code_territoire, mois YYYY-MM) of the bassins the mart places in each month
        default_factory=lambda: pl.DataFrame(schema={"code_territoire": pl.String, "mois": pl.String}))
    single_referential: bool = True       # one bassin referential (or none): every bassin applies to every month
    territory_months: pl.DataFrame | None = None  # exact (niveau, code_territoire, mois YYYY-MM), when the snapshot has it
    appartenance: pl.DataFrame | None = None  # dim_territoires_appartenance: the départements of each bassin
    decimals: dict[str, int] | None = None  # indicateur → decimals (seed `decimales`); None: from the kinds
    yearly_stock: list[str] | None = None  # the export holds the yearly table: its stock indicators; None: no yearly table
    attack_cache: Path | None = None      # folder of the attack's results per period (publication.gate_attack)

    def decimals_of(self) -> dict[str, int]:
        """indicateur → decimals of its published value."""
        if self.decimals is not None:
            return self.decimals
        return {code: decimals_for_kind(kind) for code, kind in self.kinds.items()}


def month_range(first: date, last: date) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


# --- derived frames -------------------------------------------------------------------------------

def _key_text(*cols: str) -> pl.Expr:
    return pl.concat_str([pl.col(c).cast(pl.String).fill_null("∅") for c in cols], separator="|")


def coverage_frame(text: pl.DataFrame, expected: Expected) -> pl.DataFrame:
    """One row per expected key (plus one per month checked as a whole): `cle_manquante` names
    the key when it is absent from the export, null otherwise.

    Expected: `territory_months` when the snapshot has the territory × month table; else every
    territory of dim_territoires for every month computed when a single bassin referential is
    loaded (it then applies to every month); else, with several referentials, national, régions
    and départements for every month, and for bassins those the mart places in each month (the
    referential that applies to the month decides), with at least one bassin in every month."""
    indicators = pl.DataFrame({"indicateur": sorted(expected.kinds)}, schema={"indicateur": pl.String})
    months = pl.DataFrame({"mois": expected.months}, schema={"mois": pl.String})
    terr = expected.territories.select("niveau", "code_territoire")
    has_bassins = terr.filter(pl.col("niveau") == "bassin").height > 0
    if expected.territory_months is not None:
        grid = expected.territory_months.select("niveau", "code_territoire", "mois")
    elif expected.single_referential:
        grid = terr.join(months, how="cross")
    else:
        fixed = terr.filter(pl.col("niveau") != "bassin").join(months, how="cross")
        bassins = expected.bassin_months.select(pl.lit("bassin").alias("niveau"), "code_territoire", "mois")
        grid = pl.concat([fixed, bassins])
    keys = grid.join(indicators, how="cross").with_columns(ventilation=pl.lit(ENSEMBLE), modalite=pl.lit(ENSEMBLE))
    present = text.select(*KEY).unique().with_columns(_present=pl.lit(True))
    rows = [keys.join(present, on=KEY, how="left").select(
        pl.when(pl.col("_present").is_null()).then(_key_text(*KEY)).alias("cle_manquante"))]
    if has_bassins:
        with_b = text.filter(pl.col("niveau") == "bassin").select("mois").unique().with_columns(_v=pl.lit(True))
        rows.append(months.join(with_b, on="mois", how="left").select(
            pl.when(pl.col("_v").is_null()).then(pl.lit("aucun bassin en ") + pl.col("mois")).alias("cle_manquante")))
    return pl.concat(rows)


def secondary_frame(values: pl.DataFrame, territories: pl.DataFrame) -> pl.DataFrame:
    """One row per additive group instance: `groupe_expose` describes the group when it holds
    exactly one secret cell under a published total (that cell could be recomputed)."""
    secret = values.with_columns(_s=pl.col("statut") == "secret")
    terr = territories.select("niveau", "code_territoire", "code_region")
    members = pl.concat([
        terr.filter(pl.col("niveau") == "departement").select(
            "niveau", "code_territoire", pl.lit("region").alias("p_niveau"), pl.col("code_region").alias("p_code")),
        terr.filter(pl.col("niveau") == "region").select(
            "niveau", "code_territoire", pl.lit("national").alias("p_niveau"), pl.lit("FR").alias("p_code")),
        terr.filter(pl.col("niveau") == "bassin").select(
            "niveau", "code_territoire", pl.lit("national").alias("p_niveau"), pl.lit("FR").alias("p_code")),
    ])
    geo = secret.join(members, on=["niveau", "code_territoire"], how="inner").with_columns(
        g_niveau=pl.col("niveau"))
    parents = secret.select(pl.col("indicateur"), pl.col("niveau").alias("p_niveau"),
                            pl.col("code_territoire").alias("p_code"), "mois", "ventilation", "modalite",
                            pl.col("_s").alias("_ps"))
    geo_groups = (geo.group_by("indicateur", "mois", "ventilation", "modalite", "g_niveau", "p_niveau", "p_code")
                  .agg(pl.col("_s").sum().alias("n"))
                  .join(parents, on=["indicateur", "p_niveau", "p_code", "mois", "ventilation", "modalite"], how="inner")
                  .select(pl.when((pl.col("n") == 1) & ~pl.col("_ps")).then(
                      pl.concat_str([pl.col("g_niveau"), pl.lit(" de "), pl.col("p_niveau"), pl.lit(" "),
                                     pl.col("p_code"), pl.lit(" | "), pl.col("indicateur"), pl.lit(" | "),
                                     pl.col("mois"), pl.lit(" | "), pl.col("ventilation"), pl.lit("="),
                                     pl.col("modalite")])).alias("groupe_expose")))
    cats = secret.filter(pl.col("ventilation") != ENSEMBLE)
    totals = secret.filter((pl.col("ventilation") == ENSEMBLE) & (pl.col("modalite") == ENSEMBLE)).select(
        "indicateur", "niveau", "code_territoire", "mois", pl.col("_s").alias("_ps"))
    cat_groups = (cats.group_by("indicateur", "niveau", "code_territoire", "mois", "ventilation")
                  .agg(pl.col("_s").sum().alias("n"))
                  .join(totals, on=["indicateur", "niveau", "code_territoire", "mois"], how="inner")
                  .select(pl.when((pl.col("n") == 1) & ~pl.col("_ps")).then(
                      pl.concat_str([pl.lit("catégories de "), pl.col("ventilation"), pl.lit(" | "),
                                     pl.col("indicateur"), pl.lit(" | "), pl.col("niveau"), pl.lit(" "),
                                     pl.col("code_territoire"), pl.lit(" | "), pl.col("mois")])).alias("groupe_expose")))
    return pl.concat([geo_groups, cat_groups])


HOW = {"determinee": "valeur déterminée exactement",
       "encadree": "valeur encadrée à moins de trois possibilités",
       "publiee": "publiée alors qu'un mois de l'année est secret"}


def attack_frame(values: pl.DataFrame, expected: Expected, threshold: int,
                 period: str = "mois") -> tuple[pl.DataFrame, dict]:
    """Attack the published table: one row per exposed quantity (`cellule_exposee` names it), or
    one empty row; and the attack's summary. `period`: `annee` for the yearly table. The attack
    runs period by period, each period's result kept by its exact content (publication.gate_attack)."""
    from publication.gate_attack import attack_by_period
    from socle.attack import GATE_LP_MAX_VARS

    if values.height == 0:
        return pl.DataFrame({"cellule_exposee": [None]}, schema={"cellule_exposee": pl.String}), {}
    exposed, summary = attack_by_period(values, expected.territories, expected.appartenance, threshold, period,
                                        GATE_LP_MAX_VARS, expected.attack_cache, HOW)
    frame = pl.DataFrame({"cellule_exposee": exposed or [None]}, schema={"cellule_exposee": pl.String})
    return frame, summary


def parity_frame(text: pl.DataFrame, parquet_as_text: pl.DataFrame, key: list[str] = KEY,
                 columns: list[str] = COLUMNS) -> pl.DataFrame:
    """`ecart` names every key whose row differs between the CSV and the Parquet file."""
    a = text.select(*key, _a=_key_text(*columns))
    b = parquet_as_text.select(*[pl.col(c).cast(pl.String) for c in key], _b=_key_text(*columns))
    both = a.join(b, on=key, how="full", coalesce=True)
    return both.select(pl.when(pl.col("_a").ne_missing(pl.col("_b"))).then(_key_text(*key)).alias("ecart"))


# --- Great Expectations -------------------------------------------------------------------------

def _in(column: str, values: list[str]) -> str:
    return f"{column} in {json.dumps(sorted(values))}"


PERIOD_REGEX = {"mois": r"^[0-9]{4}-(?:0[1-9]|1[0-2])$", "annee": r"^[0-9]{4}$"}


def _period(columns: list[str], period: str) -> list[str]:
    return [period if c == "mois" else c for c in columns]


def _suites(gx, threshold: int, kinds: dict[str, str]) -> dict[str, list]:
    monthly = _table_suites(gx, threshold, kinds, "mois")
    yearly = _table_suites(gx, threshold, kinds, "annee")
    E = gx.expectations
    return {
        "indicateurs_texte": monthly[0],
        "indicateurs_valeurs": monthly[1],
        "couverture": [E.ExpectColumnValuesToBeNull(column="cle_manquante")],
        "secret_secondaire": [E.ExpectColumnValuesToBeNull(column="groupe_expose")],
        "parite": [E.ExpectColumnValuesToBeNull(column="ecart")],
        "attaque": [E.ExpectColumnValuesToBeNull(column="cellule_exposee")],
        "annuels_texte": yearly[0],
        "annuels_valeurs": yearly[1],
        "annuels_secret_secondaire": [E.ExpectColumnValuesToBeNull(column="groupe_expose")],
        "annuels_parite": [E.ExpectColumnValuesToBeNull(column="ecart")],
        "annuels_attaque": [E.ExpectColumnValuesToBeNull(column="cellule_exposee")],
        "annuels_stocks": [E.ExpectColumnValuesToBeNull(column="copie_revelatrice")],
    }


def _table_suites(gx, threshold: int, kinds: dict[str, str], period: str) -> tuple[list, list]:
    """(text expectations, value expectations) of the monthly table (`mois`) or the yearly one (`annee`)."""
    E = gx.expectations
    by_kind = {k: [c for c, v in kinds.items() if v == k] for k in KINDS}
    rates, counts = by_kind["taux"], by_kind["effectif"]
    small = list(range(1, threshold))
    text = [E.ExpectTableColumnsToMatchOrderedList(column_list=_period(COLUMNS, period))]
    text += [E.ExpectColumnValuesToNotBeNull(column=c) for c in _period(REQUIRED, period)]
    text += [E.ExpectColumnValuesToBeInSet(column="niveau", value_set=NIVEAUX),
             E.ExpectColumnValuesToBeInSet(column="statut", value_set=STATUTS),
             E.ExpectColumnValuesToBeInSet(column="indicateur", value_set=sorted(kinds)),
             E.ExpectColumnValuesToMatchRegex(column=period, regex=PERIOD_REGEX[period]),
             E.ExpectColumnValuesToMatchRegex(column="numerateur", regex=r"^[0-9]+$"),
             E.ExpectColumnValuesToMatchRegex(column="denominateur", regex=r"^[0-9]+$"),
             E.ExpectCompoundColumnsToBeUnique(column_list=_period(KEY, period))]
    text += [E.ExpectColumnValuesToMatchRegex(column="valeur", regex=VALUE_PATTERNS[k],
                                              row_condition=_in("indicateur", codes), condition_parser="pandas")
             for k, codes in by_kind.items() if codes]
    values = [E.ExpectColumnValuesToNotBeInSet(column="numerateur", value_set=small),
              E.ExpectColumnValuesToNotBeInSet(column="denominateur", value_set=small)]
    if counts:
        values.append(E.ExpectColumnValuesToNotBeInSet(column="valeur", value_set=small,
                                                       row_condition=_in("indicateur", counts), condition_parser="pandas"))
    values += [E.ExpectColumnValuesToBeNull(column=c, row_condition='statut == "secret"', condition_parser="pandas")
               for c in ("valeur", "numerateur", "denominateur")]
    values += [E.ExpectColumnValuesToBeBetween(column=c, min_value=0) for c in ("valeur", "numerateur", "denominateur")]
    if rates:
        values += [E.ExpectColumnValuesToBeBetween(column="valeur", min_value=0, max_value=1,
                                                   row_condition=_in("indicateur", rates), condition_parser="pandas"),
                   E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="denominateur", column_B="numerateur",
                                                             or_equal=True, ignore_row_if="either_value_is_missing",
                                                             row_condition=_in("indicateur", rates),
                                                             condition_parser="pandas")]
    return text, values


def run_checkpoint(frames: dict[str, pd.DataFrame], threshold: int, kinds: dict[str, str],
                   data_docs: Path | None = None):
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # before the import: it logs while importing
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)  # sets INFO itself

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("publication")
    definitions, batches = [], {}
    for name, expectations in _suites(gx, threshold, kinds).items():
        if name not in frames:  # the yearly checks, on an export without the yearly table
            continue
        asset = source.add_dataframe_asset(name)
        batch = asset.add_batch_definition_whole_dataframe(name)
        suite = context.suites.add(gx.ExpectationSuite(name=name))
        for expectation in expectations:
            suite.add_expectation(expectation)
        definitions.append(context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)))
        batches[name] = frames[name]
    results = {}
    for definition in definitions:
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=f"publication_{definition.name}", validation_definitions=[definition], actions=[],
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 10}))
        results[definition.name] = checkpoint.run(batch_parameters={"dataframe": batches[definition.name]})
    if data_docs is not None:  # once, from the stored results of every checkpoint
        context.add_data_docs_site(site_name="publication", site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}})
        context.build_data_docs(site_names=["publication"])
    return results


def _failures(results) -> tuple[list[str], list[dict]]:
    failures, summary = [], []
    for frame_name, checkpoint_result in results.items():
        for validation in checkpoint_result.run_results.values():
            for r in validation.results:
                cfg = r.expectation_config
                kwargs = {k: v for k, v in cfg.kwargs.items() if k in ("column", "column_A", "column_B", "row_condition")}
                if isinstance(kwargs.get("row_condition"), dict):  # GE wraps a pandas condition
                    kwargs["row_condition"] = kwargs["row_condition"].get("pass_through_filter", kwargs["row_condition"])
                res = r.result or {}
                entry = {"table": frame_name, "controle": cfg.type, "parametres": kwargs, "succes": bool(r.success),
                         "lignes_en_echec": res.get("unexpected_count"),
                         "exemples": [str(v) for v in (res.get("partial_unexpected_list") or [])][:10]}
                if r.exception_info and r.exception_info.get("raised_exception"):
                    entry["succes"] = False
                    entry["erreur"] = str(r.exception_info.get("exception_message"))
                summary.append(entry)
                if not entry["succes"]:
                    what = ", ".join(f"{k}={v}" for k, v in kwargs.items())
                    detail = (f"{entry['lignes_en_echec']} ligne(s), ex. {', '.join(entry['exemples'][:5])}"
                              if entry["lignes_en_echec"] else entry.get("erreur") or str(res.get("observed_value", ""))[:200])
                    failures.append(f"{frame_name} : {cfg.type} ({what}) — {detail}")
    return failures, summary


# --- frictionless ---------------------------------------------------------------------------------

def frictionless_validate(datapackage: Path) -> tuple[bool, dict | str]:
    """Run the `frictionless validate` CLI of this environment on the data package."""
    exe = Path(sys.executable).with_name("frictionless")
    cmd = [str(exe) if exe.exists() else (shutil.which("frictionless") or "frictionless"),
           "validate", "--json", str(datapackage)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=datapackage.parent, timeout=600)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return False, (proc.stdout + proc.stderr)[-4000:]
    return proc.returncode == 0 and bool(report.get("valid")), report


def _frictionless_errors(report: dict | str) -> list[str]:
    if isinstance(report, str):
        return [f"frictionless validate : {report.strip()[-500:]}"]
    errors = []
    for task in report.get("tasks", []):
        for err in task.get("errors", [])[:5]:
            errors.append(f"frictionless validate ({task.get('name')}) : {err.get('type')} — {err.get('message')}")
    return errors or ["frictionless validate : paquet invalide"]


# --- the gate -------------------------------------------------------------------------------------

def read_frames(folder: Path, expected: Expected, threshold: int | None = None,
                attack_summary: dict | None = None) -> dict[str, pd.DataFrame]:
    text = pl.read_csv(folder / "indicateurs.csv", infer_schema=False)
    arrow = pq.read_table(folder / "indicateurs.parquet")
    values = pl.from_arrow(arrow)
    text_pd = pd.read_csv(folder / "indicateurs.csv", dtype=str, keep_default_na=False, na_values=[""])
    values_pd = arrow.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    key_cols = [c for c in KEY if c in text.columns]
    frames = {"indicateurs_texte": text_pd, "indicateurs_valeurs": values_pd}
    if len(key_cols) == len(KEY) and set(COLUMNS) <= set(values.columns) and set(COLUMNS) <= set(text.columns):
        frames["couverture"] = coverage_frame(text, expected).to_pandas()
        frames["secret_secondaire"] = secondary_frame(values, expected.territories).to_pandas()
        frames["parite"] = parity_frame(text, csv_table(values, expected.decimals_of())).to_pandas()
        if threshold is not None:
            attacked, summary = attack_frame(values, expected, threshold)
            frames["attaque"] = attacked.to_pandas()
            if attack_summary is not None:
                attack_summary.update(summary)
    else:
        missing = pd.DataFrame({"x": ["colonnes manquantes : contrôle impossible"]})
        frames["couverture"] = missing.rename(columns={"x": "cle_manquante"})
        frames["secret_secondaire"] = missing.rename(columns={"x": "groupe_expose"})
        frames["parite"] = missing.rename(columns={"x": "ecart"})
    if "attaque" not in frames:
        frames["attaque"] = pd.DataFrame({"cellule_exposee": ["table illisible : attaque impossible"]})
    if expected.yearly_stock is not None:
        frames.update(yearly_frames(folder, expected, threshold, text,
                                    attack_summary if attack_summary is not None else {}))
    return frames


def yearly_frames(folder: Path, expected: Expected, threshold: int | None, monthly_text: pl.DataFrame,
                  attack_summary: dict) -> dict[str, pd.DataFrame]:
    """The checked frames of the yearly table (publication.annuels); a missing file fails them."""
    from publication.annuels import exposed_stock_copies, flow_rows, with_month_guards

    csv_path, parquet_path = folder / "indicateurs_annuels.csv", folder / "indicateurs_annuels.parquet"
    columns, key = _period(COLUMNS, "annee"), _period(KEY, "annee")
    if not (csv_path.exists() and parquet_path.exists()):
        missing = "indicateurs_annuels.csv ou .parquet absent"
        return {name: pd.DataFrame({col: [missing]}) for name, col in (
            ("annuels_texte", "x"), ("annuels_secret_secondaire", "groupe_expose"), ("annuels_parite", "ecart"),
            ("annuels_attaque", "cellule_exposee"), ("annuels_stocks", "copie_revelatrice"))} | {
            "annuels_valeurs": pd.DataFrame({"numerateur": [1]})}
    text = pl.read_csv(csv_path, infer_schema=False)
    arrow = pq.read_table(parquet_path)
    values = pl.from_arrow(arrow)
    frames = {"annuels_texte": pd.read_csv(csv_path, dtype=str, keep_default_na=False, na_values=[""]),
              "annuels_valeurs": arrow.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)}
    if not (set(columns) <= set(values.columns) and set(columns) <= set(text.columns)):
        unreadable = "colonnes manquantes : contrôle impossible"
        return frames | {name: pd.DataFrame({col: [unreadable]}) for name, col in (
            ("annuels_secret_secondaire", "groupe_expose"), ("annuels_parite", "ecart"),
            ("annuels_attaque", "cellule_exposee"), ("annuels_stocks", "copie_revelatrice"))}
    frames["annuels_secret_secondaire"] = secondary_frame(
        values.with_columns(pl.col("annee").cast(pl.String)).rename({"annee": "mois"}), expected.territories).to_pandas()
    frames["annuels_parite"] = parity_frame(text, csv_table(values, expected.decimals_of()), key, columns).to_pandas()
    frames["annuels_stocks"] = exposed_stock_copies(values, monthly_text, expected.yearly_stock).to_pandas()
    if threshold is not None:
        flows = with_month_guards(flow_rows(values, expected.yearly_stock), monthly_text)
        attacked, summary = attack_frame(flows, expected, threshold, period="annee")
        frames["annuels_attaque"] = attacked.to_pandas()
        attack_summary["annuels"] = summary
    else:
        frames["annuels_attaque"] = pd.DataFrame({"cellule_exposee": [None]}, dtype=object)
    return frames


def check_export(folder: Path, expected: Expected, threshold: int, data_docs: Path | None = None) -> dict:
    """Run every blocking check on the folder; write `validation/`; raise PublicationRefusee on failure."""
    out = folder / "validation"
    out.mkdir(exist_ok=True)
    failures: list[str] = []
    attack_summary: dict = {}
    try:
        frames = read_frames(folder, expected, threshold, attack_summary)
        (out / "attaque.json").write_text(json.dumps(attack_summary, ensure_ascii=False, indent=2),
                                          encoding="utf-8")
    except Exception as exc:  # unreadable files are a failure of the gate, not a crash
        frames = None
        failures.append(f"fichiers illisibles : {exc}")
    summary: list[dict] = []
    if frames is not None:
        results = run_checkpoint(frames, threshold, expected.kinds, data_docs)
        failures, summary = _failures(results)
        (out / "great_expectations.json").write_text(json.dumps(
            {name: r.describe_dict() for name, r in results.items()}, ensure_ascii=False, indent=2, default=str),
            encoding="utf-8")
    ok, report = frictionless_validate(folder / "datapackage.json")
    (out / "frictionless.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) if isinstance(report, dict) else report, encoding="utf-8")
    summary.append({"table": "datapackage.json", "controle": "frictionless validate", "succes": ok})
    if not ok:
        failures += _frictionless_errors(report)
    verdict = {"succes": not failures, "seuil_secret": threshold, "echecs": failures, "controles": summary}
    (out / "controles.json").write_text(json.dumps(verdict, ensure_ascii=False, indent=2, default=str),
                                        encoding="utf-8")
    if failures:
        raise PublicationRefusee(failures, out)
    return verdict
