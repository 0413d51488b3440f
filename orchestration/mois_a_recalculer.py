"""The months a warehouse build must recompute, derived from the delivery ledger in one place.

The ledger's current deliveries (raw.livraisons where est_courante) are compared with those
recorded at the last successful build ($SOCLE_HOME/dbt/constructions.json, written by
`memoriser`). A (type, producer, month) whose current delivery is new, re-sent or gone reaches
the months below; the window is [earliest reached month, last month of data] (later months are
always recomputed: closures, entries and orientations in progress carry forward without end).

Reach of a changed delivery of month M (docs/incremental.md; indicators.md, pilotage.md):
- every type: maturity, M − the largest lag (decalage_mois) of the type in the seed
  maturite_livraisons: the status of those months may flip;
- rsa (CAF/MSA): M (the stock of M, the entry rule's M−1 of the next month, closures after M);
  a changed (id_rsa, NIR) pair (the linkage int_liaison_rsa moves) reaches that person's months:
  the old and new persons' CAF months and cohort months, and the months reached by the id_rsa's
  orientation and accompaniment rows (below); a person of M with no CAF line before M (old or new
  state) reaches their cohort months before M (cohort placement takes the first line after);
- the other types, through the keys whose current version (VERSIONS: the dbt models' natural
  keys) differs between the last build and now, both versions counted (a re-listed unchanged row
  reaches nothing):
  orientations: the month of date_orientation (cohorts, orientation in progress, closures) and the
  month of date_reception_notification (T0) − 2 (a new entrant of month E takes T0 in
  [E − 1 month, E + 3 months), so E ≥ month(T0) − 2); accompagnements: the month of date_debut (an
  episode counts at the ends of months it covers); inscriptions: the month of date_inscription − 6
  (cohorts count an inscription before date_orientation + 6 months), and a changed (id_ft, NIR)
  pair reaches the persons' months; reprises_emploi: the month of date_embauche − 6 (a hire within
  6 months of the orientation).
The window never starts before the first month of data (no model has an earlier row).
Everything is recomputed (window = every delivered month, and the caller adds --full-refresh:
`tout`) when no build was recorded, when the dbt project (models, seeds, macros, tests,
dbt_project.yml) changed, when a referential (bassins) delivery changed, or when the warehouse
lost its incremental tables or raw the rows of a recorded delivery.
Yearly figures: the dbt models widen the window to the whole years it touches
(macros/incremental.sql), so the window here stays in months.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from socle.settings import DBT_PROJECT_DIR, SEEDS_DIR

PERSON_TYPES = ("rsa", "orientations", "accompagnements", "inscriptions", "reprises_emploi")
PROJECT_PARTS = ("models", "seeds", "macros", "tests")
PROJECT_FILES = ("dbt_project.yml",)

# the reasons for recomputing everything (the caller adds --full-refresh)
TOUT_AUCUNE_CONSTRUCTION = "aucune construction enregistrée"
TOUT_PROJET = "projet dbt modifié"
TOUT_REFERENTIEL = "référentiel modifié"
TOUT_ENTREPOT = "tables incrémentales absentes de l'entrepôt"
MOTIFS_TOUT = (TOUT_AUCUNE_CONSTRUCTION, TOUT_PROJET, TOUT_REFERENTIEL, TOUT_ENTREPOT)


@dataclass(frozen=True)
class Fenetre:
    """Months (first day) to recompute, bounds included, and why. `debut_donnees`: the first month
    whose person-level rows may change (after `debut` when only statuses reach further back: the
    person-level models then start there, the indicator models and marts at `debut`); None: `debut`."""
    debut: dt.date
    fin: dt.date
    motifs: list[str] = field(default_factory=list)
    debut_donnees: dt.date | None = None

    @property
    def tout(self) -> bool:
        """Everything must be rebuilt from scratch (no build recorded, project or referential changed)."""
        return any(m in MOTIFS_TOUT for m in self.motifs)


# no changed delivery: a window with no month (the incremental models delete and add nothing)
FENETRE_VIDE = {"mois_debut": "9999-12-01", "mois_fin": "0001-01-01"}


def dbt_vars(f: Fenetre | None) -> dict:
    """The dbt vars of a window: {} (everything) without one."""
    if f is None:
        return {}
    variables = {"mois_debut": f.debut.isoformat(), "mois_fin": f.fin.isoformat()}
    if f.debut_donnees is not None and f.debut_donnees > f.debut:
        variables["mois_debut_donnees"] = f.debut_donnees.isoformat()
    return variables


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _first_day(d: dt.date | dt.datetime) -> dt.date:
    return dt.date(d.year, d.month, 1)


def memo_path(settings) -> Path:
    return settings.home / "dbt" / "constructions.json"


def project_fingerprint(project_dir: Path = DBT_PROJECT_DIR) -> str:
    """Hash of the dbt project's models, seeds, macros, tests and dbt_project.yml."""
    h = hashlib.sha256()
    files = [p for part in PROJECT_PARTS if (project_dir / part).exists()
             for p in (project_dir / part).rglob("*") if p.is_file()]
    files += [project_dir / f for f in PROJECT_FILES if (project_dir / f).exists()]
    for path in sorted(files):
        h.update(path.relative_to(project_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def maturity_lags(seeds_dir: Path = SEEDS_DIR) -> dict[str, int]:
    """The largest decalage_mois of each type_fichier in the seed maturite_livraisons."""
    lags: dict[str, int] = {}
    with open(seeds_dir / "parametres" / "maturite_livraisons.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lags[row["type_fichier"]] = max(lags.get(row["type_fichier"], 0), int(row["decalage_mois"]))
    return lags


# --- row reach: the earliest month the rows of one delivery reach (SQL on the warehouse) ---------

def _month(expr: str, minus: int = 0) -> str:
    shifted = f"date_trunc('month', {expr})"
    return f"cast({shifted} - interval {minus} month as date)" if minus else f"cast({shifted} as date)"


# A changed delivery reaches months only through the rows whose current version it changes: for
# each type, the natural key of its versions (as in the dbt models int_orientations, …, whose
# versions_courantes keeps the latest (mois, ligne) of each key), and the earliest month a version
# reaches. A file that re-lists unchanged rows (France Travail sends every open registration each
# month) reaches nothing through them. Read from raw, which keeps every delivery's rows (replaced
# ones too), so the state at the last build can be compared with the state now.
VERSIONS = {
    "orientations": (("producteur", "pseudo_id_rsa", "date_reception_notification"),
                     f"least({_month('date_reception_notification', 2)}, {_month('date_orientation')})"),
    # an episode counts at the ends of the CAF months it covers, from its start
    "accompagnements": (("producteur", "pseudo_id_rsa", "pseudo_id_ft", "date_debut", "modalite"),
                        _month("date_debut")),
    "inscriptions": (("pseudo_id_ft", "date_inscription"), _month("date_inscription", 6)),
    "reprises_emploi": (("pseudo_id_ft", "date_embauche", "type_contrat"), _month("date_embauche", 6)),
}
# A registration's exit date is read only by the stock of registered persons at the end of each
# month (ind_part_stock_inscrit_ft), an episode's end only by the accompaniment running at the end of
# each month (int_beneficiaires_sdd_mois): a version that changes it and nothing else that is read
# reaches the months from the earlier of its two dates (the monthly files send the exits of
# registrations and the ends of episodes that started years ago: on the national bench, 78 of the
# 102 accompaniment files of a new month reached before its first month of data through them).
# The columns below are read by no monthly model (int_inscriptions' readers: the cohorts read
# date_inscription, niveau_formation, qpv, rqth and the person; int_accompagnements' reader:
# date_debut, date_fin, modalite, heures_hebdo and the person).
EXIT = {"inscriptions": "date_sortie", "accompagnements": "date_fin"}
UNREAD = {"inscriptions": ("motif_sortie", "categorie", "code_commune", "sexe", "annee_naissance"),
          "accompagnements": ("organisme",)}
META_COLUMNS = ("id_livraison", "mois", "ligne")


def version_reaches(con, type_fichier: str, before: list[str], after: list[str],
                    touched: list[str]) -> dict[str, dt.date]:
    """For each of the `touched` deliveries (new, replaced or removed), the earliest month reached
    by the keys of its rows whose current version differs between the deliveries recorded at the
    last build (`before`) and the current ones (`after`): the months both versions reach (a key
    absent on one side has no version there). A delivery that changes no current version is absent."""
    keys, reach = VERSIONS[type_fichier]
    exit_column = EXIT.get(type_fichier)
    ignored = (*META_COLUMNS, *UNREAD.get(type_fichier, ()), *([exit_column] if exit_column else []))
    columns = [c for (c,) in con.execute(
        "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ? "
        "order by ordinal_position", [type_fichier]).fetchall() if c not in ignored]
    sortie = exit_column or "cast(null as date)"
    content = "struct_pack(" + ", ".join(f'"{c}" := "{c}"' for c in columns) + ")"
    key_list = ", ".join(keys)

    def same(x: str, y: str) -> str:
        return " and ".join(f"{x}.{k} is not distinct from {y}.{k}" for k in keys)

    rows = con.execute(f"""
        with touches as (
            select distinct id_livraison as touchee, {key_list} from raw.{type_fichier}
            where id_livraison in (select unnest($touched))
        ),
        versions as (
            select {key_list}, mois, ligne, {content} as contenu, {reach} as portee, {sortie} as sortie,
                   id_livraison in (select unnest($before)) as avant,
                   id_livraison in (select unnest($after)) as apres
            from raw.{type_fichier} as l
            where (id_livraison in (select unnest($before)) or id_livraison in (select unnest($after)))
              and exists (select 1 from touches as t where {same('t', 'l')})
        ),
        a as (select * from versions where avant
              qualify row_number() over (partition by {key_list} order by mois desc, ligne desc) = 1),
        n as (select * from versions where apres
              qualify row_number() over (partition by {key_list} order by mois desc, ligne desc) = 1),
        changees as (
            select {", ".join(f"coalesce(a.{k}, n.{k}) as {k}" for k in keys)},
                   case when a.contenu is distinct from n.contenu then least(a.portee, n.portee)
                        else {_month('least(a.sortie, n.sortie)')} end as portee
            from a full outer join n on {same('a', 'n')}
            where a.contenu is distinct from n.contenu or a.sortie is distinct from n.sortie
        )
        select t.touchee, min(c.portee)
        from touches as t inner join changees as c on {same('t', 'c')}
        group by t.touchee
    """, {"before": before, "after": after, "touched": touched}).fetchall()
    return {i: _first_day(m) for i, m in rows if m is not None}


def _run(con, script: str, params: dict) -> None:
    """Statements separated by ';', each with the parameters it names."""
    for statement in (part.strip() for part in script.split(";")):
        if statement:
            con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})


def _scalar(con, sql: str, params: dict | None = None):
    row = con.execute(sql, params or {}).fetchone()
    return None if row is None else row[0]


def maturity_reach(type_fichier: str, mois: dt.date | None, lags: dict[str, int]) -> dt.date | None:
    """The first month whose status a delivery of this type and month may flip."""
    return None if mois is None else add_months(_first_day(mois), -lags.get(type_fichier, 0))


# --- person reach: changed pairs and placements ---------------------------------------------------

def _person_months(persons_sql: str, ids_rsa_sql: str) -> str:
    """SQL giving the earliest month among the persons' CAF and cohort months (old and new
    states) and the months their id_rsa's orientation rows reach (their accompaniments count at
    their CAF months, already in)."""
    parts = [
        f"select min(mois) as m from intermediate.int_caf_personne_mois where personne in ({persons_sql})",
        f"select min({_month('mois')}) from staging.stg_rsa where pseudo_nir in ({persons_sql})",
        f"select min(mois) from intermediate.int_cohortes_orientation where personne in ({persons_sql})",
        f"select min(least({_month('date_orientation')}, {_month('date_reception_notification', 2)})) "
        f"from staging.stg_orientations where pseudo_id_rsa in ({ids_rsa_sql})",
    ]
    return "select min(m) from (" + " union all ".join(parts) + ") as t"


def _id_ft_months(ids_ft_sql: str) -> str:
    """SQL giving the earliest month that the rows of these id_ft reach: an id_ft's person changes
    only what its own rows bring to a person (registrations: cohorts from date_inscription − 6
    months and the registered stock from date_inscription; hires: cohorts from date_embauche − 6
    months; France Travail's episodes: the months from date_debut), not the person's CAF months."""
    parts = [
        f"select min({_month('date_inscription', 6)}) as m from staging.stg_inscriptions where pseudo_id_ft in ({ids_ft_sql})",
        f"select min({_month('date_embauche', 6)}) from staging.stg_reprises_emploi where pseudo_id_ft in ({ids_ft_sql})",
        f"select min({_month('date_debut')}) from staging.stg_accompagnements "
        f"where est_france_travail and pseudo_id_ft in ({ids_ft_sql})",
    ]
    return "select min(m) from (" + " union all ".join(parts) + ") as t"


def _changed_pairs(out: str, identifier: str, ids: str, linkage: str, new_pairs: str) -> str:
    """SQL creating `out` (identifier, nouvelle, ancienne): the identifiers of table `ids` whose
    person differs between `new_pairs` (identifier, personne: the linkage the current rows give)
    and the built linkage table `linkage`."""
    return f"""
        create or replace temp table {out} as
        with nouvelle as ({new_pairs}
        ),
        ancienne as (
            select {identifier}, personne from {linkage}
            where {identifier} in (select {identifier} from {ids})
        )
        select coalesce(n.{identifier}, a.{identifier}) as {identifier}, n.personne as nouvelle, a.personne as ancienne
        from nouvelle as n full outer join ancienne as a on a.{identifier} = n.{identifier}
        where n.personne is distinct from a.personne"""


def _persons_of(pairs: str) -> str:
    """SQL: the old and new persons of a table of changed pairs."""
    return f"select nouvelle from {pairs} where nouvelle is not null union select ancienne from {pairs} where ancienne is not null"


def rsa_person_reach(con, mois: dt.date) -> dt.date | None:
    """CAF month M changed: the months of the persons whose (id_rsa, NIR) pair moved, and the cohort
    months before M of the persons of M with no CAF line before M."""
    pairs_sql = _changed_pairs("_paires", "pseudo_id_rsa", "_ids_rsa", "intermediate.int_liaison_rsa", """
            select pseudo_id_rsa, arg_max(pseudo_nir, mois) as personne
            from staging.stg_rsa
            where pseudo_nir is not null and pseudo_id_rsa in (select pseudo_id_rsa from _ids_rsa)
            group by pseudo_id_rsa""")
    _run(con, f"""
        create or replace temp table _ids_rsa as
        select pseudo_id_rsa from staging.stg_rsa where mois = $m and pseudo_id_rsa is not null
        union
        select pseudo_id_rsa from intermediate.int_caf_personne_mois where mois = $m and pseudo_id_rsa is not null;
        {pairs_sql};
        create or replace temp table _personnes_m as
        select pseudo_nir as personne, pseudo_id_rsa from staging.stg_rsa where mois = $m and pseudo_nir is not null
        union
        select personne, pseudo_id_rsa from intermediate.int_caf_personne_mois where mois = $m;
        create or replace temp table _sans_ligne_avant as
        select p.personne, p.pseudo_id_rsa from _personnes_m as p
        where not exists (select 1 from staging.stg_rsa as r where r.pseudo_nir = p.personne and r.mois < $m)
          and not exists (select 1 from intermediate.int_caf_personne_mois as c where c.personne = p.personne and c.mois < $m);
    """, {"m": mois})
    reached = []
    pairs = _scalar(con, _person_months(_persons_of("_paires"), "select pseudo_id_rsa from _paires"))
    if pairs is not None:
        reached.append(pairs)
    placement = _scalar(con, f"""
        select min(m) from (
            select c.mois as m from intermediate.int_cohortes_orientation as c
            where c.personne in (select personne from _sans_ligne_avant) and c.mois < $m
            union all
            select {_month('o.date_orientation')} from staging.stg_orientations as o
            where o.pseudo_id_rsa in (select pseudo_id_rsa from _sans_ligne_avant)
              and o.date_orientation < $m
        ) as t""", {"m": mois})
    if placement is not None:
        reached.append(placement)
    return min(reached) if reached else None


def ft_person_reach(con, id_livraison: str) -> dt.date | None:
    """An inscriptions delivery: the months reached by the rows of the id_ft whose (id_ft, NIR) pair
    moved (a new id_ft too: its hires and France Travail episodes now reach a person)."""
    pairs_sql = _changed_pairs("_paires_ft", "pseudo_id_ft", "_ids_ft", "intermediate.int_liaison_ft", """
            select pseudo_id_ft, pseudo_nir as personne from (
                select pseudo_id_ft, pseudo_nir, row_number() over (
                    partition by pseudo_id_ft, date_inscription order by mois desc, ligne desc) as rang_version,
                    mois, ligne
                from staging.stg_inscriptions where pseudo_id_ft in (select pseudo_id_ft from _ids_ft)
            ) as v
            where rang_version = 1 and pseudo_nir is not null
            qualify row_number() over (partition by pseudo_id_ft order by mois desc, ligne desc) = 1""")
    _run(con, f"""
        create or replace temp table _ids_ft as
        select distinct pseudo_id_ft from staging.stg_inscriptions where id_livraison = $id and pseudo_id_ft is not null;
        {pairs_sql};
    """, {"id": id_livraison})
    return _scalar(con, _id_ft_months("select pseudo_id_ft from _paires_ft"))


# --- the ledger and the record of the last build --------------------------------------------------

def current_deliveries(con) -> dict[str, dict]:
    rows = con.execute("select id_livraison, type_fichier, producteur, mois, sha256 from raw.livraisons "
                       "where est_courante order by id_livraison").fetchall()
    return {r[0]: {"type_fichier": r[1], "producteur": r[2], "mois": r[3].isoformat() if r[3] else None,
                   "sha256": r[4]} for r in rows}


def _read_memo(settings) -> dict | None:
    path = memo_path(settings)
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _tables_present(con) -> bool:
    needed = {("intermediate", "int_caf_personne_mois"), ("intermediate", "int_liaison_rsa"),
              ("intermediate", "int_liaison_ft"), ("intermediate", "int_cohortes_orientation"),
              ("marts", "indicateurs"), ("staging", "stg_rsa")}
    present = set(con.execute("select table_schema, table_name from information_schema.tables").fetchall())
    return needed <= present


def _months_of_data(con) -> tuple[dt.date, dt.date] | None:
    row = con.execute("select min(mois), max(mois) from raw.livraisons "
                      "where est_courante and type_fichier in ('rsa')").fetchone()
    if row is None or row[0] is None:
        row = con.execute("select min(mois), max(mois) from raw.livraisons where est_courante").fetchone()
    if row is None or row[0] is None:
        return None
    return _first_day(row[0]), _first_day(row[1])


def _key(d: dict) -> tuple:
    return d["type_fichier"], d["producteur"], d["mois"]


def _connect(settings):
    return duckdb.connect(str(settings.warehouse))


def changed(before: dict[str, dict], now: dict[str, dict]) -> tuple[list[str], list[str]]:
    """(ids now current and not recorded, ids recorded and no longer current)."""
    return sorted(set(now) - set(before)), sorted(set(before) - set(now))


def fenetre(settings) -> Fenetre | None:
    """The window of months to recompute, or None when no delivery changed since the last build."""
    if not settings.warehouse.exists():
        return None
    memo = _read_memo(settings)
    with _connect(settings) as con:
        now = current_deliveries(con)
        span = _months_of_data(con)
        if span is None:
            return None
        everything = None
        if memo is None:
            everything = TOUT_AUCUNE_CONSTRUCTION
        elif memo.get("projet") != project_fingerprint():
            everything = TOUT_PROJET
        elif not _tables_present(con):
            everything = TOUT_ENTREPOT
        if everything is None:
            before = memo["livraisons"]
            new, gone = changed(before, now)
            if any(now[i]["type_fichier"] not in PERSON_TYPES for i in new) or \
               any(before[i]["type_fichier"] not in PERSON_TYPES for i in gone):
                everything = TOUT_REFERENTIEL
        if everything is not None:
            first = span[0]
            if memo and memo.get("premier_mois"):
                first = min(first, dt.date.fromisoformat(memo["premier_mois"]))
            return Fenetre(first, _last_month(span, memo), [everything])
        if not new and not gone:
            return None
        missing = _missing_from_raw(con, gone)
        if missing:
            first = min(span[0], dt.date.fromisoformat(memo["premier_mois"])) if memo.get("premier_mois") else span[0]
            return Fenetre(first, _last_month(span, memo), [TOUT_ENTREPOT])
        lags = maturity_lags()
        data: list[dt.date] = []      # person-level rows
        status: list[dt.date] = []    # statuses only (maturity)
        motifs: list[str] = []
        rsa_months: set[dt.date] = set()
        rows: dict[str, dt.date] = {}
        for type_fichier in VERSIONS:
            touched = [i for i in new if now[i]["type_fichier"] == type_fichier] + \
                      [g for g in gone if before[g]["type_fichier"] == type_fichier]
            if touched:
                rows.update(version_reaches(con, type_fichier, sorted(before), sorted(now), touched))
        for i in new:
            d = now[i]
            mois = dt.date.fromisoformat(d["mois"]) if d["mois"] else None
            reach = [r for r in (mois if d["type_fichier"] == "rsa" else rows.get(i),
                                 ft_person_reach(con, i) if d["type_fichier"] == "inscriptions" else None)
                     if r is not None]
            data += reach
            m = maturity_reach(d["type_fichier"], mois, lags)
            status += [m] if m else []
            if d["type_fichier"] == "rsa" and mois is not None:
                rsa_months.add(mois)
            replaced = any(_key(before[g]) == _key(d) for g in gone)
            motifs.append(f"{d['type_fichier']} {d['producteur']} {(d['mois'] or '')[:7]} "
                          f"{'renvoyé' if replaced else 'nouveau'} (lignes dès {min(reach).isoformat()[:7] if reach else '—'}"
                          f", statuts dès {m.isoformat()[:7] if m else '—'})")
        for g in gone:
            d = before[g]
            mois = dt.date.fromisoformat(d["mois"]) if d["mois"] else None
            if g in rows:
                data.append(rows[g])
            m = maturity_reach(d["type_fichier"], mois, lags)
            status += [m] if m else []
            if d["type_fichier"] == "rsa" and mois is not None:
                rsa_months.add(mois)
            if not any(_key(now[i]) == _key(d) for i in new):
                motifs.append(f"{d['type_fichier']} {d['producteur']} {(d['mois'] or '')[:7]} retiré")
        for mois in sorted(rsa_months):
            p = rsa_person_reach(con, mois)
            data.append(min(p, mois) if p is not None else mois)
        for table in ("_ids_rsa", "_paires", "_personnes_m", "_sans_ligne_avant", "_ids_ft", "_paires_ft"):
            con.execute(f"drop table if exists {table}")
    if not data and not status:
        return None
    # no model has a row before the first month of data (dbt: int_mois; the cohorts start there too)
    first = span[0]
    if memo.get("premier_mois"):
        first = min(first, dt.date.fromisoformat(memo["premier_mois"]))
    fin = _last_month(span, memo)
    debut = max(first, min(data + status))
    debut_donnees = max(first, min(data)) if data else fin
    if debut > fin:
        return None
    return Fenetre(debut, fin, motifs, debut_donnees=debut_donnees if debut_donnees > debut else None)


def _missing_from_raw(con, ids: list[str]) -> bool:
    """A recorded delivery whose rows raw no longer holds (its reach cannot be known)."""
    if not ids:
        return False
    found = _scalar(con, "select count(*) from raw.livraisons where id_livraison in (select unnest($ids))",
                    {"ids": ids})
    return found < len(ids)


def _last_month(span: tuple[dt.date, dt.date], memo: dict | None) -> dt.date:
    """The last month of data, or the last month of the last build when it was later (its rows go)."""
    last = span[1]
    if memo and memo.get("dernier_mois"):
        last = max(last, dt.date.fromisoformat(memo["dernier_mois"]))
    return last


def memoriser(settings) -> None:
    """Record the current deliveries as built (after a successful dbt build only)."""
    with _connect(settings) as con:
        now = current_deliveries(con)
        span = _months_of_data(con)
    path = memo_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({
        "projet": project_fingerprint(),
        "premier_mois": span[0].isoformat() if span else None,
        "dernier_mois": span[1].isoformat() if span else None,
        "livraisons": now,
    }, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def decrire(f: Fenetre | None) -> str:
    """One French line for the run's journal."""
    if f is None:
        return "Aucune livraison changée depuis la dernière construction : aucun mois à recalculer."
    quoi = "tout recalculer" if f.tout else "mois à recalculer"
    return f"{quoi} : {f.debut.isoformat()[:7]} → {f.fin.isoformat()[:7]} ({' ; '.join(f.motifs)})"


__all__: Iterable[str] = ("Fenetre", "fenetre", "memoriser", "dbt_vars", "decrire")
