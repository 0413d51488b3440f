"""What anyone knows about a published table of figures (privacy.md, small-count masking).

A published cell (indicator × territory × period × breakdown category) shows up to two
**quantities**: a count (counts), or a numerator and a denominator (rates), or a denominator
(delays). Several indicators publish the same population: `nouveaux_entrants` is the
denominator of both orientation rates, and so on. Each quantity therefore names a
**population** (`populations.csv`, the one declared table of identities between indicators), and
a **variable** of the model is one population at one territory, period and category: every cell
that carries it shows the same number.

What anyone knows, besides the published numbers (`liens_populations.csv` and the territorial
referential):

- additive equations, each `parent − Σ children = 0`, for every population, period and
  (ventilation, modalite): the régions of the nation, the départements of the nation, the
  bassins of the nation, the départements of a région, the bassins of a département when every
  bassin holding one of its communes lies entirely within it (and likewise the bassins of a
  région), the categories of a breakdown under their `ensemble` row, and the population sums
  (`beneficiaires_sdd = beneficiaires_orientes + beneficiaires_en_attente_orientation`);
- inequalities: every quantity is ≥ 0, a numerator is ≤ its denominator, a sub-population is
  ≤ its population (`inclus` rows).

Yearly figures (pilotage.md) are masked as tables of their own (publication.annuels), and
`populations.csv` says, in its `annuel` column, how each yearly quantity relates to the months.
`decembre`: the yearly figure is the figure of the month copied (December, or the last computed
month): it takes that monthly cell's mask. `premiere_entree` and `cohorte`: the yearly figure is
most often the sum of the months' (a person counts once a year), but not always, nor bounded by it
(a numerator of a later entry is not in the yearly numerator, pilotage.md worked case 5; a cohort's
earliest record of the year may lie in a month not computed; a région counts twice a person who
entered two of its départements). These links are not equations of the model: a
yearly quantity whose population is secret in one of its months is **guarded** instead (optional
columns `GUARDS` of the frame, `guarded_variables`): the masking protects it whatever its value
and the attack exposes it when it is published, determined or pinned to fewer than three values,
so that a published yearly figure only ever sums published months.

The model is built from structure only (indicators, territories, categories, periods present
in the frame), never from the values, so that the masking (which knows the values) and the
publication gate's attack (which reads the published table) build the same system. The period
column is a parameter (`mois` for monthly tables, `annee` for yearly ones).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl

POPULATIONS_FILE = Path(__file__).with_name("populations.csv")
LINKS_FILE = Path(__file__).with_name("liens_populations.csv")
ENSEMBLE = "ensemble"
QUANTITIES = ("numerateur", "denominateur")
COORDS = ["niveau", "code_territoire", "periode", "ventilation", "modalite"]
GUARDS = {"numerateur": "garde_numerateur", "denominateur": "garde_denominateur"}  # optional bool columns


@dataclass(frozen=True)
class Declared:
    """The declared identities: which population each quantity of each indicator counts."""

    roles: pl.DataFrame                             # indicateur, quantite, population
    sums: tuple[tuple[str, tuple[str, ...]], ...]   # (total, parts): total = Σ parts
    inclusions: tuple[tuple[str, str], ...]         # (sub, super): sub ≤ super

    def with_defaults(self, indicators: list[str]) -> Declared:
        """Add the default roles of indicators that the table does not declare: each quantity is its
        own population (a count: its numerateur; a rate: numerateur ≤ denominateur; a delay: its
        denominateur), named after the indicator."""
        known = set(self.roles["indicateur"])
        rows = []
        for code in sorted(set(indicators) - known):
            kind = default_kind(code)
            if kind in ("effectif", "taux"):
                rows.append((code, "numerateur", f"{code}.numerateur"))
            if kind in ("taux", "delai"):
                rows.append((code, "denominateur", f"{code}.denominateur"))
        if not rows:
            return self
        extra = pl.DataFrame(rows, schema=self.roles.schema, orient="row")
        roles = pl.concat([self.roles, extra])
        return Declared(roles=roles, sums=self.sums, inclusions=_with_rate_inclusions(roles, self.inclusions))


def default_kind(code: str) -> str:
    if code.startswith(("taux_", "part_")):
        return "taux"
    if code.startswith("delai_"):
        return "delai"
    return "effectif"


def _with_rate_inclusions(roles: pl.DataFrame, inclusions) -> tuple[tuple[str, str], ...]:
    """A numerator is ≤ its denominator: one inclusion per indicator with both."""
    both = (roles.pivot(on="quantite", index="indicateur", values="population", aggregate_function="first"))
    out = list(inclusions)
    if {"numerateur", "denominateur"} <= set(both.columns):
        for num, den in both.drop_nulls(["numerateur", "denominateur"]).select("numerateur", "denominateur").rows():
            if (num, den) not in out:
                out.append((num, den))
    return tuple(out)


@cache
def declared() -> Declared:
    """The declared table (populations.csv, liens_populations.csv)."""
    with POPULATIONS_FILE.open(encoding="utf-8") as f:
        rows = [(r["indicateur"], r["quantite"], r["population"]) for r in csv.DictReader(f)]
    roles = pl.DataFrame(rows, schema={"indicateur": pl.String, "quantite": pl.String, "population": pl.String},
                         orient="row")
    sums, inclusions = [], []
    with LINKS_FILE.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["lien"] == "somme":
                sums.append((r["population"], tuple(r["autres"].split("+"))))
            elif r["lien"] == "inclus":
                inclusions.append((r["population"], r["autres"]))
            else:
                raise ValueError(f"lien inconnu dans {LINKS_FILE.name} : {r['lien']}")
    return Declared(roles=roles, sums=tuple(sums), inclusions=_with_rate_inclusions(roles, inclusions))


# --- territories --------------------------------------------------------------------------------

def territorial_groups(territories: pl.DataFrame, appartenance: pl.DataFrame | None = None) -> pl.DataFrame:
    """The additive groups of the referential: rows (groupe, p_niveau, p_code, niveau, code_territoire),
    one per child of a group whose parent cell is p.

    `territories`: niveau, code_territoire, code_region (and code_departement when known).
    `appartenance` (dim_territoires_appartenance): for each bassin, every département holding one
    of its communes. Without it, a bassin is taken to lie in `code_departement` of `territories`
    when given, and a bassin with none to touch every département (so no département is closed)."""
    t = territories
    regions = t.filter(pl.col("niveau") == "region")
    deps = t.filter(pl.col("niveau") == "departement")
    bassins = t.filter(pl.col("niveau") == "bassin")
    parts = [
        regions.select(pl.lit("FR:regions").alias("groupe"), pl.lit("national").alias("p_niveau"),
                       pl.lit("FR").alias("p_code"), "niveau", "code_territoire"),
        deps.select(pl.lit("FR:departements").alias("groupe"), pl.lit("national").alias("p_niveau"),
                    pl.lit("FR").alias("p_code"), "niveau", "code_territoire"),
        bassins.select(pl.lit("FR:bassins").alias("groupe"), pl.lit("national").alias("p_niveau"),
                       pl.lit("FR").alias("p_code"), "niveau", "code_territoire"),
        deps.filter(pl.col("code_region").is_not_null()).select(
            (pl.lit("region:") + pl.col("code_region") + pl.lit(":departements")).alias("groupe"),
            pl.lit("region").alias("p_niveau"), pl.col("code_region").alias("p_code"), "niveau", "code_territoire"),
    ]
    touches = bassin_touches(territories, appartenance)  # code_territoire (bassin), code_departement, code_region
    if touches.height:
        known = set(bassins["code_territoire"])
        touches = touches.filter(pl.col("code_territoire").is_in(list(known)))
        for level, col in (("departement", "code_departement"), ("region", "code_region")):
            spans = touches.group_by("code_territoire").agg(pl.col(col).n_unique().alias("n"),
                                                             pl.col(col).first().alias("seul"))
            # a parent is closed when every bassin touching it lies entirely within it
            per_parent = (touches.select("code_territoire", col).unique()
                          .join(spans, on="code_territoire")
                          .group_by(col).agg((pl.col("n") == 1).all().alias("ferme"),
                                             pl.col("code_territoire").alias("bassins")))
            closed = per_parent.filter("ferme").explode("bassins")
            parts.append(closed.select(
                (pl.lit(f"{level}:") + pl.col(col) + pl.lit(":bassins")).alias("groupe"),
                pl.lit(level).alias("p_niveau"), pl.col(col).alias("p_code"), pl.lit("bassin").alias("niveau"),
                pl.col("bassins").alias("code_territoire")))
    return pl.concat(parts)


def bassin_touches(territories: pl.DataFrame, appartenance: pl.DataFrame | None) -> pl.DataFrame:
    """(bassin, département, région) for every département holding one of the bassin's communes."""
    schema = {"code_territoire": pl.String, "code_departement": pl.String, "code_region": pl.String}
    if appartenance is not None and appartenance.height:
        return (appartenance.filter(pl.col("niveau") == "bassin")
                .select([pl.col(c).cast(pl.String) for c in schema]).unique())
    if "code_departement" not in territories.columns:
        return pl.DataFrame(schema=schema)
    b = territories.filter(pl.col("niveau") == "bassin")
    inside = b.filter(pl.col("code_departement").is_not_null())
    deps = territories.filter(pl.col("niveau") == "departement").select(
        pl.col("code_territoire").alias("code_departement"), "code_region")
    spanning = b.filter(pl.col("code_departement").is_null()).select("code_territoire").join(deps, how="cross")
    return pl.concat([inside.select(*schema), spanning.select(*schema)]).select(
        [pl.col(c).cast(pl.String) for c in schema])


# --- the model ----------------------------------------------------------------------------------

@dataclass
class Model:
    """Variables, the cells that carry them, and the relations between them."""

    variables: pl.DataFrame      # var (row index), population, niveau, code_territoire, periode, ventilation, modalite
    cell_var: pl.DataFrame       # cellule (row of the frame), var, quantite
    eq_row: np.ndarray           # equation terms: equation index, variable index, coefficient (+1 / −1)
    eq_var: np.ndarray
    eq_coef: np.ndarray
    n_eq: int
    ineq: np.ndarray             # (k, 2): variable sub ≤ variable super
    eq_label: list[str]          # what each equation says (for reports)

    @property
    def n_var(self) -> int:
        return self.variables.height


def build_model(frame: pl.DataFrame, territories: pl.DataFrame, appartenance: pl.DataFrame | None = None,
                period: str = "mois", decl: Declared | None = None) -> Model:
    """The model of `frame` (one row per cell: indicateur, niveau, code_territoire, <period>,
    ventilation, modalite). Cell numbers are the row positions of `frame`."""
    decl = (decl or declared()).with_defaults(frame["indicateur"].unique().to_list())
    cells = frame.select("indicateur", "niveau", "code_territoire", pl.col(period).alias("periode"),
                         "ventilation", "modalite").with_row_index("cellule")
    long = cells.join(decl.roles, on="indicateur", how="inner")
    variables = (long.select("population", *COORDS).unique(maintain_order=True).with_row_index("var"))
    cell_var = long.join(variables, on=["population", *COORDS], how="inner").select(
        "cellule", "var", "quantite").sort("cellule", "var")
    terms: list[pl.DataFrame] = []   # eq key (string), var, coef

    def add(parents: pl.DataFrame, children: pl.DataFrame, key: list[str], label: pl.Expr) -> None:
        """parents: key cols + var; children: key cols + var; one equation per key having both."""
        p = parents.select(*key, "var").unique(subset=key, keep="first")
        c = children.select(*key, "var")
        eq = p.join(c.select(key).unique(), on=key, how="semi").with_columns(_label=label)
        labels = eq.select(*key, "_label")
        terms.append(pl.concat([
            eq.select("_label", "var", pl.lit(1, pl.Int8).alias("coef")),
            c.join(labels, on=key, how="inner").select("_label", "var", pl.lit(-1, pl.Int8).alias("coef")),
        ]))

    # territorial groups, within every population × period × category
    groups = territorial_groups(territories, appartenance)
    v = variables
    children = v.join(groups, on=["niveau", "code_territoire"], how="inner")
    parents = v.join(groups.select("groupe", "p_niveau", "p_code").unique(),
                     left_on=["niveau", "code_territoire"], right_on=["p_niveau", "p_code"], how="inner")
    gkey = ["groupe", "population", "periode", "ventilation", "modalite"]
    add(parents, children, gkey, pl.concat_str([pl.col(c).cast(pl.String) for c in gkey], separator="|"))
    # categories of a breakdown under their ensemble row
    cats = v.filter(pl.col("ventilation") != ENSEMBLE)
    if cats.height:
        ens = v.filter((pl.col("ventilation") == ENSEMBLE) & (pl.col("modalite") == ENSEMBLE)).drop("ventilation")
        bkey = ["population", "niveau", "code_territoire", "periode", "ventilation"]
        ens_per_vent = ens.join(cats.select("ventilation").unique(), how="cross")
        add(ens_per_vent, cats, bkey, pl.concat_str([pl.lit("ventilation")] + [pl.col(c).cast(pl.String) for c in bkey],
                                                    separator="|"))
    # population sums (every part must exist at the coordinates)
    for total, parts in decl.sums:
        tot = v.filter(pl.col("population") == total)
        prt = v.filter(pl.col("population").is_in(list(parts)))
        complete = prt.group_by(COORDS).agg(pl.col("population").n_unique().alias("n")).filter(
            pl.col("n") == len(parts)).drop("n")
        add(tot, prt.join(complete, on=COORDS, how="semi"), COORDS,
            pl.concat_str([pl.lit(f"somme {total}")] + [pl.col(c).cast(pl.String) for c in COORDS], separator="|"))
    if terms:
        all_terms = pl.concat(terms)
        keys = all_terms.select("_label").unique(maintain_order=True).with_row_index("eq")
        all_terms = all_terms.join(keys, on="_label").sort("eq", "var")
        eq_row = all_terms["eq"].to_numpy().astype(np.int64)
        eq_var = all_terms["var"].to_numpy().astype(np.int64)
        eq_coef = all_terms["coef"].to_numpy().astype(np.float64)
        eq_label = keys["_label"].to_list()
    else:
        eq_row = eq_var = np.zeros(0, np.int64)
        eq_coef = np.zeros(0)
        eq_label = []
    # inclusions at the same coordinates
    pairs = []
    for sub, sup in decl.inclusions:
        a = v.filter(pl.col("population") == sub).select(*COORDS, pl.col("var").alias("a"))
        b = v.filter(pl.col("population") == sup).select(*COORDS, pl.col("var").alias("b"))
        pairs.append(a.join(b, on=COORDS, how="inner").select("a", "b"))
    ineq = (pl.concat(pairs).to_numpy().astype(np.int64) if pairs else np.zeros((0, 2), np.int64))
    return Model(variables=variables, cell_var=cell_var, eq_row=eq_row, eq_var=eq_var, eq_coef=eq_coef,
                 n_eq=len(eq_label), ineq=ineq.reshape(-1, 2), eq_label=eq_label)


def variable_values(model: Model, frame: pl.DataFrame, published: pl.Series | None = None) -> np.ndarray:
    """The value of every variable read from the cells of `frame` (NaN when no cell shows it):
    only the cells where `published` is true when given."""
    num = frame["numerateur"].cast(pl.Float64).to_numpy()
    den = frame["denominateur"].cast(pl.Float64).to_numpy()
    cv = model.cell_var
    cell = cv["cellule"].to_numpy()
    var = cv["var"].to_numpy()
    q = np.where(cv["quantite"].to_numpy() == "numerateur", num[cell], den[cell])
    if published is not None:
        q = np.where(published.to_numpy()[cell], q, np.nan)
    out = np.full(model.n_var, np.nan)
    ok = ~np.isnan(q)
    out[var[ok]] = q[ok]   # cells that carry the same variable show the same number
    return out


def guarded_variables(model: Model, frame: pl.DataFrame) -> np.ndarray:
    """The guarded variables (socle.attack): those that a cell of `frame` carries as a quantity
    whose guard column (`GUARDS`, optional; publication.annuels.with_month_guards) is true."""
    out = np.zeros(model.n_var, bool)
    cv = model.cell_var
    cell, var = cv["cellule"].to_numpy(), cv["var"].to_numpy()
    quantity = cv["quantite"].to_numpy()
    for name, column in GUARDS.items():
        if column in frame.columns:
            flag = frame[column].fill_null(False).to_numpy()
            hit = (quantity == name) & flag[cell]
            out[var[hit]] = True
    return out
