"""Analyst files (publication.md, privacy.md "Audiences"): `$SOCLE_HOME/analystes/national.duckdb`
and one `<code_region>.duckdb` per région, rebuilt from the current snapshot (opened read-only).

Unmasked aggregates of the audience's territories only. A région's file holds its région, its
départements and every bassin that touches it (per dim_territoires_appartenance: a bassin
spanning régions is in each of their files, with its whole figures); it holds no unmasked
national row and nothing unmasked of another région ("nothing of other régions": the national
figure minus the région's would be the rest of the country). For comparison, a région's file
holds `comparaison`: the national and régional cells exactly as the open data publishes them,
masked (the cells stored in the snapshot at its publication, `snapshot_masked_cells`), values
unrounded, `mois` a DATE like everywhere in the file. Data-quality tables are kept for the national
producers (CAF/MSA, France Travail, referential) and the région's départements. Person-level
facts (`marts.fct_personnes_mois`, when the snapshot has it) are kept for persons living in
the région (`code_region`), without the columns privacy.md forbids (see FORBIDDEN).

Each file is built under a hidden temporary name in the same folder, then renamed into place.
It carries French views, a `dictionnaire` (nom_table, genre, colonne, type, description) and a
`manifeste` (+ `manifeste_livraisons`, the deliveries and their checksums). It is written in
DuckDB's storage version STORAGE_VERSION (publication.analysts_format), which DuckDB 1.4.0 and
later open; its tables and views are also written as Parquet beside it (`53_parquet/`), and the
folder gets a French README.md (publication.analysts_readme).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from publication import atomic
from publication.analysts_format import LICENCE, OLDEST_DUCKDB, STORAGE_VERSION
from publication.analysts_parquet import export_parquet, parquet_folder
from publication.analysts_readme import write_readme
from publication.dictionnaire import describe_column, describe_table
from publication.manifest import DELIVERY_COLUMNS, NATIONAL_PRODUCERS
from publication.source import Snapshot, code_version, masking_threshold, open_snapshot
from publication.table import CELLS, snapshot_masked_cells
from socle.files import sha256_file
from socle.settings import Settings

log = logging.getLogger(__name__)

NATIONAL = "national"
# Person-level columns that never leave the warehouse (privacy.md): clear identifiers, commune,
# birth year, exact dates (any DATE/TIMESTAMP column not named mois*), health-related fields.
FORBIDDEN = {"nir", "id_rsa", "id_ft", "nom", "prenom", "nom_naissance", "adresse", "telephone", "courriel",
             "email", "code_commune", "libelle_commune", "commune", "annee_naissance", "date_naissance",
             "rqth", "sante", "frein_sante", "freins", "referent", "conseiller", "id_conseiller"}
FINGERPRINT_KEY = "empreinte_contenu"  # in each file's manifest (content_fingerprint)
QUALITY_TABLES = {"livraisons": "fct_livraisons", "livraisons_manquantes": "fct_livraisons_manquantes",
                  "quarantaine_motifs": "fct_quarantaine_motifs", "liaison": "fct_liaison"}


def _q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _scope(snapshot: Snapshot, region: str | None) -> str:
    """SQL predicate over (niveau, code_territoire) selecting the audience's territories."""
    if region is None:
        return "true"
    r = _q(region)
    return (f"((niveau = 'region' and code_territoire = {r})"
            f" or (niveau = 'departement' and code_territoire in (select code_territoire from marts.dim_territoires"
            f"     where niveau = 'departement' and code_region = {r}))"
            f" or (niveau = 'bassin' and code_territoire in (select code_territoire from"
            f"     marts.dim_territoires_appartenance where niveau = 'bassin' and code_region = {r})))")


def _producers(snapshot: Snapshot, region: str | None) -> str:
    if region is None:
        return "true"
    deps = [r[0] for r in snapshot.con.execute(
        "select code_territoire from marts.dim_territoires where niveau = 'departement' and code_region = ?",
        [region]).fetchall()]
    return "producteur in (" + ", ".join(_q(p) for p in [*NATIONAL_PRODUCERS, *deps]) + ")"


def person_columns(snapshot: Snapshot) -> tuple[list[str], list[str]]:
    """(kept, dropped) columns of marts.fct_personnes_mois."""
    rows = snapshot.con.execute(
        "select column_name, data_type from information_schema.columns where table_schema = 'marts' "
        "and table_name = 'fct_personnes_mois' order by ordinal_position").fetchall()
    kept, dropped = [], []
    for name, type_ in rows:
        exact_date = (type_.upper().startswith(("DATE", "TIMESTAMP")) and not name.lower().startswith("mois"))
        (dropped if name.lower() in FORBIDDEN or exact_date else kept).append(name)
    return kept, dropped


def comparison_cells(snapshot: Snapshot, threshold: int) -> pl.DataFrame:
    """The published (masked) national and régional cells, columns CELLS, for the régions' files."""
    masked, _ = snapshot_masked_cells(snapshot.con, threshold)
    return (masked.select(CELLS).filter(pl.col("niveau").is_in(["national", "region"]))
            .sort("indicateur", "niveau", "code_territoire", "mois", "ventilation", "modalite"))


def _tables(snapshot: Snapshot, region: str | None, comparison: pl.DataFrame | None) -> tuple[list[tuple[str, str]], dict]:
    """(table name, SELECT over the snapshot) for each table of one file, in creation order, and
    notes for the manifest. The comparison cells are read from the registered frame `_comparaison`."""
    scope, producers = _scope(snapshot, region), _producers(snapshot, region)
    tables = [("indicateurs", f"select * from marts.indicateurs where {scope} "
                              "order by indicateur, niveau, code_territoire, mois, ventilation, modalite")]
    if region is not None and comparison is not None:
        tables.append(("comparaison", "select * from _comparaison"))
    tables.append(("territoires", f"""
        select t.*, coalesce(t.niveau = 'bassin' and m.nb_regions > 1, false) as chevauche_plusieurs_regions
        from marts.dim_territoires as t
        left join (select niveau, code_territoire, count(distinct code_region) as nb_regions
                   from marts.dim_territoires_appartenance group by niveau, code_territoire) as m
          using (niveau, code_territoire)
        where {scope}
        order by niveau, code_territoire"""))
    own = "true" if region is None else f"code_region = {_q(region)}"
    tables.append(("appartenance_territoires", f"select * from marts.dim_territoires_appartenance "
                                               f"where {scope} and {own} order by niveau, code_territoire, code_departement"))
    tables.append(("definitions_indicateurs", "select * from marts.dim_indicateurs"))
    for table, mart in QUALITY_TABLES.items():
        if snapshot.has(mart):
            # every quality mart has `producteur` (its dbt contract)
            tables.append((table, f"select * from marts.{mart} where {producers}"))
    if region is None and snapshot.has("fct_referentiel_bassins"):
        tables.append(("referentiel_bassins", "select * from marts.fct_referentiel_bassins"))
    notes: dict = {"personnes_mois": "absent de l'instantané"}
    if snapshot.has("fct_personnes_mois"):
        kept, dropped = person_columns(snapshot)
        if region is not None and "code_region" not in kept:
            notes["personnes_mois"] = "non copié : pas de colonne code_region pour restreindre à la région"
        else:
            cols = ", ".join(f'"{c}"' for c in kept)
            where = "true" if region is None else f"code_region = {_q(region)}"
            tables.append(("personnes_mois", f"select {cols} from marts.fct_personnes_mois where {where}"))
            notes["personnes_mois"] = "copié" + (f" ; colonnes retirées : {', '.join(dropped)}" if dropped else "")
    if snapshot.has("fct_livraisons"):
        # columns guaranteed by the dbt contract of fct_livraisons
        tables.append(("manifeste_livraisons", f"select {', '.join(DELIVERY_COLUMNS)} from marts.fct_livraisons "
                                               f"where {producers} and statut = 'acceptee' and est_courante order by all"))
    return tables, notes


@contextmanager
def _registered(snapshot: Snapshot, comparison: pl.DataFrame | None):
    if comparison is None:
        yield
        return
    snapshot.con.execute("select 1").fetchall()   # no partly fetched result left before register
    snapshot.con.register("_comparaison", comparison)
    try:
        yield
    finally:
        snapshot.con.unregister("_comparaison")


def content_fingerprint(snapshot: Snapshot, audience: str, comparison: pl.DataFrame | None, threshold: int) -> str:
    """The fingerprint of what one file would hold: each table's columns, row count and the sum of
    its rows' hashes, the notes of its manifest, the threshold it names and the code that writes
    it (views, dictionary, README). Not the build time nor the snapshot's name: a file whose
    rows would not change is not rewritten."""
    region = None if audience == NATIONAL else audience
    tables, notes = _tables(snapshot, region, comparison)
    h = hashlib.sha256(f"{audience}|{threshold}|{sorted(notes.items())}|{STORAGE_VERSION}|{_code_fingerprint()}".encode())
    with _registered(snapshot, comparison):
        for name, sql in tables:
            con = snapshot.con
            rel = con.sql(sql)
            (n, total), = con.execute(f"select count(*), coalesce(sum(hash(t)::hugeint), 0) from ({sql}) as t").fetchall()
            h.update(f"{name}|{list(zip(rel.columns, map(str, rel.types)))}|{n}|{total}\n".encode())
    return h.hexdigest()


@cache
def _code_fingerprint() -> str:
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in ("analysts.py", "analysts_format.py", "analysts_parquet.py", "analysts_readme.py", "dictionnaire.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()


def stored_fingerprint(path: Path) -> str | None:
    """The content fingerprint written in a file's manifest (None: no file, or written before them)."""
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            row = con.execute("select valeur from manifeste where cle = ?", [FINGERPRINT_KEY]).fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def _copy_tables(snapshot: Snapshot, region: str | None, comparison: pl.DataFrame | None) -> dict:
    """Create the tables of one file in the attached database `sortie`; return notes for the manifest."""
    tables, notes = _tables(snapshot, region, comparison)
    with _registered(snapshot, comparison):
        for name, sql in tables:
            snapshot.con.execute(f"create table sortie.{name} as {sql}")
    return notes


VIEWS = {
    "indicateurs_lisibles": """
        select i.indicateur, d.libelle as libelle_indicateur, i.niveau, i.code_territoire, t.libelle_territoire,
               i.mois, strftime(i.mois, '%Y-%m') as mois_texte, i.ventilation, i.modalite, i.valeur,
               i.numerateur, i.denominateur, i.statut
        from indicateurs as i
        left join definitions_indicateurs as d using (indicateur)
        left join territoires as t using (niveau, code_territoire)""",
    "indicateurs_dernier_mois": """
        select * from indicateurs_lisibles where mois = (select max(mois) from indicateurs)""",
    "livraisons_courantes": "select * from livraisons where est_courante",
}


def _finish(path: Path, manifest_rows: list[tuple[str, str]]) -> None:
    """Views, dictionary and manifest, written with a direct connection (views then name no catalog)."""
    con = duckdb.connect(str(path))
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        for name, sql in VIEWS.items():
            if name != "livraisons_courantes" or "livraisons" in tables:
                con.execute(f"create view {name} as {sql}")
        con.execute("create table manifeste (cle varchar, valeur varchar)")
        con.executemany("insert into manifeste values (?, ?)", manifest_rows)
        con.execute("create table dictionnaire (nom_table varchar, genre varchar, colonne varchar, type varchar, "
                    "description varchar)")
        objects = con.execute("select table_name, table_type from information_schema.tables "
                              "order by table_type, table_name").fetchall()
        rows = []
        for name, _ in objects:
            genre, description = describe_table(name)
            rows.append((name, genre, None, None, description))
            for col, type_ in con.execute(
                    "select column_name, data_type from information_schema.columns where table_name = ? "
                    "order by ordinal_position", [name]).fetchall():
                rows.append((name, genre, col, type_, describe_column(name, col)))
        con.executemany("insert into dictionnaire values (?, ?, ?, ?, ?)", rows)
        con.execute("checkpoint")
    finally:
        con.close()


def _build_one(snapshot: Snapshot, folder: Path, audience: str, built_at: str, version: dict, threshold: int,
               snapshot_sha: str, comparison: pl.DataFrame | None, fingerprint: str = "") -> Path:
    final = folder / f"{audience}.duckdb"
    building = folder / f".{audience}.duckdb.construction-{os.getpid()}"
    for p in (building, building.with_name(building.name + ".wal")):
        p.unlink(missing_ok=True)
    region = None if audience == NATIONAL else audience
    # an older storage version than 2.0's default, so that DuckDB 1.4 and 1.5 open the file
    snapshot.con.execute(f"attach {_q(str(building))} as sortie (read_write, storage_version {_q(STORAGE_VERSION)})")
    try:
        notes = _copy_tables(snapshot, region, comparison)
    finally:
        snapshot.con.execute("detach sortie")
    manifest_rows = [
        ("artefact", "fichier analystes"),
        ("audience", "DGEFP / national" if region is None else f"DREETS de la région {region}"),
        ("perimetre", "tous les territoires" if region is None else
         f"région {region}, ses départements et les bassins qui la touchent ; aucune ligne d'une autre région"),
        ("construit_le", built_at),
        ("instantane", snapshot.path.name),
        ("instantane_sha256", snapshot_sha),
        ("version_code", version.get("commit") or "inconnue"),
        ("modifications_locales", str(version.get("modifications_locales"))),
        ("seuil_secret", f"non appliqué (fichier non masqué, audience restreinte) ; seuil gouverné : {threshold}"),
        ("personnes_mois", notes["personnes_mois"]),
        ("comparaison", "absente (le fichier national contient tous les territoires)" if region is None else
         "table comparaison : France et régions, chiffres publiés masqués (identiques à l'open data)"),
        ("livraisons", "voir la table manifeste_livraisons (empreintes SHA-256)"),
        (FINGERPRINT_KEY, fingerprint),
        ("format", f"DuckDB, version de stockage {STORAGE_VERSION} : s'ouvre avec DuckDB {OLDEST_DUCKDB} ou plus "
                   f"récent ; les mêmes tables et vues en Parquet dans {audience}_parquet/"),
        ("licence", f"diffusion restreinte ; chiffres réutilisables, une fois masqués, sous {LICENCE}"),
    ]
    _finish(building, manifest_rows)
    building.with_name(building.name + ".wal").unlink(missing_ok=True)
    parquet_building = folder / f".{audience}_parquet.construction-{os.getpid()}"
    export_parquet(building, parquet_building)
    atomic.replace_file(building, final)
    atomic.replace_folder(parquet_building, parquet_folder(final))
    return final


@dataclass
class AnalystBuild:
    """The analyst files after a build: every file, and those rewritten (the others held the same rows)."""

    paths: list[Path]
    rebuilt: list[Path]

    @property
    def unchanged(self) -> list[Path]:
        return [p for p in self.paths if p not in self.rebuilt]


def build_analyst_files(settings: Settings) -> list[Path]:
    """The national file and one file per région of dim_territoires, each rebuilt only when its
    content changed (`rebuild_analyst_files`); return their paths."""
    return rebuild_analyst_files(settings).paths


def rebuild_analyst_files(settings: Settings) -> AnalystBuild:
    """(Re)build the national file and one file per région of dim_territoires: a file whose
    content fingerprint (`content_fingerprint`, kept in its manifest) is unchanged, with its
    Parquet folder in place, is left as it is (same bytes, same mtime)."""
    folder = settings.analysts
    with atomic.exclusive(settings.home / "analystes.lock"):
        folder.mkdir(parents=True, exist_ok=True)
        for p in [*folder.glob(".*.construction-*"), *folder.glob(".*.ancien-*")]:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink(missing_ok=True)
        return _build_all(settings, folder)


def _build_all(settings: Settings, folder: Path) -> AnalystBuild:
    threshold, _ = masking_threshold()
    built_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    version = code_version()
    paths, rebuilt = [], []
    with open_snapshot(settings) as snapshot:
        snapshot_sha = None
        regions = [r[0] for r in snapshot.con.execute(
            "select code_territoire from marts.dim_territoires where niveau = 'region' order by 1").fetchall()]
        comparison = comparison_cells(snapshot, threshold) if regions else None
        for audience in [NATIONAL, *regions]:
            final = folder / f"{audience}.duckdb"
            fingerprint = content_fingerprint(snapshot, audience, comparison, threshold)
            if stored_fingerprint(final) == fingerprint and parquet_folder(final).is_dir():
                paths.append(final)
                continue
            if snapshot_sha is None:
                snapshot_sha = sha256_file(snapshot.path)
            paths.append(_build_one(snapshot, folder, audience, built_at, version, threshold, snapshot_sha,
                                    comparison, fingerprint))
            rebuilt.append(final)
    write_readme(folder, paths, threshold)
    log.info("fichiers analystes : %d reconstruit(s), %d inchangé(s) (%s)", len(rebuilt), len(paths) - len(rebuilt),
             folder)
    return AnalystBuild(paths, rebuilt)
