"""The warehouse side of ingestion: delivery ledger, quarantine and `raw.*` views."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from ingestion.lake import TYPES, lake_schema

_DUCK = {pl.String: "VARCHAR", pl.Date: "DATE", pl.Int64: "BIGINT", pl.Int32: "INTEGER",
         pl.Boolean: "BOOLEAN", pl.Float64: "DOUBLE"}


def _sql_type(dtype: pl.DataType) -> str:
    return _DUCK[dtype if isinstance(dtype, type) else type(dtype)]

LEDGER_DDL = """
create schema if not exists raw;
create table if not exists raw.livraisons (
    id_livraison varchar primary key, chemin varchar not null, type_fichier varchar,
    producteur varchar, mois date, extension varchar, sha256 varchar not null,
    taille_octets bigint not null, date_modification timestamp not null, recu_le timestamp not null,
    statut varchar not null, motif_rejet varchar, encodage varchar, delimiteur varchar,
    lignes_lues bigint, lignes_chargees bigint, lignes_quarantaine bigint,
    colonnes_ignorees varchar, est_courante boolean not null default false, remplacee_par varchar
);
create table if not exists raw.quarantaine (
    id_livraison varchar not null, ligne bigint, colonne varchar, valeur varchar, regle varchar not null
);
"""

# The current delivery of a (kind, producer, month), in two steps (sources.md: "the newest
# delivery replaces the older one"):
# 1. a file path holds one file at a time: a landing event at a path replaces every earlier
#    event at the same path, whatever the modification times (a producer may put back an earlier
#    version of a file with its original modification time: it is still the newest delivery);
# 2. among the latest events of the paths that describe the same (kind, producer, month) (another
#    extension, a name that differs only by case or accents), the newest file wins: modification
#    time, then parquet before xlsx before csv, then the latest received.
# Only accepted files take part: a rejected file never counts as a delivery.
_CURRENT = """
with live as (
    select *, row_number() over (partition by chemin order by recu_le desc, date_modification desc) as rang_chemin
    from raw.livraisons where statut = 'acceptee'
), ranked as (
    select id_livraison, type_fichier, producteur, mois,
           row_number() over (
               partition by type_fichier, producteur, mois
               order by date_modification desc,
                        case extension when 'parquet' then 0 when 'xlsx' then 1 else 2 end,
                        recu_le desc, chemin desc) as rang
    from live where rang_chemin = 1
), winners as (select * from ranked where rang = 1)
update raw.livraisons l set
    est_courante = (l.id_livraison = w.id_livraison),
    remplacee_par = case when l.id_livraison = w.id_livraison then null else w.id_livraison end
from winners w
where l.statut = 'acceptee' and l.type_fichier = w.type_fichier
  and l.producteur = w.producteur and l.mois = w.mois
"""


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse))
    con.execute(LEDGER_DDL)
    return con


def latest_events(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """The last landing event recorded at each path (accepted or rejected), by path."""
    rows = con.execute("select chemin, id_livraison, sha256, taille_octets, date_modification from raw.livraisons "
                       "qualify row_number() over (partition by chemin order by recu_le desc) = 1").fetchall()
    return {r[0]: dict(zip(("id_livraison", "sha256", "taille_octets", "date_modification"), r[1:])) for r in rows}


# Messages written before names outside the contract were tokens quoted what was typed.
_FORMER_QUOTES = (
    (re.compile(r"« [^»]*» n'est pas un code de département"),
     "le dossier sous departements/ n'est pas un code de département (code INSEE : 01 à 95, 2A, 2B, 971 à 976)"),
    (re.compile(r"extension « [^»]*» non acceptée"),
     "extension non acceptée (csv, xlsx ou parquet ; csv pour un référentiel)"),
)


def redact_former_paths(con: duckdb.DuckDBPyConnection, redact: Callable[[str], str]) -> int:
    """Rewrite the rows written before paths outside the contract were recorded as tokens: their
    `chemin` as `redact` records it now and their message with it (never what was typed). Run
    before the last events are read, so that a file already recorded is the same event. Returns
    the number of paths rewritten; a path already in the new form is left as it is."""
    paths = [c for (c,) in con.execute("select distinct chemin from raw.livraisons").fetchall()]
    changed = {c: redact(c) for c in paths if "<nom:" not in c}
    changed = {old: new for old, new in changed.items() if new != old}
    if not changed:
        return 0
    con.execute("begin")
    try:
        for old, new in changed.items():
            for did, message in con.execute("select id_livraison, motif_rejet from raw.livraisons where chemin = ?",
                                            [old]).fetchall():
                if message is not None:
                    rest = message[len(old) + 3:] if message.startswith(old + " : ") else "motif antérieur non repris"
                    for quoted, said in _FORMER_QUOTES:
                        rest = quoted.sub(said, rest)
                    message = f"{new} : {rest}"
                con.execute("update raw.livraisons set chemin = ?, motif_rejet = ? where id_livraison = ?",
                            [new, message, did])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    con.execute("checkpoint")
    return len(changed)


def record(con: duckdb.DuckDBPyConnection, delivery: dict, quarantine: pl.DataFrame | None) -> None:
    """Add one delivery (and its quarantined cells) in one transaction, then re-elect current ones."""
    con.execute("begin")
    try:
        cols = list(delivery)
        con.execute(f"insert into raw.livraisons ({', '.join(cols)}) values ({', '.join('?' * len(cols))})",
                    [delivery[c] for c in cols])
        if quarantine is not None and quarantine.height:
            q = quarantine.select("id_livraison", "ligne", "colonne", "valeur", "regle")  # noqa: F841
            con.execute("insert into raw.quarantaine select * from q")
        con.execute(_CURRENT)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def refresh_views(con: duckdb.DuckDBPyConnection, lake: Path) -> None:
    """`raw.<kind>`: a view over the kind's Parquet files, or an empty typed table when none."""
    for type_fichier in TYPES:
        schema = lake_schema(type_fichier)
        files = sorted((lake / type_fichier).rglob("*.parquet")) if (lake / type_fichier).exists() else []
        existing = con.execute("select table_type from information_schema.tables "
                               "where table_schema = 'raw' and table_name = ?", [type_fichier]).fetchall()
        if existing:
            con.execute(f"drop {'view' if existing[0][0] == 'VIEW' else 'table'} raw.{type_fichier}")
        if files:
            cols = ", ".join(f'cast("{c}" as {_sql_type(t)}) as "{c}"'
                             for c, t in schema.items())
            glob = (lake / type_fichier).as_posix() + "/**/*.parquet"
            con.execute(f"create view raw.{type_fichier} as select {cols} from "
                        f"read_parquet('{glob}', union_by_name = true, hive_partitioning = false)")
        else:
            cols = ", ".join(f'"{c}" {_sql_type(t)}' for c, t in schema.items())
            con.execute(f"create table raw.{type_fichier} ({cols})")
    export_registry(con, lake)


def export_registry(con: duckdb.DuckDBPyConnection, lake: Path) -> None:
    """Copy the ledger and the quarantine into the lake, so that every engine reads one raw layer.

    `<lake>/_registre/livraisons/livraisons.parquet` and `quarantaine/quarantaine.parquet` are
    rewritten whole (and atomically) after each landing; every kind gets its folder, even before
    its first file, so that an engine reading the lake by folder (Spark) sees an empty table
    rather than none.
    """
    for type_fichier in TYPES:
        (lake / type_fichier).mkdir(parents=True, exist_ok=True)
    for table, order in (("livraisons", "id_livraison"), ("quarantaine", "id_livraison, ligne, colonne")):
        target = lake / "_registre" / table / f"{table}.parquet"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".parquet.tmp")
        con.execute(f"copy (select * from raw.{table} order by {order}) to '{tmp.as_posix()}' "
                    "(format parquet, compression zstd)")
        os.replace(tmp, target)
