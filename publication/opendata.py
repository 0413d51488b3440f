"""The open-data export (publication.md): `$SOCLE_HOME/opendata/<YYYY-MM-DD>-<NN>/` and `latest`.

Publications never overwrite one another (issue 16, finding 3): each has its own folder named
by its date and a two-digit sequence number within the day (`2024-03-05-01`, `2024-03-05-02`,
…), so that names sort by date then order. The sequence number is allocated under the
open-data lock, one above every name of that day already present in the folder (a folder left
by an earlier run, even half-written, is never reused), and the built folder is renamed into
place without ever replacing an existing one (Linux renameat2 RENAME_NOREPLACE). Folders of
the earlier scheme (`<YYYY-MM-DD>/`, no sequence) still count as publications (sequence 0).

The folder is built under a hidden temporary name next to the final one
(`opendata/.construction-<name>-<stamp>/`), checked by the gate, then renamed into place;
`latest` (a relative symlink) is switched by one rename. `revisions.csv` compares with the
previous publication, the one `latest` pointed to, whatever its date. A refused export leaves
the opendata folder exactly as it was; its check results are kept in
`$SOCLE_HOME/logs/publication/` (never in the public folder: the refused files may hold
unmasked cells).
"""

from __future__ import annotations

import logging
import re
import shutil
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import polars as pl

from publication import atomic
from publication.annuels import masked_yearly, stock_indicators, write_yearly
from publication.cibles import cibles_table, read_cibles, write_cibles
from publication.gate import Expected, PublicationRefusee, check_export, month_range
from publication.gate_attack import CACHE_FOLDER, prune as prune_attack_cache
from publication.licence import publisher
from publication.manifest import deliveries, file_entries, manifest, write_manifest
from publication.no_change import NOTHING_NEW, differences
from publication.readme import substitute_note, write_readme
from publication.revisions import write_revisions
from publication.schema import territory_codes, write_datapackage
from publication.xlsx import write_xlsx
from publication.source import Snapshot, masking_threshold, open_snapshot
from publication.table import (CELLS, csv_table, indicator_kinds, labelled, published_table, read_indicateurs,
                               snapshot_masked_cells, territories_of)
from socle import quality
from socle.csv_safety import neutralise
from socle.rounding import indicator_decimals
from socle.settings import Settings

log = logging.getLogger(__name__)

DATED = re.compile(r"^(?P<day>\d{4}-\d{2}-\d{2})(?:-(?P<seq>\d{2,}))?$")
LATEST = "latest"
LOCK = "opendata.lock"  # in $SOCLE_HOME, out of the public folder
APPARTENANCE = "dim_territoires_appartenance"  # bassin → départements holding its communes
TERRITORY_MONTHS = "dim_territoires_mois"  # optional mart (niveau, code_territoire, mois): the exact grid, when it exists
WORKBOOK = "indicateurs.xlsx"  # the same table for spreadsheet users (publication.xlsx)
DATA_FILES = ["indicateurs.csv", "indicateurs.parquet", WORKBOOK, "datapackage.json", "README.md", "revisions.csv"]
YEARLY_FILES = ["indicateurs_annuels.csv", "indicateurs_annuels.parquet"]  # when the snapshot has the yearly mart
TARGETS_FILE = "cibles.csv"  # when the snapshot has marts.cibles
KEEP_REPORTS = 12
YEARLY_CACHE = "cache/masquage_annuel"  # in $SOCLE_HOME: the yearly inflow rows masked, per year (socle.masking.StoredPeriods)
ATTACK_CACHE = CACHE_FOLDER  # in $SOCLE_HOME: the gate's attack per period, by content (publication.gate_attack)
SOURCE_NAMES = {"rsa": "RSA (CAF/MSA)", "inscriptions": "inscriptions (France Travail)",
                "accompagnements": "accompagnements", "reprises_emploi": "reprises d'emploi (France Travail)",
                "orientations": "orientations (départements)"}


def order_key(name: str) -> tuple[str, int]:
    """(date, sequence) of a publication folder name; sequence 0 for the earlier `<YYYY-MM-DD>` scheme."""
    m = DATED.match(name)
    if m is None:
        raise ValueError(f"nom de dossier de publication inattendu : {name}")
    return m["day"], int(m["seq"] or 0)


def publications(root: Path) -> list[Path]:
    """Published dated folders, oldest first (by date, then sequence)."""
    if not root.exists():
        return []
    return sorted((p for p in root.iterdir() if DATED.match(p.name) and p.is_dir() and not p.is_symlink()),
                  key=lambda p: order_key(p.name))


def latest_publication(root: Path) -> Path | None:
    link = root / LATEST
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def previous_publication(root: Path) -> Path | None:
    """The publication the next one is compared with: the one `latest` points to, else the newest
    complete one (with its manifest, written last before the folder is renamed into place)."""
    current = latest_publication(root)
    if current is not None and DATED.match(current.name):
        return current
    folders = [p for p in publications(root) if (p / "manifest.json").is_file() and (p / "indicateurs.csv").is_file()]
    return folders[-1] if folders else None


def next_folder_name(root: Path, day: date) -> str:
    """`<day>-<NN>`: one above the sequence of every entry of that day in `root` (whatever it is:
    a folder, a half-written one, a stray file), so that no existing name is ever reused."""
    used = [0]
    if root.exists():
        for p in root.iterdir():
            m = DATED.match(p.name)
            if m and m["day"] == day.isoformat():
                used.append(int(m["seq"] or 0))
    return f"{day.isoformat()}-{max(used) + 1:02d}"


def expected_from(snapshot: Snapshot, kinds: dict[str, str], indicateurs: pl.DataFrame,
                  dim_territoires: pl.DataFrame, decimals: dict[str, int] | None = None) -> Expected:
    """What the export must hold (gate.coverage_frame). Months computed: from the month after the
    first accepted CAF file to the last one (indicators.md), read from the ledger; the mart's own
    range when the ledger has none. Territories per month: `marts.dim_territoires_mois` when the
    snapshot has it, else dim_territoires and the mart's bassins of each month."""
    months: list[str] = []
    if snapshot.has("fct_livraisons"):
        rsa = snapshot.con.execute(
            "select min(mois), max(mois) from marts.fct_livraisons where type_fichier = 'rsa' "
            "and statut = 'acceptee'").fetchone()
        if rsa[0] is not None:
            first = rsa[0]
            first = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
            months = month_range(first, rsa[1]) if first <= rsa[1] else []
    if not months and indicateurs.height:
        months = month_range(indicateurs["mois"].min(), indicateurs["mois"].max())
    bassin_months = (indicateurs.filter(pl.col("niveau") == "bassin")
                     .select("code_territoire", pl.col("mois").dt.strftime("%Y-%m")).unique())
    single = True
    if snapshot.has("dim_territoires_appartenance") and "annee_referentiel" in snapshot.columns("dim_territoires_appartenance"):
        single = snapshot.con.execute(
            "select count(distinct annee_referentiel) <= 1 from marts.dim_territoires_appartenance "
            "where niveau = 'bassin'").fetchone()[0]
    territory_months = None
    if snapshot.has(TERRITORY_MONTHS) and {"niveau", "code_territoire", "mois"} <= set(snapshot.columns(TERRITORY_MONTHS)):
        territory_months = snapshot.con.sql(
            f"select distinct niveau, code_territoire, strftime(mois, '%Y-%m') as mois from marts.{TERRITORY_MONTHS} "
            f"where strftime(mois, '%Y-%m') in (select unnest(?::varchar[]))", params=[months]).pl()
    appartenance = snapshot.frame(APPARTENANCE) if snapshot.columns(APPARTENANCE) else None
    return Expected(kinds=kinds, territories=territories_of(dim_territoires), appartenance=appartenance,
                    months=months, bassin_months=bassin_months, single_referential=bool(single),
                    territory_months=territory_months, decimals=decimals)


def _latest_months(livraisons: list[dict]) -> dict[str, str]:
    out: dict[str, str] = {}
    for d in livraisons:
        name = SOURCE_NAMES.get(d.get("type_fichier"))
        if name and d.get("mois"):
            out[name] = max(out.get(name, ""), str(d["mois"])[:7])
    return out


def _clean_leftovers(root: Path) -> None:
    for p in root.glob(".construction-*"):
        shutil.rmtree(p, ignore_errors=True)
    for p in root.glob(f".{LATEST}.tmp-*"):
        p.unlink(missing_ok=True)


def _keep_report(settings: Settings, built: Path, report: Path, refused: bool) -> Path:
    """Keep the check results of a build in `$SOCLE_HOME/logs/publication/` (internal), with the
    Data Docs already built there; a refused build's folder is suffixed `_refusee`."""
    report.mkdir(parents=True, exist_ok=True)
    src = built / "validation"
    if src.exists():
        shutil.copytree(src, report / "validation", dirs_exist_ok=True)
    if refused:
        target = report.with_name(report.name + "_refusee")
        report.rename(target)
        report = target
    olds = sorted(p for p in report.parent.iterdir() if p.is_dir())
    for p in olds[:-KEEP_REPORTS]:
        shutil.rmtree(p, ignore_errors=True)
    return report


@dataclass
class Exported:
    """What an export did: the `latest` publication afterwards, whether it is new, and why not."""

    folder: Path
    new: bool
    message: str


def export_opendata(settings: Settings, today: date | None = None, *, threshold: int | None = None,
                    masker=None) -> Path:
    """`publish_opendata`'s `latest` folder afterwards (the new one, or the previous one kept)."""
    return publish_opendata(settings, today, threshold=threshold, masker=masker).folder


def publish_opendata(settings: Settings, today: date | None = None, *, threshold: int | None = None,
                     masker=None) -> Exported:
    """Build, check and publish the open-data folder of `today` from the current snapshot. When
    no published figure and no published file content would change versus the previous
    publication (publication.no_change), nothing new is published: the previous folder stays
    `latest`, and the export logs and returns « aucun chiffre ne change : rien de nouveau publié ».
    Raises PublicationRefusee (nothing published) when a blocking check fails. `masker` replaces
    socle.masking.mask (tests only)."""
    day = today or date.today()
    root = settings.opendata
    with atomic.exclusive(settings.home / LOCK):
        root.mkdir(parents=True, exist_ok=True)
        _clean_leftovers(root)
        return _export(settings, root, day, threshold, masker)


def _yearly(snapshot: Snapshot, indicateurs: pl.DataFrame, table: pl.DataFrame, extra: dict,
            dim_indicateurs: pl.DataFrame, dim_territoires: pl.DataFrame, appartenance: pl.DataFrame | None,
            threshold: int, decimals: dict[str, int], cache: Path | None = None,
            attack_cache: Path | None = None):
    """(yearly table, its text, masking summary) or (None, None, None) without the yearly mart.
    The stock figures take the mask of the monthly cells of the published monthly table (publication.annuels)."""
    monthly_masked = extra.get("masked")
    stored = monthly_masked is not None  # masked at the snapshot's publication, from the same monthly table
    if monthly_masked is None:  # a test's masker: the published monthly table, its months as dates again
        monthly_masked = table.with_columns(pl.col("mois").str.to_date("%Y-%m")).select(CELLS)
    result = masked_yearly(snapshot.con, threshold, monthly_masked, dim_indicateurs, dim_territoires, appartenance,
                           stored=stored, cache=cache, attack_cache=attack_cache)
    if result is None:
        return None, None, None
    masked, summary = result
    published = neutralise(labelled(masked, dim_indicateurs, dim_territoires, appartenance, period="annee"))
    return published, csv_table(published, decimals), summary


def _export(settings: Settings, root: Path, day: date, threshold: int | None, masker) -> Exported:
    previous = previous_publication(root)
    newest = publications(root)
    for folder in filter(None, [previous, newest[-1] if newest else None]):
        if order_key(folder.name)[0] > day.isoformat():
            raise ValueError(f"une publication plus récente existe déjà ({folder.name}) : "
                             f"refus de publier à la date du {day.isoformat()}")
    name = next_folder_name(root, day)
    if threshold is None:
        threshold, threshold_source = masking_threshold()
    else:
        threshold_source = "argument de export_opendata"
    built_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    building = root / f".construction-{name}-{stamp}"
    building.mkdir()
    try:
        with open_snapshot(settings) as snapshot:
            indicateurs = read_indicateurs(snapshot.con)
            dim_indicateurs = snapshot.frame("dim_indicateurs")
            dim_territoires = snapshot.frame("dim_territoires")
            appartenance = snapshot.frame(APPARTENANCE) if snapshot.columns(APPARTENANCE) else None
            kinds = indicator_kinds(dim_indicateurs)
            decimals = indicator_decimals(dim_indicateurs)
            masking_summary = None
            if masker is None:  # the cells masked at the snapshot's publication (the dashboards' too)
                masked, masking_summary = snapshot_masked_cells(snapshot.con, threshold)
                extra = {"masked": masked}
            else:
                extra = {"masker": masker}
            # text cells neutralised for spreadsheets (socle.csv_safety), in both files so that they stay one table
            table = neutralise(published_table(indicateurs, dim_indicateurs, dim_territoires, threshold,
                                                appartenance=appartenance, **extra))
            text = csv_table(table, decimals)
            text.write_csv(building / "indicateurs.csv")
            table.write_parquet(building / "indicateurs.parquet", compression="zstd", statistics=True)
            yearly, yearly_text, yearly_summary = _yearly(snapshot, indicateurs, table, extra, dim_indicateurs,
                                                          dim_territoires, appartenance, threshold, decimals,
                                                          settings.home / YEARLY_CACHE,
                                                          settings.home / ATTACK_CACHE)
            if yearly is not None:
                write_yearly(building, yearly, yearly_text)
            cibles = read_cibles(snapshot.con)
            if cibles is not None:
                write_cibles(building, cibles_table(cibles, dim_indicateurs, dim_territoires, decimals, appartenance))
            producer, contact = publisher(settings)
            note = substitute_note(dim_territoires)
            write_xlsx(building / WORKBOOK, table, decimals, day=day.isoformat(), producer=producer, contact=contact,
                       notes=[f"Attention : {note}"] if note else [])
            livraisons = deliveries(snapshot)
            warnings = [{**w, "message": quality.message(w)}
                        for w in quality.quarantine_warnings(snapshot.con)]
            revisions = write_revisions(building, text, previous, livraisons, current_yearly=yearly_text)
            write_datapackage(building, sorted(kinds), day.isoformat(), built_at, producer, contact,
                              territory_codes=territory_codes(dim_territoires), workbook=building / WORKBOOK,
                              yearly=yearly is not None, targets=cibles is not None)
            info = manifest("opendata", built_at, snapshot, threshold, threshold_source, livraisons,
                            date_publication=day.isoformat(), dossier=name,
                            publication_precedente=previous.name if previous else None,
                            avertissements_qualite=warnings)
            write_readme(building, day=day, folder_name=name, built_at=built_at, table=table,
                         dim_indicateurs=dim_indicateurs, dim_territoires=dim_territoires,
                         threshold=threshold, snapshot_name=snapshot.path.name,
                         commit=info["version_code"]["commit"], previous=previous.name if previous else None,
                         n_revisions=revisions.height, latest_deliveries=_latest_months(livraisons),
                         warnings=warnings, producer=producer, contact=contact, yearly=yearly,
                         targets=cibles)
            expected = expected_from(snapshot, kinds, indicateurs, dim_territoires, decimals=decimals)
            expected.attack_cache = settings.home / ATTACK_CACHE
            if yearly is not None:
                expected.yearly_stock = stock_indicators(dim_indicateurs)
        if masking_summary is not None:
            info["masquage"] = masking_summary
            log.info("masquage : %s", info["masquage"])
        files = DATA_FILES + (YEARLY_FILES if yearly is not None else []) + ([TARGETS_FILE] if cibles is not None else [])
        info.update(lignes=table.height, cases_secretes=table.filter(pl.col("statut") == "secret").height,
                    revisions=revisions.height, fichiers=file_entries(building, files))
        if yearly is not None:
            info.update(lignes_annuelles=yearly.height,
                        cases_secretes_annuelles=yearly.filter(pl.col("statut") == "secret").height,
                        masquage_annuel=yearly_summary)
            log.info("masquage annuel : %s", yearly_summary)
        if cibles is not None:
            info["lignes_cibles"] = cibles.height
        write_manifest(building, info)
        if previous is not None and not differences(building, previous):
            log.info("%s (la publication %s reste la dernière)", NOTHING_NEW, previous.name)
            return Exported(previous, False, NOTHING_NEW)
        report = settings.logs / "publication" / f"{day.isoformat()}_{stamp}"
        gate_started = time.time()
        try:
            check_export(building, expected, threshold, data_docs=report / "data_docs")
        except PublicationRefusee as refused:
            kept = _keep_report(settings, building, report, refused=True)
            raise PublicationRefusee(refused.failures, kept / "validation") from None
        if expected.attack_cache is not None:
            log.info("contrôle : %d résultat(s) d'attaque d'anciennes publications retiré(s) du cache",
                     prune_attack_cache(expected.attack_cache, gate_started))
        _keep_report(settings, building, report, refused=False)
        atomic.fsync_tree(building)
        final = root / name
        atomic.rename_new(building, final)
        atomic.switch_symlink(root / LATEST, final.name)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    log.info("données ouvertes publiées : %s (%d lignes, %d secrètes, %d révisions)", final,
             info["lignes"], info["cases_secretes"], info["revisions"])
    return Exported(final, True, f"publiées : {final.name}")
