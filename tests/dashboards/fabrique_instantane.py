"""Instantané de test fabriqué à la main : les tables `marts.*` que lit le tableau de bord.

Les colonnes sont celles de dbt_project/models/marts/_marts.yml. Les territoires viennent des
seeds du COG (régions, départements, arrondissements) ; les chiffres sont tirés au hasard
(graine fixe) par « unité » (un arrondissement d'un département), puis additionnés : chaque
département est la somme de ses unités, chaque région de ses départements, la France de ses
régions. Les bassins sont les arrondissements (substituts) ou, avec `bassins_reels=True`, des
bassins dont l'un est à cheval sur deux départements.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl

from socle.settings import COG_DIR
from socle.snapshot import write_pointer

INDICATEURS = [
    # code, ordre, libelle, type, unite, retard de maturité (mois provisoires en fin de période)
    ("beneficiaires_sdd", 1, "Bénéficiaires du RSA soumis aux droits et devoirs", "effectif", "personnes", 0),
    ("nouveaux_entrants", 2, "Nouveaux entrants dans le champ des droits et devoirs", "effectif", "personnes", 1),
    ("taux_orientation_15j", 3, "Part des nouveaux entrants orientés en moins de 15 jours", "taux",
     "part (de 0 à 1)", 4),
    ("taux_orientation_1m", 4, "Part des nouveaux entrants orientés en moins d'un mois", "taux",
     "part (de 0 à 1)", 4),
    ("delai_orientation_moyen_j", 5, "Délai moyen d'orientation des nouveaux entrants", "delai_moyen", "jours", 9),
    ("delai_orientation_median_j", 6, "Délai médian d'orientation des nouveaux entrants", "delai_median",
     "jours", 9),
    ("part_accompagnement_intensif", 7, "Part des bénéficiaires soumis aux droits et devoirs en accompagnement "
     "intensif", "taux", "part (de 0 à 1)", 1),
    ("taux_retour_emploi_6m", 8, "Taux de retour à l'emploi à 6 mois des personnes orientées", "taux",
     "part (de 0 à 1)", 8),
    ("taux_retour_emploi_durable_6m", 9, "Taux de retour à l'emploi durable à 6 mois des personnes orientées",
     "taux", "part (de 0 à 1)", 8),
    ("beneficiaires_orientes", 10, "Bénéficiaires soumis aux droits et devoirs orientés", "effectif", "personnes", 1),
    ("beneficiaires_en_attente_orientation", 11, "Bénéficiaires soumis aux droits et devoirs en attente "
     "d'orientation", "effectif", "personnes", 1),
    ("part_stock_oriente", 12, "Part des bénéficiaires soumis aux droits et devoirs orientés", "taux",
     "part (de 0 à 1)", 1),
    ("part_stock_inscrit_ft", 13, "Part des bénéficiaires soumis aux droits et devoirs inscrits à France Travail",
     "taux", "part (de 0 à 1)", 0),
    ("part_orientes_contrat_signe", 14, "Part des bénéficiaires orientés ayant signé leur contrat d'engagement",
     "taux", "part (de 0 à 1)", 1),
    ("taux_premier_rdv_30j", 15, "Part des nouveaux entrants orientés reçus en premier rendez-vous "
     "d'accompagnement dans les 30 jours suivant l'orientation", "taux", "part (de 0 à 1)", 10),
    ("delai_premier_rdv_moyen_j", 16, "Délai moyen du premier rendez-vous d'accompagnement depuis la réception "
     "de la notification (T0)", "delai_moyen", "jours", 12),
    ("delai_premier_rdv_median_j", 17, "Délai médian du premier rendez-vous d'accompagnement depuis la réception "
     "de la notification (T0)", "delai_median", "jours", 12),
]

DDL = {
    "indicateurs": """indicateur VARCHAR NOT NULL, niveau VARCHAR NOT NULL, code_territoire VARCHAR NOT NULL,
        mois DATE NOT NULL, ventilation VARCHAR NOT NULL, modalite VARCHAR NOT NULL, numerateur BIGINT,
        denominateur BIGINT, valeur DOUBLE, statut VARCHAR NOT NULL""",
    "dim_indicateurs": """indicateur VARCHAR, ordre BIGINT, libelle VARCHAR, type_indicateur VARCHAR,
        unite VARCHAR, definition VARCHAR, sources VARCHAR, regle_maturite VARCHAR, libelle_court VARCHAR,
        decimales INTEGER""",
    "dim_territoires": """niveau VARCHAR, code_territoire VARCHAR, libelle_territoire VARCHAR,
        code_region VARCHAR, code_departement VARCHAR, est_substitut_arrondissement BOOLEAN""",
    "dim_territoires_appartenance": """niveau VARCHAR, code_territoire VARCHAR, code_departement VARCHAR,
        code_region VARCHAR, annee_referentiel INTEGER, nb_communes BIGINT, population HUGEINT""",
    "fct_livraisons": """id_livraison VARCHAR, type_fichier VARCHAR, producteur VARCHAR, mois DATE,
        extension VARCHAR, sha256 VARCHAR, taille_octets BIGINT, date_modification TIMESTAMP,
        recu_le TIMESTAMP, statut VARCHAR, motif_rejet VARCHAR, lignes_lues BIGINT, lignes_chargees BIGINT,
        lignes_quarantaine BIGINT, colonnes_ignorees VARCHAR, est_courante BOOLEAN, remplacee_par VARCHAR""",
    "fct_quarantaine_motifs": """id_livraison VARCHAR, type_fichier VARCHAR, producteur VARCHAR, mois DATE,
        colonne VARCHAR, regle VARCHAR, nb_lignes BIGINT""",
    "fct_liaison": """mesure VARCHAR, type_fichier VARCHAR, producteur VARCHAR, mois DATE, numerateur BIGINT,
        denominateur BIGINT, part DOUBLE""",
    "fct_livraisons_manquantes": """type_fichier VARCHAR, producteur VARCHAR, mois DATE,
        nb_livraisons_rejetees BIGINT""",
    "cibles": """indicateur VARCHAR NOT NULL, niveau VARCHAR NOT NULL, code_territoire VARCHAR NOT NULL,
        mois DATE NOT NULL, valeur_cible DOUBLE NOT NULL, sens VARCHAR NOT NULL, source VARCHAR""",
    "fct_referentiel_bassins": """annee_referentiel INTEGER, nb_communes_cog BIGINT,
        nb_communes_hors_referentiel BIGINT, nb_communes_en_double BIGINT, nb_lignes_hors_cog BIGINT,
        nb_bassins BIGINT""",
}


def _seed(name: str) -> list[dict[str, str]]:
    with (COG_DIR / f"{name}.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _definitions() -> dict[str, tuple[str, str, str, str, int]]:
    """The real French texts, short labels and decimals of the indicators when the dbt seed is there
    (read only), else none."""
    out = {}
    for path in sorted((COG_DIR.parent).rglob("indicateurs_definitions.csv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                out[row["indicateur"]] = (row["definition"], row["sources"], row["regle_maturite"],
                                          row["libelle_court"], int(row["decimales"]))
    return out


def _insert(con, table: str, rows: list[tuple]) -> None:
    """Insert rows (in column order) through a registered frame: executemany is slow in DuckDB."""
    if not rows:
        return
    cols = [c[0] for c in con.execute(f"select * from marts.{table} limit 0").description]
    frame = pl.DataFrame(rows, schema=cols, orient="row", infer_schema_length=None)
    con.register("_lignes", frame)
    con.execute(f"insert into marts.{table} select * from _lignes")
    con.unregister("_lignes")


def add_months(d: date, n: int) -> date:
    k = d.year * 12 + d.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


@dataclass
class Instantane:
    path: Path
    mois: list[date]
    regions: list[str]


def build(home: Path, *, regions: tuple[str, ...] | None = ("53", "94"), premier_mois: date = date(2023, 1, 1),
          nb_mois: int = 18, graine: int = 7, bassins_reels: bool = False, petits: dict[str, float] | None = None,
          mois_sans_caf: date | None = None, nom: str = "socle_20250101T000000000000Z.duckdb",
          pointer: bool = True, decalage: int = 0, non_couverts: tuple[str, ...] = (),
          fixes: dict[tuple[str, date], dict[str, float]] | None = None) -> Instantane:
    """Write a snapshot under home/snapshots and (by default) make it current.

    regions: COG region codes kept (None: all 18). petits: département → scale factor (small counts).
    decalage: added to every count (to tell two snapshots apart). non_couverts: départements no file
    covers (no delivery from them, nobody living there in the CAF/MSA file: all their figures are 0).
    fixes: (unit code, month) → quantities of that unit set by hand (keys of the unit data: sdd, ne, o15,
    o1m, dden, dsum, intens, coh, emp, dur, ori, ins, con, r30, r9, rsum), so that a test knows its
    territory's figures exactly (every level above stays the sum of its units)."""
    rng = random.Random(graine)
    rng_stock = random.Random(graine * 1000 + 1)  # the stock and parcours quantities: the older draws stay
    petits = {"2B": 0.004, "2A": 0.03} if petits is None else petits
    petits = {**petits, **{d: 0.0 for d in non_couverts}}
    all_regions = {r["code_region"]: r["libelle_region"] for r in _seed("cog_regions")}
    deps = [d for d in _seed("cog_departements") if regions is None or d["code_region"] in regions]
    kept_regions = sorted({d["code_region"] for d in deps})
    arr = {}
    for a in _seed("cog_arrondissements"):
        arr.setdefault(a["code_departement"], []).append(a)
    communes_par_arr: dict[str, int] = {}
    for c in _seed("cog_communes"):
        communes_par_arr[c["code_arrondissement"]] = communes_par_arr.get(c["code_arrondissement"], 0) + 1

    # units: (unit code, dep, region, libelle)
    units = []
    for d in deps:
        lst = arr.get(d["code_departement"]) or [{"code_arrondissement": "HR" + d["code_departement"],
                                                  "libelle_arrondissement": None}]
        for a in lst:
            lib = (f"{a['libelle_arrondissement']} (arrondissement)" if a["libelle_arrondissement"]
                   else f"Hors référentiel – {d['libelle_departement']}")
            units.append((a["code_arrondissement"], d["code_departement"], d["code_region"], lib))

    # bassins: unit → bassin code
    bassin_of: dict[str, str] = {}
    bassins: dict[str, dict] = {}
    if bassins_reels:
        # the first unit of the first two départements form one cross-border bassin
        firsts = []
        for d in deps[:2]:
            firsts.append(next(u for u in units if u[1] == d["code_departement"]))
        for u in units:
            code = "CLPE" + u[0]
            if u in firsts:
                code = "CLPE-X"
            bassin_of[u[0]] = code
            b = bassins.setdefault(code, {"libelle": ("Bassin transfrontalier" if code == "CLPE-X"
                                                      else "Bassin de " + u[3].replace(" (arrondissement)", "")),
                                          "deps": set(), "regions": set(), "units": []})
            b["deps"].add(u[1])
            b["regions"].add(u[2])
            b["units"].append(u[0])
    else:
        for u in units:
            bassin_of[u[0]] = u[0]
            bassins[u[0]] = {"libelle": u[3], "deps": {u[1]}, "regions": {u[2]}, "units": [u[0]]}

    mois = [add_months(premier_mois, i) for i in range(nb_mois)]
    dernier = mois[-1]

    # unit-level figures
    # per unit/month: sdd, ne, o15, o1m, dden, dsum, intens, coh, emp, dur
    data: dict[tuple[str, date], dict[str, float]] = {}
    for u in units:
        scale = petits.get(u[1], 1.0)
        base = rng.randint(800, 9000) * scale
        for i, m in enumerate(mois):
            sdd = max(0, int(base * (1 + 0.01 * i) + rng.randint(-20, 20) * scale))
            ne = int(sdd * rng.uniform(0.025, 0.04)) + decalage
            o1m = int(ne * rng.uniform(0.45, 0.7))
            o15 = int(o1m * rng.uniform(0.5, 0.8))
            dden = int(ne * rng.uniform(0.7, 0.9))
            dmean = rng.uniform(18, 45)
            coh = int(sdd * rng.uniform(0.015, 0.03))
            emp = int(coh * rng.uniform(0.2, 0.4))
            data[(u[0], m)] = dict(sdd=sdd + decalage, ne=ne, o15=o15, o1m=o1m, dden=dden, dsum=dden * dmean,
                                   intens=int(sdd * rng.uniform(0.05, 0.15)), coh=coh, emp=emp,
                                   dur=int(emp * rng.uniform(0.3, 0.6)))
            d = data[(u[0], m)]
            ori = int(d["sdd"] * rng_stock.uniform(0.7, 0.9))
            r9 = int(ne * rng_stock.uniform(0.6, 0.85))
            d.update(ori=ori, ins=int(d["sdd"] * rng_stock.uniform(0.3, 0.5)),
                     con=int(ori * rng_stock.uniform(0.5, 0.8)), r30=int(dden * rng_stock.uniform(0.3, 0.6)),
                     r9=r9, rsum=r9 * rng_stock.uniform(25, 60))
    for key, valeurs in (fixes or {}).items():
        data[key].update(valeurs)

    def agg(unit_codes: list[str], m: date) -> dict[str, float]:
        out: dict[str, float] = {}
        for uc in unit_codes:
            for k, v in data[(uc, m)].items():
                out[k] = out.get(k, 0) + v
        return out

    territories: list[tuple[str, str, list[str]]] = [("national", "FR", [u[0] for u in units])]
    territories += [("region", r, [u[0] for u in units if u[2] == r]) for r in kept_regions]
    territories += [("departement", d["code_departement"], [u[0] for u in units if u[1] == d["code_departement"]])
                    for d in deps]
    territories += [("bassin", code, b["units"]) for code, b in bassins.items()]

    rows = []
    for niveau, code, ucodes in territories:
        for m in mois:
            a = agg(ucodes, m)
            lag = {c: (dernier.year * 12 + dernier.month) - (m.year * 12 + m.month) for c, *_ in INDICATEURS}
            for ind, _o, _l, typ, _u, retard in INDICATEURS:
                statut = "provisoire" if lag[ind] < retard else "definitif"
                sdd, ne = int(a["sdd"]), int(a["ne"])
                ori = int(a["ori"])
                num, den = {
                    "beneficiaires_sdd": (sdd, None),
                    "nouveaux_entrants": (ne, None),
                    "taux_orientation_15j": (int(a["o15"]), ne),
                    "taux_orientation_1m": (int(a["o1m"]), ne),
                    "delai_orientation_moyen_j": (None, int(a["dden"])),
                    "delai_orientation_median_j": (None, int(a["dden"])),
                    "part_accompagnement_intensif": (int(a["intens"]), sdd),
                    "taux_retour_emploi_6m": (int(a["emp"]), int(a["coh"])),
                    "taux_retour_emploi_durable_6m": (int(a["dur"]), int(a["coh"])),
                    "beneficiaires_orientes": (ori, None),
                    "beneficiaires_en_attente_orientation": (sdd - ori, None),
                    "part_stock_oriente": (ori, sdd),
                    "part_stock_inscrit_ft": (int(a["ins"]), sdd),
                    "part_orientes_contrat_signe": (int(a["con"]), ori),
                    "taux_premier_rdv_30j": (int(a["r30"]), int(a["dden"])),
                    "delai_premier_rdv_moyen_j": (None, int(a["r9"])),
                    "delai_premier_rdv_median_j": (None, int(a["r9"])),
                }[ind]
                somme = a["rsum"] if ind.startswith("delai_premier_rdv") else a["dsum"]
                if typ == "effectif":
                    val = float(num)
                elif typ == "taux":
                    val = num / den if den else None
                else:
                    val = (somme / den * (0.95 if typ == "delai_median" else 1.0)) if den else None
                if mois_sans_caf is not None and m == mois_sans_caf:
                    num = den = val = None
                    statut = "provisoire"
                rows.append((ind, niveau, code, m, "ensemble", "ensemble", num, den, val, statut))

    snapdir = home / "snapshots"
    snapdir.mkdir(parents=True, exist_ok=True)
    path = snapdir / nom
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        for table, cols in DDL.items():
            con.execute(f"create table marts.{table} ({cols})")
        _insert(con, "indicateurs", rows)
        textes = _definitions()
        _insert(con, "dim_indicateurs", [
            (c, o, lib, typ, unite) + textes.get(c, (f"Définition de {lib.lower()} : texte de test.",
                                                      "Fichier mensuel RSA de la CAF et de la MSA.",
                                                      "Provisoire quelques mois ; définitif ensuite.",
                                                      lib[:20], {"taux": 4, "effectif": 0}.get(typ, 1)))
            for c, o, lib, typ, unite, _ in INDICATEURS])
        dims = [("national", "FR", "France", None, None, False)]
        dims += [("region", r, all_regions[r], r, None, False) for r in kept_regions]
        dims += [("departement", d["code_departement"], d["libelle_departement"], d["code_region"],
                  d["code_departement"], False) for d in deps]
        for code, b in bassins.items():
            dims.append(("bassin", code, b["libelle"], next(iter(b["regions"])) if len(b["regions"]) == 1 else None,
                         next(iter(b["deps"])) if len(b["deps"]) == 1 else None, not bassins_reels))
        _insert(con, "dim_territoires", dims)
        # the shipped national objective (seed cibles): taux_orientation_15j ≥ 100 % from 2024-01, every level
        _insert(con, "cibles", [("taux_orientation_15j", n, c, m, 1.0, "minimum",
                                 "Instruction 2023/192, annexe 4, volet 2 §4.2 : Objectif = 100 %")
                                for n, c, *_ in dims for m in mois if m >= date(2024, 1, 1)])
        dep_region = {d["code_departement"]: d["code_region"] for d in deps}
        unit_dep = {u[0]: u[1] for u in units}
        app = []
        for niveau, code, ucodes in territories:
            per_dep: dict[str, int] = {}
            for uc in ucodes:
                dep = unit_dep[uc]
                per_dep[dep] = per_dep.get(dep, 0) + communes_par_arr.get(uc, 1)
            for dep, n in sorted(per_dep.items()):
                app.append((niveau, code, dep, dep_region[dep], 2026 if niveau == "bassin" and bassins_reels else None,
                            n, n * 1000))
        _insert(con, "dim_territoires_appartenance", app)
        _quality(con, rng, [d["code_departement"] for d in deps if d["code_departement"] not in non_couverts], mois)
        if bassins_reels:
            con.execute("insert into marts.fct_referentiel_bassins values (2026, 2400, 3, 1, 0, ?)", [len(bassins)])
    finally:
        con.close()
    if pointer:
        write_pointer(snapdir / "CURRENT", nom)
    return Instantane(path=path, mois=mois, regions=kept_regions)


def _quality(con, rng: random.Random, deps: list[str], mois: list[date]) -> None:
    """Deliveries: every producer every month, with a few rejections, replacements, gaps and late files."""
    expected = [("rsa", "caf"), ("inscriptions", "ft"), ("accompagnements", "ft"), ("reprises_emploi", "ft")]
    expected += [(t, d) for d in deps for t in ("orientations", "accompagnements")]
    # gaps and late producers
    late = {("orientations", deps[1]): 2} if len(deps) > 1 else {}
    gap = {("accompagnements", deps[-1]): mois[len(mois) // 2]}
    all_mois = [add_months(mois[0], -1)] + mois
    livraisons, motifs, manquantes, liaison = [], [], [], []
    n = 0
    for t, p in expected:
        for i, m in enumerate(all_mois):
            if (t, p) in late and i >= len(all_mois) - late[(t, p)]:
                if m in mois:
                    manquantes.append((t, p, m, 0))
                continue
            rejected_only = gap.get((t, p)) == m
            recu = datetime(m.year, m.month, 1) + timedelta(days=35 + rng.randint(0, 12), hours=rng.randint(8, 18))
            lues = rng.randint(200, 5000)
            if rejected_only:
                n += 1
                livraisons.append((f"L{n:06d}", t, p, m, "csv", f"{n:064x}", lues * 80, recu, recu, "rejetee",
                                   "en-tête illisible", lues, 0, 0, None, False, None))
                manquantes.append((t, p, m, 1))
                continue
            if rng.random() < 0.05:  # replaced delivery
                n += 1
                livraisons.append((f"L{n:06d}", t, p, m, "csv", f"{n:064x}", lues * 80, recu, recu, "acceptee",
                                   None, lues, lues - 3, 3, None, False, f"L{n + 1:06d}"))
                recu = recu + timedelta(days=3)
            n += 1
            q = rng.choice([0, 0, 0, 1, 2, 5, 17])
            livraisons.append((f"L{n:06d}", t, p, m, rng.choice(["csv", "xlsx", "parquet"]), f"{n:064x}", lues * 80,
                               recu, recu, "acceptee", None, lues, lues - q, q,
                               "commentaire" if q == 17 else None, True, None))
            if q:
                regles = [("code_commune", "commune_inconnue"), ("date_orientation", "date_illisible"),
                          ("modalite", "valeur_hors_liste")]
                k = rng.randint(1, min(q, 3))
                split = [q // k] * k
                split[0] += q - sum(split)
                for (col, regle), c in zip(regles[:k], split):
                    motifs.append((f"L{n:06d}", t, p, m, col, regle, c))
            if t in ("orientations", "inscriptions", "reprises_emploi", "accompagnements") and m in mois:
                nl = rng.randint(0, 12)
                liaison.append(("enregistrements_non_lies", t, p, m, nl, lues - q, nl / max(1, lues - q)))
    for d in deps:
        for m in mois:
            den = rng.randint(30, 300)
            num = rng.randint(0, den // 5)
            liaison.append(("orientes_non_inscrits_ft", "orientations", d, m, num, den, num / den))
    _insert(con, "fct_livraisons", livraisons)
    if motifs:
        _insert(con, "fct_quarantaine_motifs", motifs)
    if manquantes:
        _insert(con, "fct_livraisons_manquantes", manquantes)
    _insert(con, "fct_liaison", liaison)


def ajouter_repartition(path: Path, indicateur: str, mois: date, ventilation: str, effectifs: dict[str, int],
                        reste: str) -> int:
    """Add to marts.indicateurs of the snapshot at `path` the national rows of a breakdown of a count
    beside its `ensemble` row: `effectifs` (modalite → count) and `reste`, the category holding the
    rest of the `ensemble` count; returns that count."""
    with duckdb.connect(str(path)) as con:
        total = con.execute("select numerateur from marts.indicateurs where indicateur = ? and niveau = 'national' "
                            "and mois = ? and ventilation = 'ensemble'", [indicateur, mois]).fetchone()[0]
        for modalite, n in {reste: total - sum(effectifs.values()), **effectifs}.items():
            con.execute("insert into marts.indicateurs by name select * replace (? as ventilation, ? as modalite, "
                        "? as numerateur, ?::double as valeur) from marts.indicateurs where indicateur = ? "
                        "and niveau = 'national' and mois = ? and ventilation = 'ensemble'",
                        [ventilation, modalite, n, n, indicateur, mois])
    return total
