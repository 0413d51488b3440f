"""A hand-made snapshot with the marts the publication reads (exactly their columns).

Territories: FR; régions 53 (départements 35, 56) and 93 (13, 84); bassins B35 (in 35), BX
(56 and 13: it spans both régions), B13 (13), B84 (84). Indicators: beneficiaires_sdd (count),
taux_orientation_15j (rate), delai_orientation_moyen_j (mean delay). Months 2024-01 and 2024-02
(CAF files delivered from 2023-12 to 2024-02). Yearly figures of 2024 and targets (annuels=True).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from socle.snapshot import write_pointer

MARKER = "CLAIR-1234567890123"  # a planted clear identifier: it must never leave the snapshot

TERRITOIRES = [
    # niveau, code, libellé, code_region, code_departement
    ("national", "FR", "France", None, None),
    ("region", "53", "Bretagne", "53", None),
    ("region", "93", "Provence-Alpes-Côte d'Azur", "93", None),
    ("departement", "35", "Ille-et-Vilaine", "53", "35"),
    ("departement", "56", "Morbihan", "53", "56"),
    ("departement", "13", "Bouches-du-Rhône", "93", "13"),
    ("departement", "84", "Vaucluse", "93", "84"),
    ("bassin", "B35", "Rennes", "53", "35"),
    ("bassin", "BX", "Interrégional", None, None),
    ("bassin", "B13", "Marseille", "93", "13"),
    ("bassin", "B84", "Avignon", "93", "84"),
]
APPARTENANCE = [
    # niveau, code, code_departement, code_region, nb_communes, population
    ("bassin", "B35", "35", "53", 3, 30000), ("bassin", "BX", "56", "53", 2, 20000),
    ("bassin", "BX", "13", "93", 1, 10000), ("bassin", "B13", "13", "93", 2, 40000),
    ("bassin", "B84", "84", "93", 2, 25000),
    ("region", "53", "35", "53", 3, 30000), ("region", "53", "56", "53", 2, 20000),
    ("region", "93", "13", "93", 3, 50000), ("region", "93", "84", "93", 2, 25000),
    ("departement", "35", "35", "53", 3, 30000), ("departement", "56", "56", "53", 2, 20000),
    ("departement", "13", "13", "93", 3, 50000), ("departement", "84", "84", "93", 2, 25000),
    ("national", "FR", "35", "53", 3, 30000), ("national", "FR", "56", "53", 2, 20000),
    ("national", "FR", "13", "93", 3, 50000), ("national", "FR", "84", "93", 2, 25000),
]
INDICATEURS_DIM = [
    ("beneficiaires_sdd", 1, "Bénéficiaires du RSA soumis aux droits et devoirs", "effectif", "personnes",
     "Nombre de personnes soumises aux droits et devoirs à la fin du mois.", "Fichier mensuel RSA de la CAF.",
     "Toujours définitif."),
    ("taux_orientation_15j", 3, "Part des nouveaux entrants orientés en moins de 15 jours", "taux",
     "part (de 0 à 1)", "Part des nouveaux entrants orientés en moins de 15 jours.",
     "Fichier RSA ; orientations des départements.", "Provisoire jusqu'au fichier d'orientations de M+4."),
    ("delai_orientation_moyen_j", 5, "Délai moyen d'orientation des nouveaux entrants", "delai_moyen", "jours",
     "Moyenne des jours entre T0 et l'orientation.", "Fichier RSA ; orientations des départements.",
     "Provisoire jusqu'au fichier d'orientations de M+9."),
]
ORDER = ["FR", "53", "93", "35", "56", "13", "84", "B35", "BX", "B13", "B84"]

# (numerateur, denominateur, valeur, statut) per territory in ORDER, per (indicateur, mois)
FIGURES = {
    ("beneficiaires_sdd", "2024-01"): [(n, None, float(n), "definitif") for n in
                                       (465, 125, 340, 120, 5, 300, 40, 120, 105, 200, 40)],
    ("beneficiaires_sdd", "2024-02"): [(n, None, float(n), "definitif") for n in
                                       (485, 130, 355, 130, 0, 310, 45, 130, 100, 210, 45)],
    ("taux_orientation_15j", "2024-01"): [(n, d, (n / d if d else None), "definitif") for n, d in
                                          ((56, 82), (6, 12), (50, 70), (6, 12), (0, 0), (30, 45), (20, 25),
                                           (6, 12), (10, 15), (20, 30), (20, 25))],
    ("taux_orientation_15j", "2024-02"): [(n, d, n / d, "provisoire") for n, d in
                                          ((89, 133), (27, 50), (62, 83), (12, 20), (15, 30), (40, 50), (22, 33),
                                           (12, 20), (25, 40), (30, 40), (22, 33))],
    ("delai_orientation_moyen_j", "2024-01"): [(None, d, v, "provisoire") for d, v in
                                               ((44, 9.69), (4, 12.345), (40, 9.43), (4, 12.345), (0, None),
                                                (25, 10.25), (15, 8.04), (4, 12.345), (12, 11.0), (13, 9.9),
                                                (15, 8.04))],
    ("delai_orientation_moyen_j", "2024-02"): [(None, d, v, "provisoire") for d, v in
                                               ((73, 8.1), (23, 13.5), (50, 5.5), (12, 7.56), (11, 20.0),
                                                (30, 5.123), (20, 6.0), (12, 7.56), (20, 11.0), (21, 5.0),
                                                (20, 6.0))],
}
NIVEAU = {code: niveau for niveau, code, *_ in TERRITOIRES}

LIVRAISONS = [
    # id, type, producteur, mois, sha256
    ("L-rsa-2023-12", "rsa", "caf", "2023-12-01", "a" * 64),
    ("L-rsa-2024-01", "rsa", "caf", "2024-01-01", "b" * 64),
    ("L-rsa-2024-02", "rsa", "caf", "2024-02-01", "c" * 64),
    ("L-ori-35-2024-02", "orientations", "35", "2024-02-01", "d" * 64),
    ("L-ori-13-2024-02", "orientations", "13", "2024-02-01", "e" * 64),
]


def indicateurs_frame(figures=FIGURES) -> pl.DataFrame:
    rows = []
    for (ind, mois), cells in figures.items():
        for code, (num, den, val, statut) in zip(ORDER, cells):
            rows.append((ind, NIVEAU[code], code, date.fromisoformat(mois + "-01"), "ensemble", "ensemble",
                         num, den, val, statut))
    return pl.DataFrame(rows, orient="row", schema={
        "indicateur": pl.String, "niveau": pl.String, "code_territoire": pl.String, "mois": pl.Date,
        "ventilation": pl.String, "modalite": pl.String, "numerateur": pl.Int64, "denominateur": pl.Int64,
        "valeur": pl.Float64, "statut": pl.String})


# Yearly figures of 2024 (marts.indicateurs_annuels, ensemble rows): the inflow figures, hand-made and
# additive (FR = Σ départements = Σ bassins; 53 = 35 + 56; 93 = 13 + 84; B35 = 35; B84 = 84; BX holds
# all of 56 and part of 13), per territory in ORDER; the stock figure (beneficiaires_sdd) is the copy of
# the last month of 2024 of the monthly figures (yearly_frame).
FIGURES_ANNUELLES = {
    "taux_orientation_15j": [(n, d, n / d, "provisoire") for n, d in
                             ((114, 183), (19, 53), (95, 130), (15, 28), (4, 25), (60, 80), (35, 50),
                              (15, 28), (24, 45), (40, 60), (35, 50))],
    "delai_orientation_moyen_j": [(None, d, v, "provisoire") for d, v in
                                  ((145, 9.31), (35, 11.14), (110, 8.52), (20, 10.5), (15, 12.0), (70, 8.25),
                                   (40, 9.0), (20, 10.5), (25, 11.2), (60, 8.0), (40, 9.0))],
}
STOCKS = ["beneficiaires_sdd"]
CIBLE_SOURCE = "Instruction 2023/192, annexe 4, volet 2 §4.2 : Objectif = 100 %"


def yearly_frame(indicateurs: pl.DataFrame, figures=FIGURES_ANNUELLES) -> pl.DataFrame:
    """marts.indicateurs_annuels of the fixture: the stock rows copy the last month of each year
    (provisoire: December is not computed), the inflow rows are `figures` (year 2024)."""
    last = indicateurs.filter(pl.col("indicateur").is_in(STOCKS)).with_columns(annee=pl.col("mois").dt.year())
    last = last.filter(pl.col("mois") == pl.col("mois").max().over("annee"))
    stocks = last.select("indicateur", "niveau", "code_territoire", pl.col("annee").cast(pl.Int32), "ventilation",
                         "modalite", "numerateur", "denominateur", "valeur",
                         pl.when(pl.col("mois").dt.month() == 12).then(pl.col("statut"))
                         .otherwise(pl.lit("provisoire")).alias("statut"))
    rows = [(ind, NIVEAU[code], code, 2024, "ensemble", "ensemble", num, den, val, statut)
            for ind, cells in figures.items() for code, (num, den, val, statut) in zip(ORDER, cells)]
    flows = pl.DataFrame(rows, orient="row", schema=stocks.schema)
    return pl.concat([stocks, flows])


def cibles_frame(indicateurs: pl.DataFrame) -> pl.DataFrame:
    """marts.cibles of the fixture: taux_orientation_15j ≥ 1.0 for every territory and month."""
    return (indicateurs.filter((pl.col("indicateur") == "taux_orientation_15j") & (pl.col("ventilation") == "ensemble"))
            .select("indicateur", "niveau", "code_territoire", "mois", valeur_cible=pl.lit(1.0),
                    sens=pl.lit("minimum"), source=pl.lit(CIBLE_SOURCE)))


_REGION = {code: region for niveau, code, _l, region, _d in TERRITOIRES if niveau == "departement"}


def with_sexe_breakdown(ind: pl.DataFrame) -> pl.DataFrame:
    """The mart `ind` plus a `sexe` breakdown of every row: in each département, H holds
    min(3, q) of each quantity q and F the rest (a count's or rate's value follows); a région's and the nation's categories are the
    sums of their départements' (bassins: the département rule, never published)."""
    small = lambda c: pl.min_horizontal(pl.col(c), pl.lit(3, pl.Int64))  # noqa: E731
    base = ind.filter(pl.col("niveau").is_in(["departement", "bassin"])).with_columns(
        h_num=small("numerateur"), h_den=small("denominateur"))
    deps = base.filter(pl.col("niveau") == "departement").with_columns(
        code_region=pl.col("code_territoire").replace_strict(_REGION))
    regions = deps.group_by("indicateur", "mois", "code_region").agg(pl.col("h_num", "h_den").sum()).rename(
        {"code_region": "code_territoire"}).with_columns(niveau=pl.lit("region"))
    nation = deps.group_by("indicateur", "mois").agg(pl.col("h_num", "h_den").sum()).with_columns(
        code_territoire=pl.lit("FR"), niveau=pl.lit("national"))
    keys = ["indicateur", "niveau", "code_territoire", "mois"]
    h = pl.concat([base.select(*keys, "h_num", "h_den"), regions.select(*keys, "h_num", "h_den"),
                   nation.select(*keys, "h_num", "h_den")])
    null_if = lambda c, h: pl.when(pl.col(c).is_null()).then(None).otherwise(h)  # noqa: E731
    rows = ind.join(h, on=keys, how="left")
    men = rows.with_columns(modalite=pl.lit("H"), numerateur=null_if("numerateur", pl.col("h_num")),
                            denominateur=null_if("denominateur", pl.col("h_den")))
    women = rows.with_columns(modalite=pl.lit("F"), numerateur=pl.col("numerateur") - pl.col("h_num"),
                              denominateur=pl.col("denominateur") - pl.col("h_den"))
    # a category's value from its own quantities (a count, a rate); a mean delay keeps the ensemble's
    valeur = (pl.when(pl.col("numerateur").is_not_null() & pl.col("denominateur").is_null())
              .then(pl.col("numerateur").cast(pl.Float64))
              .when(pl.col("numerateur").is_not_null() & (pl.col("denominateur") > 0))
              .then(pl.col("numerateur") / pl.col("denominateur")).otherwise(pl.col("valeur")))
    parts = [p.with_columns(ventilation=pl.lit("sexe"), valeur=valeur).select(ind.columns) for p in (women, men)]
    return pl.concat([ind, *parts])


def livraisons_frame(livraisons=LIVRAISONS, replaced=()) -> pl.DataFrame:
    rows = []
    for id_, type_, prod, mois, sha in livraisons:
        rows.append((id_, type_, prod, date.fromisoformat(mois), "csv", sha, 1000, datetime(2024, 3, 1),
                     datetime(2024, 3, 2), "acceptee", None, 10, 10, 0, None, True, None))
    for id_, type_, prod, mois, sha, by in replaced:
        rows.append((id_, type_, prod, date.fromisoformat(mois), "csv", sha, 1000, datetime(2024, 2, 1),
                     datetime(2024, 2, 2), "acceptee", None, 10, 10, 0, None, False, by))
    return pl.DataFrame(rows, orient="row", schema={
        "id_livraison": pl.String, "type_fichier": pl.String, "producteur": pl.String, "mois": pl.Date,
        "extension": pl.String, "sha256": pl.String, "taille_octets": pl.Int64, "date_modification": pl.Datetime,
        "recu_le": pl.Datetime, "statut": pl.String, "motif_rejet": pl.String, "lignes_lues": pl.Int64,
        "lignes_chargees": pl.Int64, "lignes_quarantaine": pl.Int64, "colonnes_ignorees": pl.String,
        "est_courante": pl.Boolean, "remplacee_par": pl.String})


def personnes_frame() -> pl.DataFrame:
    """Pseudonymised person × month facts, with a planted forbidden column (`nir`, in clear)."""
    rows = [("p" * 63 + str(i), date(2024, 1, 1), reg, dep, bassin, "25-29", MARKER)
            for i, (reg, dep, bassin) in enumerate([("53", "35", "B35"), ("53", "56", "BX"), ("93", "13", "BX"),
                                                    ("93", "84", "B84")])]
    return pl.DataFrame(rows, orient="row", schema={
        "personne": pl.String, "mois": pl.Date, "code_region": pl.String, "code_departement": pl.String,
        "code_bassin": pl.String, "tranche_age": pl.String, "nir": pl.String})


def make_snapshot(settings, *, indicateurs: pl.DataFrame | None = None, livraisons: pl.DataFrame | None = None,
                  personnes: bool = False, name: str | None = None, extra: dict | None = None,
                  annuels: bool = True) -> Path:
    """Write a snapshot file holding the marts and make it current."""
    settings.snapshots.mkdir(parents=True, exist_ok=True)
    n = len(list(settings.snapshots.glob("socle_*.duckdb")))
    path = settings.snapshots / (name or f"socle_test{n:03d}.duckdb")
    ind = indicateurs_frame() if indicateurs is None else indicateurs
    liv = livraisons_frame() if livraisons is None else livraisons
    terr = pl.DataFrame(TERRITOIRES, orient="row", schema=["niveau", "code_territoire", "libelle_territoire",
                                                           "code_region", "code_departement"]).with_columns(
        est_substitut_arrondissement=pl.lit(False))
    app = pl.DataFrame(APPARTENANCE, orient="row", schema=["niveau", "code_territoire", "code_departement",
                                                           "code_region", "nb_communes", "population"]).with_columns(
        annee_referentiel=pl.when(pl.col("niveau") == "bassin").then(pl.lit(2024)).cast(pl.Int32)).select(
        "niveau", "code_territoire", "code_departement", "code_region", "annee_referentiel", "nb_communes",
        "population")
    dim = pl.DataFrame(INDICATEURS_DIM, orient="row", schema=["indicateur", "ordre", "libelle", "type_indicateur",
                                                              "unite", "definition", "sources", "regle_maturite"])
    manquantes = pl.DataFrame({"type_fichier": ["orientations", "orientations"], "producteur": ["56", "84"],
                               "mois": [date(2024, 2, 1)] * 2, "nb_livraisons_rejetees": [0, 1]})
    quarantaine = pl.DataFrame({"id_livraison": ["L-ori-35-2024-02", "L-ori-13-2024-02"],
                                "type_fichier": ["orientations"] * 2, "producteur": ["35", "13"],
                                "mois": [date(2024, 2, 1)] * 2, "colonne": ["date_orientation"] * 2,
                                "regle": ["date"] * 2, "nb_lignes": [1, 2]})
    liaison = pl.DataFrame({"mesure": ["enregistrements_non_lies"] * 2, "type_fichier": ["orientations"] * 2,
                            "producteur": ["35", "13"], "mois": [date(2024, 2, 1)] * 2, "numerateur": [1, 2],
                            "denominateur": [50, 60], "part": [1 / 50, 2 / 60]})
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        tables = {"indicateurs": ind, "dim_territoires": terr, "dim_territoires_appartenance": app,
                  "dim_indicateurs": dim, "fct_livraisons": liv, "fct_livraisons_manquantes": manquantes,
                  "fct_quarantaine_motifs": quarantaine, "fct_liaison": liaison}
        if personnes:
            tables["fct_personnes_mois"] = personnes_frame()
        if annuels:  # the yearly figures and the targets (issue #20)
            tables["indicateurs_annuels"] = yearly_frame(ind)
            tables["cibles"] = cibles_frame(ind)
        tables.update(extra or {})
        for table, frame in tables.items():
            con.register("_f", frame)
            con.execute(f"create table marts.{table} as select * from _f")
            con.unregister("_f")
        con.execute("checkpoint")
    finally:
        con.close()
    write_pointer(settings.current_pointer, path.name)
    return path
