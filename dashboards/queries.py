"""What each screen shows, as small frames, cached under the snapshot key.

The figures come from the masked copy held by `data.charger` (never from the raw mart); the
lookups and data-quality tables are parameterised SQL on the read-only snapshot. Every function
takes the snapshot key first, so a new snapshot never serves an old answer.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboards import data, fenetres
from dashboards.data import SnapshotKey, Snapshot
from dashboards.formatting import mois_decale

ENFANT_DE = {"national": "region", "region": "departement", "departement": "bassin"}


# --- territories ---------------------------------------------------------------------------

@st.cache_data(max_entries=512, show_spinner=False)
def territoire_connu(cle: SnapshotKey, niveau: str, code: str) -> bool:
    """Is (niveau, code) a territory of the referential? Parameterised: the values come from the URL."""
    n = data.requete(cle, "select count(*) as n from marts.dim_territoires where niveau = ? and code_territoire = ?",
                     [niveau, code])["n"][0]
    return n > 0


def departements_du_bassin(snapshot: Snapshot, code: str) -> list[str]:
    """Départements a bassin covers, the one holding most of its population first."""
    rows = snapshot.appartenance.filter((pl.col("niveau") == "bassin") & (pl.col("code_territoire") == code))
    rows = rows.sort(["population", "code_departement"], descending=[True, False], nulls_last=True)
    return rows["code_departement"].to_list()


def parent(snapshot: Snapshot, niveau: str, code: str) -> tuple[str, str] | None:
    """The territory a figure is compared with: the nation for a région, the région of a département,
    the département of a bassin (its main one when the bassin crosses a border)."""
    if niveau == "national":
        return None
    if niveau == "region":
        return ("national", "FR")
    row = snapshot.territoires.filter((pl.col("niveau") == niveau) & (pl.col("code_territoire") == code))
    if niveau == "departement":
        reg = row["code_region"][0] if row.height else None
        return ("region", reg) if reg else ("national", "FR")
    dep = row["code_departement"][0] if row.height else None
    if dep is None:
        deps = departements_du_bassin(snapshot, code)
        dep = deps[0] if deps else None
    return ("departement", dep) if dep else ("national", "FR")


def sous_territoires(snapshot: Snapshot, niveau: str, code: str) -> pl.DataFrame:
    """Territories one level down: régions of the nation, départements of a région, bassins touching a
    département (a bassin crossing the border is listed, flagged). Columns niveau, code_territoire,
    libelle_territoire, autres_departements (other départements of a cross-border bassin)."""
    enfant = ENFANT_DE.get(niveau)
    t = snapshot.territoires
    empty = pl.DataFrame(schema={"niveau": pl.String, "code_territoire": pl.String,
                                 "libelle_territoire": pl.String, "autres_departements": pl.String})
    if enfant is None:
        return empty
    if niveau == "national":
        rows = t.filter(pl.col("niveau") == "region")
    elif niveau == "region":
        rows = t.filter((pl.col("niveau") == "departement") & (pl.col("code_region") == code))
    else:
        bassins = (snapshot.appartenance.filter((pl.col("niveau") == "bassin") & (pl.col("code_departement") == code))
                   ["code_territoire"].unique())
        rows = t.filter((pl.col("niveau") == "bassin") & pl.col("code_territoire").is_in(bassins.to_list()))
    if niveau == "departement":
        autres = (snapshot.appartenance.filter((pl.col("niveau") == "bassin") & (pl.col("code_departement") != code))
                  .group_by("code_territoire").agg(pl.col("code_departement").sort().str.join(", ")
                                                   .alias("autres_departements")))
        rows = rows.join(autres, on="code_territoire", how="left")
    else:
        rows = rows.with_columns(autres_departements=pl.lit(None, pl.String))
    return rows.select("niveau", "code_territoire", "libelle_territoire", "autres_departements").sort(
        "libelle_territoire")


# --- figures (masked) ----------------------------------------------------------------------

_FIG_COLS = ["indicateur", "niveau", "code_territoire", "mois", "numerateur", "denominateur", "valeur", "statut"]


def _figures(snapshot: Snapshot, territoires: list[tuple[str, str]], mois: list[date] | None) -> pl.DataFrame:
    keys = pl.DataFrame(territoires, schema=["niveau", "code_territoire"], orient="row")
    f = snapshot.figures.join(keys, on=["niveau", "code_territoire"], how="semi")
    if mois is not None:
        f = f.filter(pl.col("mois").is_in(mois))
    return f.select(_FIG_COLS)


@st.cache_data(max_entries=256, show_spinner=False)
def cartes_long(cle: SnapshotKey, niveau: str, code: str, mois: date) -> pl.DataFrame:
    """The masked figures behind the cards, one row per indicator × figure: the territory at M, M−1
    and M−12 (`periode` 'M', 'M-1', 'M-12'), its parent and the nation at M (`role` 'territoire',
    'parent', 'france')."""
    snapshot = data.charger(cle)
    par = parent(snapshot, niveau, code)
    wanted = [("territoire", niveau, code, p, mois_decale(mois, -k)) for p, k in (("M", 0), ("M-1", 1), ("M-12", 12))]
    if par:
        wanted.append(("parent", par[0], par[1], "M", mois))
    if niveau != "national" and par != ("national", "FR"):
        wanted.append(("france", "national", "FR", "M", mois))
    keys = pl.DataFrame(wanted, schema={"role": pl.String, "niveau": pl.String, "code_territoire": pl.String,
                                        "periode": pl.String, "mois": pl.Date}, orient="row")
    f = keys.join(snapshot.figures.select(_FIG_COLS), on=["niveau", "code_territoire", "mois"], how="inner")
    f = f.join(snapshot.territoires.select("niveau", "code_territoire", "libelle_territoire"),
               on=["niveau", "code_territoire"], how="left")
    return f.select("role", "periode", "libelle_territoire", *_FIG_COLS)


def cartes(cle: SnapshotKey, niveau: str, code: str, mois: date) -> pl.DataFrame:
    """One row per indicator (display order): the figure of the territory at M (valeur, numerateur,
    denominateur, statut) and the same columns suffixed _m1, _m12 (M−1, M−12), _parent and _fr
    (parent and nation at M); null when that figure does not exist. `attendu_en`, `attendu_en_m1`,
    `attendu_en_m12`: the month its result is expected when its observation window is still running
    (fenetres), else null. `valeur_cible`, `sens`, `source_cible`: the target of the figure at M
    (marts.cibles), null when it has none. The yearly figure of M's year (`annee`): `valeur_an`,
    `numerateur_an`, `denominateur_an`, `statut_an` (null without one), `fin_an` (the last computed
    month of that year) and `attendu_en_an` (the window of its last month still running)."""
    snapshot = data.charger(cle)
    long = cartes_long(cle, niveau, code, mois)
    out = snapshot.indicateurs.select("indicateur", "ordre", "libelle", "type_indicateur",
                                      *[c for c in ("chiffre_annuel",) if c in snapshot.indicateurs.columns])
    vals = ["valeur", "numerateur", "denominateur", "statut"]
    for role, periode, suffix in (("territoire", "M", ""), ("territoire", "M-1", "_m1"),
                                  ("territoire", "M-12", "_m12"), ("parent", "M", "_parent"),
                                  ("france", "M", "_fr")):
        part = long.filter((pl.col("role") == role) & (pl.col("periode") == periode)).select(
            "indicateur", *[pl.col(c).alias(c + suffix) for c in vals])
        out = out.join(part, on="indicateur", how="left")
    dernier = snapshot.mois[-1] if snapshot.mois else None
    for suffix, k in (("", 0), ("_m1", -1), ("_m12", -12)):
        out = out.with_columns(pl.lit(mois_decale(mois, k)).alias("_mois"))
        out = fenetres.colonne(out, dernier, "attendu_en" + suffix, "_mois").drop("_mois")
    cols_cible = {"valeur_cible": pl.Float64, "sens": pl.String, "source_cible": pl.String}
    if snapshot.cibles is not None:
        cib = snapshot.cibles.filter((pl.col("niveau") == niveau) & (pl.col("code_territoire") == code)
                                     & (pl.col("mois") == mois)).select(
            "indicateur", "valeur_cible", "sens", pl.col("source").alias("source_cible"))
        out = out.join(cib, on="indicateur", how="left")
    else:
        out = out.with_columns(*[pl.lit(None, t).alias(c) for c, t in cols_cible.items()])
    return _annee(snapshot, out, niveau, code, mois, dernier).sort("ordre", "indicateur")


def annee_long(cle: SnapshotKey, niveau: str, code: str, mois: date) -> pl.DataFrame:
    """The masked yearly figures of the cards (the territory, the year of `mois`), one row per
    indicator (`role` 'territoire'); no row without yearly figures."""
    snapshot = data.charger(cle)
    if snapshot.annuels is None:
        return pl.DataFrame(schema={"role": pl.String, "indicateur": pl.String, "niveau": pl.String,
                                    "code_territoire": pl.String, "annee": pl.Int64, "numerateur": pl.Int64,
                                    "denominateur": pl.Int64, "valeur": pl.Float64, "statut": pl.String})
    return snapshot.annuels.filter((pl.col("niveau") == niveau) & (pl.col("code_territoire") == code)
                                   & (pl.col("annee") == mois.year)).select(
        pl.lit("territoire").alias("role"), "indicateur", "niveau", "code_territoire",
        pl.col("annee").cast(pl.Int64), "numerateur", "denominateur", "valeur", "statut")


def _annee(snapshot: Snapshot, out: pl.DataFrame, niveau: str, code: str, mois: date,
           dernier: date | None) -> pl.DataFrame:
    """`out` with the yearly figures of the territory for the year of `mois` (see `cartes`)."""
    vals = ["valeur", "numerateur", "denominateur", "statut"]
    fin = max((m for m in snapshot.mois if m.year == mois.year), default=mois)
    if snapshot.annuels is not None:
        an = snapshot.annuels.filter((pl.col("niveau") == niveau) & (pl.col("code_territoire") == code)
                                     & (pl.col("annee") == mois.year)).select(
            "indicateur", *[pl.col(c).alias(c + "_an") for c in vals])
        out = out.join(an, on="indicateur", how="left")
    else:
        out = out.with_columns(*[pl.lit(None, out.schema[c]).alias(c + "_an") for c in vals])
    out = out.with_columns(pl.lit(fin).alias("fin_an"))
    return fenetres.colonne(out, dernier, "attendu_en_an", "fin_an")


@st.cache_data(max_entries=256, show_spinner=False)
def series(cle: SnapshotKey, niveau: str, code: str) -> pl.DataFrame:
    """The masked monthly figures of the territory and of its parent, every month computed,
    with a `role` column: 'territoire' or 'parent'."""
    snapshot = data.charger(cle)
    par = parent(snapshot, niveau, code)
    terr = [(niveau, code)] + ([par] if par else [])
    f = _figures(snapshot, terr, None)
    role = pl.when((pl.col("niveau") == niveau) & (pl.col("code_territoire") == code)).then(pl.lit("territoire"))
    f = f.with_columns(role=role.otherwise(pl.lit("parent")))
    f = fenetres.colonne(f, snapshot.mois[-1] if snapshot.mois else None)
    return f.join(snapshot.territoires.select("niveau", "code_territoire", "libelle_territoire"),
                  on=["niveau", "code_territoire"], how="left").sort("indicateur", "role", "mois")


@st.cache_data(max_entries=256, show_spinner=False)
def tableau(cle: SnapshotKey, niveau: str, code: str, mois: date) -> pl.DataFrame:
    """The masked figures of the sub-territories at M (long: one row per sub-territory × indicator)."""
    snapshot = data.charger(cle)
    subs = sous_territoires(snapshot, niveau, code)
    if subs.is_empty():
        return pl.DataFrame(schema={**{c: pl.String for c in ("niveau", "code_territoire", "libelle_territoire",
                                                               "autres_departements", "indicateur")},
                                    "mois": pl.Date, "numerateur": pl.Int64, "denominateur": pl.Int64,
                                    "valeur": pl.Float64, "statut": pl.String})
    f = _figures(snapshot, list(subs.select("niveau", "code_territoire").iter_rows()), [mois])
    return subs.join(f, on=["niveau", "code_territoire"], how="left").select(
        "niveau", "code_territoire", "libelle_territoire", "autres_departements", "indicateur", "mois",
        "numerateur", "denominateur", "valeur", "statut")


@st.cache_data(max_entries=64, show_spinner=False)
def serie_nationale(cle: SnapshotKey, indicateur: str) -> pl.DataFrame:
    snapshot = data.charger(cle)
    figures = _figures(snapshot, [("national", "FR")], None)
    figures = figures.filter(pl.col("indicateur") == indicateur).sort("mois")
    return fenetres.colonne(figures, snapshot.mois[-1] if snapshot.mois else None)


# --- data quality (parameterised SQL on the snapshot) ---------------------------------------

QUALITE = ("fct_livraisons", "fct_quarantaine_motifs", "fct_livraisons_manquantes", "fct_liaison",
           "fct_referentiel_bassins")


@st.cache_data(max_entries=16, show_spinner=False)
def tables_qualite(cle: SnapshotKey) -> frozenset[str]:
    return frozenset(data.tables_presentes(cle)) & frozenset(QUALITE)


@st.cache_data(max_entries=16, show_spinner=False)
def valeurs_qualite(cle: SnapshotKey) -> tuple[list[str], list[str], list[date]]:
    """Producers, file kinds and months of the delivery ledger and of the expected files (filters)."""
    expected = ("union select producteur, type_fichier, mois from marts.fct_livraisons_manquantes"
                if "fct_livraisons_manquantes" in tables_qualite(cle) else "")
    df = data.requete(cle, f"select distinct producteur, type_fichier, mois from marts.fct_livraisons {expected}")
    return (sorted(df["producteur"].drop_nulls().unique().to_list()),
            sorted(df["type_fichier"].drop_nulls().unique().to_list()),
            sorted(df["mois"].drop_nulls().unique().to_list()))


_FILTRE = ("list_contains(?, producteur) and list_contains(?, type_fichier) and mois between ? and ?")


@st.cache_data(max_entries=64, show_spinner=False)
def livraisons(cle: SnapshotKey, producteurs: tuple[str, ...], types: tuple[str, ...], debut: date,
               fin: date) -> pl.DataFrame:
    return data.requete(cle, f"""
        select id_livraison, producteur, type_fichier, mois, recu_le, statut, motif_rejet, extension,
               lignes_lues, lignes_chargees, lignes_quarantaine, colonnes_ignorees, est_courante, remplacee_par
        from marts.fct_livraisons
        where {_FILTRE}
        order by producteur, type_fichier, mois, recu_le""", [list(producteurs), list(types), debut, fin])


@st.cache_data(max_entries=64, show_spinner=False)
def quarantaine(cle: SnapshotKey, producteurs: tuple[str, ...], types: tuple[str, ...], debut: date,
                fin: date) -> pl.DataFrame:
    return data.requete(cle, f"""
        select q.producteur, q.type_fichier, q.mois, q.colonne, q.regle, q.nb_lignes, q.id_livraison
        from marts.fct_quarantaine_motifs as q
        where {_FILTRE}
        order by q.nb_lignes desc, q.producteur, q.type_fichier, q.mois""",
                         [list(producteurs), list(types), debut, fin])


@st.cache_data(max_entries=64, show_spinner=False)
def manquantes(cle: SnapshotKey, producteurs: tuple[str, ...], types: tuple[str, ...], debut: date,
               fin: date) -> pl.DataFrame:
    """Expected files never accepted, each marked 'jamais livré' when nothing of that kind has ever been
    accepted from that producer, 'en retard' when the month is after the last month accepted, else
    'manquant' (a gap before it): the definitions of the quality page (qualite.DEFINITIONS)."""
    return data.requete(cle, f"""
        with dernier as (
            select producteur, type_fichier, max(mois) as dernier_mois
            from marts.fct_livraisons where statut = 'acceptee' group by producteur, type_fichier
        )
        select m.producteur, m.type_fichier, m.mois, m.nb_livraisons_rejetees, d.dernier_mois,
               case when d.dernier_mois is null then 'jamais livré'
                    when m.mois > d.dernier_mois then 'en retard'
                    else 'manquant' end as situation
        from marts.fct_livraisons_manquantes as m
        left join dernier as d using (producteur, type_fichier)
        where list_contains(?, m.producteur) and list_contains(?, m.type_fichier) and m.mois between ? and ?
        order by situation, m.producteur, m.type_fichier, m.mois""", [list(producteurs), list(types), debut, fin])


@st.cache_data(max_entries=64, show_spinner=False)
def etat_producteurs(cle: SnapshotKey, producteurs: tuple[str, ...], types: tuple[str, ...]) -> pl.DataFrame:
    """One row per (producer, file kind) delivered or expected: last month delivered, when, months
    missing and quarantine."""
    present = tables_qualite(cle)
    has_missing = "fct_livraisons_manquantes" in present
    manq = ("(select count(*) from marts.fct_livraisons_manquantes as m where m.producteur = l.producteur "
            "and m.type_fichier = l.type_fichier)") if has_missing else "0"
    expected = ("union select producteur, type_fichier from marts.fct_livraisons_manquantes"
                if has_missing else "")
    return data.requete(cle, f"""
        with l as (select distinct producteur, type_fichier from (
                       select producteur, type_fichier from marts.fct_livraisons {expected})
                   where list_contains(?, producteur) and list_contains(?, type_fichier)),
        acc as (
            select producteur, type_fichier, max(mois) as dernier_mois, count(distinct mois) as mois_livres,
                   sum(case when est_courante then lignes_quarantaine else 0 end) as lignes_quarantaine,
                   sum(case when est_courante then lignes_lues else 0 end) as lignes_lues
            from marts.fct_livraisons where statut = 'acceptee' group by producteur, type_fichier
        ),
        der as (
            select producteur, type_fichier, max(recu_le) as derniere_reception
            from marts.fct_livraisons group by producteur, type_fichier
        ),
        rej as (
            select producteur, type_fichier, count(*) as livraisons_rejetees
            from marts.fct_livraisons where statut = 'rejetee' group by producteur, type_fichier
        )
        select l.producteur, l.type_fichier, acc.dernier_mois, der.derniere_reception, acc.mois_livres,
               {manq} as mois_manquants, coalesce(rej.livraisons_rejetees, 0) as livraisons_rejetees,
               coalesce(acc.lignes_quarantaine, 0) as lignes_quarantaine, coalesce(acc.lignes_lues, 0) as lignes_lues
        from l
        left join acc using (producteur, type_fichier)
        left join der using (producteur, type_fichier)
        left join rej using (producteur, type_fichier)
        order by l.producteur, l.type_fichier""", [list(producteurs), list(types)])


@st.cache_data(max_entries=64, show_spinner=False)
def liaison(cle: SnapshotKey, producteurs: tuple[str, ...], debut: date, fin: date) -> pl.DataFrame:
    return data.requete(cle, """
        select mesure, producteur, type_fichier, mois, numerateur, denominateur, part
        from marts.fct_liaison
        where list_contains(?, producteur) and mois between ? and ?
        order by mesure, producteur, type_fichier, mois""", [list(producteurs), debut, fin])


@st.cache_data(max_entries=16, show_spinner=False)
def referentiel_bassins(cle: SnapshotKey) -> pl.DataFrame:
    return data.requete(cle, "select * from marts.fct_referentiel_bassins order by annee_referentiel")
