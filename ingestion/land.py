"""Land the landing folder: every new or re-sent file read, checked, pseudonymised, recorded.

    python -m ingestion.land          # uses SOCLE_LANDING_DIR and SOCLE_HOME
"""

from __future__ import annotations

import calendar
import ctypes
import errno
import hashlib
import logging
import multiprocessing
import os
import shutil
import signal
import stat
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import polars as pl

from ingestion import bassins, lake, ledger, parsing, readers, validation
from ingestion.errors import FileRejected
from ingestion.paths import LandedFile, recognise, refusal, scan
from ingestion.pseudonymise import Pseudonymiser, load_key
from ingestion.readers import LINE
from ingestion.redaction import pseudonymiser_for, redact_path, redact_text, render_quarantine
from ingestion.schemas import IDENTIFIERS, KINDS
from socle.files import NotARegularFile, open_no_follow, sha256_file
from socle.settings import Settings, get_settings

log = logging.getLogger("socle.ingestion")


@dataclass
class Outcome:
    chemin: str
    statut: str  # acceptee, rejetee, deja_vue
    message: str = ""
    lignes_lues: int = 0
    lignes_chargees: int = 0
    lignes_quarantaine: int = 0


# The checksum recorded for an entry socle never opens (hidden, symbolic link, special file).
NOT_OPENED = ""


def delivery_id(chemin: str, checksum: str, modified: datetime, previous: str | None = None) -> str:
    """A landing event: this content, with this modification time, at this path, after the previous
    event recorded at the path (so that an earlier version put back is a new event, even with its
    original modification time)."""
    key = f"{chemin}\0{checksum}\0{modified.isoformat()}\0{previous or ''}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def _max_date(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1]) + timedelta(days=366)


def _check_header(header: list[str], kind, name: str) -> list[str]:
    """Reject a header that lacks a required or needed column; return the columns to drop (unknown)."""
    missing = [c.name for c in kind.columns if c.presence in ("required", "needed") and c.name not in header]
    if missing:
        raise FileRejected(f"{name} : colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}")
    return [c for c in header if c not in kind.names]


def _check_block(raw: readers.RawTable, kind, max_date: date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (typed rows that pass the row checks, failures) of one block of a file."""
    typed, failures = parsing.parse(raw.frame, kind)
    clean = typed.filter(~pl.col(LINE).is_in(failures[LINE].implode()))
    failures = pl.concat([failures, validation.check_values(clean, kind, max_date)])
    passed = typed.filter(~pl.col(LINE).is_in(failures[LINE].implode()))
    ragged = pl.DataFrame({LINE: [ln for ln, _ in raw.bad_lines],
                           "colonne": [None] * len(raw.bad_lines),
                           "valeur": [f"{n} champs au lieu de {raw.header_width}" for _, n in raw.bad_lines],
                           "regle": ["nombre_de_champs"] * len(raw.bad_lines)},
                          schema=validation.FAILURE_SCHEMA)
    unreadable = pl.DataFrame({LINE: raw.unreadable_lines, "colonne": [None] * len(raw.unreadable_lines),
                               "valeur": [None] * len(raw.unreadable_lines),
                               "regle": ["encodage_illisible"] * len(raw.unreadable_lines)},
                              schema=validation.FAILURE_SCHEMA)
    return passed, pl.concat([ragged, unreadable, failures])


def _land_rows(settings: Settings, pseudo: Pseudonymiser, landed: LandedFile, did: str, source,
               name: str) -> tuple[int, pl.DataFrame, list[str]]:
    """Check, pseudonymise and write the rows of a file block by block (memory bounded by a block),
    apply the duplicated-key rule over the whole file, write its lake file. Return (rows loaded,
    quarantine, ignored columns)."""
    kind = KINDS[landed.schema_kind]
    ignored = _check_header(source.header, kind, name)
    schema = lake.lake_schema(landed.type_fichier)
    renamed = {c: n for c, n in lake.RENAMED.items() if c in kind.names}
    quarantine = []
    with lake.Parts(settings.home / "tmp" / "ingestion", did) as parts:
        for block in source:
            passed, failures = _check_block(block, kind, _max_date(landed.mois))
            quarantine.append(render_quarantine(failures, kind.name, pseudo))
            out = passed.with_columns(
                *pseudo.columns(passed.select(c for c in IDENTIFIERS if c in passed.columns)).get_columns(),
                id_livraison=pl.lit(did), producteur=pl.lit(landed.producteur), mois=pl.lit(landed.mois),
            ).rename(renamed)
            parts.add(out.select([pl.col(c).cast(t) for c, t in schema.items()]))
        keys = tuple(tuple(renamed.get(c, c) for c in key) for key in kind.keys)
        dups = parts.duplicated(keys).select(
            LINE, pl.lit(",".join(kind.keys[0])).alias("colonne"), "valeur", pl.lit("cle_dupliquee").alias("regle"))
        loaded = parts.write(lake.partition_path(settings.lake, landed, did), schema, dups[LINE].to_list())
    quarantine = pl.concat([*quarantine, dups.cast(validation.FAILURE_SCHEMA)]) if quarantine else dups
    return loaded, quarantine, ignored


def unreadable(exc: OSError) -> str:
    """Why an entry could not be opened, in French, from its error number only (an OSError's text
    quotes the path, which may hold personal data: it is never carried on)."""
    if isinstance(exc, NotARegularFile):
        return "n'est pas un fichier ordinaire (dossier, tube, socket ou périphérique) : non lu"
    if exc.errno == errno.ELOOP:
        return "lien symbolique : non suivi (déposer le fichier lui-même, pas un lien)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "fichier illisible (droits d'accès) : non lu ; le producteur le redépose lisible"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "fichier retiré du dossier de dépôt pendant sa lecture : non lu"
    return f"fichier illisible (erreur système {errno.errorcode.get(exc.errno, exc.errno)}) : non lu"


@dataclass
class Delivery:
    """One landing event identified in the main process: its ledger row so far and its id."""
    path: Path
    row: dict
    new: bool = True  # False: the same event as the last one recorded at its path
    refused: str | None = None  # why the file could not be opened (then it is rejected unread)
    inode: tuple[int, int] | None = None  # (device, inode) of the file identified

    @property
    def id(self) -> str:
        return self.row["id_livraison"]


def identify(settings: Settings, path: Path, latest: dict[str, dict] | None = None) -> Delivery:
    """The landing event of an entry: path, checksum, size, modification time, and whether it is new
    (`latest`: the last event recorded at each path, `ledger.latest_events`; without it, every event
    is new). An entry that is never to be read (hidden, symbolic link, special file:
    `paths.refusal`) is never opened: no checksum (empty), its size only for a plain file, both from
    `lstat`. A hidden or linked folder is recorded once, whatever happens inside it. A file that
    cannot be opened (rights, a link swapped in since the scan: `socle.files.open_no_follow`) is
    recorded with an empty checksum and rejected with the reason, never read. None when the entry
    is gone since the scan (nothing to record).

    The one place the ledger's path is written: outside the contract's names, what a person typed
    is a keyed token (`redaction.redact_path`); the clear path goes no further than this function
    and `process` (which names the file by `chemin` in every message)."""
    relative = path.relative_to(settings.landing_dir).as_posix()
    chemin = redact_path(relative, pseudonymiser_for(settings))
    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:  # a folder above it without search rights: its text quotes the path
        code = errno.errorcode.get(exc.errno, exc.errno)
        raise RuntimeError(f"{chemin} : entrée du dossier de dépôt inaccessible ({code}) : "
                           "vérifier les droits des dossiers") from None
    opened = refusal(settings.landing_dir, path, st) is None
    checksum, refused = NOT_OPENED, None
    if opened:
        try:
            checksum = sha256_file(path, settings.landing_dir)
        except OSError as exc:
            refused = f"{chemin} : {unreadable(exc)}"
    row = {"chemin": chemin, "sha256": checksum,
           "taille_octets": st.st_size if stat.S_ISREG(st.st_mode) else 0,
           "date_modification": datetime.fromtimestamp(st.st_mtime, timezone.utc).replace(tzinfo=None),
           "recu_le": datetime.now(timezone.utc).replace(tzinfo=None)}
    previous = (latest or {}).get(chemin)
    new = previous is None or not (
        (previous["sha256"], previous["taille_octets"]) == (row["sha256"], row["taille_octets"])
        and (previous["date_modification"] == row["date_modification"] or stat.S_ISDIR(st.st_mode)))
    modified = row["date_modification"]
    row = {"id_livraison": delivery_id(chemin, row["sha256"], modified, previous and previous["id_livraison"])
           if new else previous["id_livraison"], **row}
    return Delivery(path, row, new, refused, (st.st_dev, st.st_ino))


def process(settings: Settings, pseudo: Pseudonymiser, delivery: Delivery) -> tuple[dict, pl.DataFrame | None]:
    """Read, check, pseudonymise and write one file's rows to the lake; return its complete ledger
    row and quarantine (None when the whole file is rejected). Touches neither the warehouse nor
    the ledger, so files can be processed in worker processes."""
    row, did, path = dict(delivery.row), delivery.id, delivery.path
    name = row["chemin"]  # every message names the file as the ledger does (never the clear path)
    try:
        if delivery.refused:
            raise FileRejected(delivery.refused)
        try:
            landed = recognise(settings.landing_dir, path, name)
        except OSError as exc:  # gone or out of reach since it was identified: its text quotes the path
            raise FileRejected(f"{name} : {unreadable(exc)}") from None
        row.update(type_fichier=landed.type_fichier, producteur=landed.producteur, mois=landed.mois,
                   extension=landed.extension)
        with _open(settings, delivery, name) as f:
            n_loaded, quarantine, ignored = _read(settings, pseudo, landed, did, f, name, row)
    except FileRejected as exc:
        row.update(statut="rejetee", motif_rejet=redact_text(str(exc), pseudo))
        return row, None
    except Exception as exc:  # unforeseen: its message may quote a path or a cell, never carried on
        raise RuntimeError(f"{row['chemin']} : échec inattendu de l'ingestion ({type(exc).__name__}, "
                           "message non repris : il peut citer une valeur du fichier)") from None
    quarantine = quarantine.with_columns(id_livraison=pl.lit(did))
    n_quarantined = quarantine[LINE].n_unique()
    row.update(statut="acceptee", lignes_lues=n_loaded + n_quarantined, lignes_chargees=n_loaded,
               lignes_quarantaine=n_quarantined, colonnes_ignorees=redact_text(",".join(ignored), pseudo) or None)
    return row, quarantine


def _open(settings: Settings, delivery: Delivery, name: str):
    """The file of a delivery, opened once without following any link (`open_no_follow`); it must
    still be the file identified (same device and inode): a file swapped since is not read."""
    try:
        f = open_no_follow(delivery.path, settings.landing_dir)
    except OSError as exc:
        raise FileRejected(f"{name} : {unreadable(exc)}") from None
    st = os.fstat(f.fileno())
    if delivery.inode is not None and (st.st_dev, st.st_ino) != delivery.inode:
        f.close()
        raise FileRejected(f"{name} : fichier remplacé pendant son dépôt (entre l'inventaire du dossier et sa "
                           "lecture) : non lu ; il sera lu au prochain passage")
    return f


def _read(settings: Settings, pseudo: Pseudonymiser, landed: LandedFile, did: str, f, name: str,
          row: dict) -> tuple[int, pl.DataFrame, list[str]]:
    """Read one opened file (never its path again) to the lake: (rows loaded, quarantine, ignored)."""
    if landed.type_fichier == "bassins":
        raw = readers.read(f, name, landed.extension)
        row.update(encodage=raw.encoding, delimiteur=raw.delimiter)
        loaded, failures, ignored, _ = bassins.normalise(raw, name)
        out = loaded.select(pl.lit(did).alias("id_livraison"), pl.lit(landed.mois.year).alias("annee"),
                            LINE, "code_commune", "code_bassin", "libelle_bassin")
        schema = lake.lake_schema(landed.type_fichier)
        out = out.select([pl.col(c).cast(t) for c, t in schema.items()])
        lake.write(out, lake.partition_path(settings.lake, landed, did))
        return out.height, render_quarantine(failures, landed.schema_kind, pseudo), ignored
    source = readers.stream(f, name, landed.extension)
    row.update(encodage=source.encoding, delimiteur=source.delimiter)
    n_loaded, quarantine, ignored = _land_rows(settings, pseudo, landed, did, source, name)
    row.update(encodage=source.encoding)  # known for sure once every line is read
    return n_loaded, quarantine, ignored


def record(con, row: dict, quarantine: pl.DataFrame | None) -> Outcome:
    """Write a processed file's ledger row and quarantine (main process only), and say so."""
    ledger.record(con, row, quarantine)
    chemin = row["chemin"]  # as recorded: never the clear path of a name outside the contract
    if row["statut"] == "rejetee":
        log.warning("fichier rejeté : %s", row["motif_rejet"])
        return Outcome(chemin, "rejetee", row["motif_rejet"])
    ignored = row["colonnes_ignorees"]
    log.info("fichier accepté : %s (%s, %s) : %d lignes chargées, %d en quarantaine%s", chemin,
             row.get("encodage") or row["extension"],
             repr(row.get("delimiteur")) if row.get("delimiteur") else "-",
             row["lignes_chargees"], row["lignes_quarantaine"], f", colonnes ignorées : {ignored}" if ignored else "")
    return Outcome(chemin, "acceptee", "", row["lignes_lues"], row["lignes_chargees"], row["lignes_quarantaine"])


# --- worker processes ----------------------------------------------------------------------

_worker: tuple[Settings, Pseudonymiser] | None = None


def _start_worker(settings: Settings, key: bytes) -> None:
    global _worker
    _die_with_parent()
    _worker = (settings, Pseudonymiser(key))


def _die_with_parent() -> None:
    """On Linux, a worker is killed with the run that started it (a killed run leaves no worker
    writing to the lake behind it)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _process_in_worker(delivery: Delivery) -> tuple[dict, pl.DataFrame | None]:
    assert _worker is not None
    return process(_worker[0], _worker[1], delivery)


def _worth_a_pool(deliveries: list[Delivery], n_workers: int) -> bool:
    # starting a worker costs about a second (imports): only for many files or big ones
    return n_workers > 1 and (len(deliveries) >= 20 or sum(d.row["taille_octets"] for d in deliveries) >= 50_000_000)


def _land_many(con, settings: Settings, key: bytes, deliveries: list[Delivery]) -> list[Outcome]:
    """Process the files in worker processes; record each in the ledger, in landing order, as soon
    as it and every file before it are done (a killed run keeps what was recorded)."""
    n_workers = min(settings.ingestion_workers, len(deliveries))
    if not _worth_a_pool(deliveries, n_workers):
        pseudo = Pseudonymiser(key)
        return [record(con, *process(settings, pseudo, d)) for d in deliveries]
    context = multiprocessing.get_context("spawn")  # never fork a process that holds DuckDB and threads
    with ProcessPoolExecutor(n_workers, mp_context=context, initializer=_start_worker,
                             initargs=(settings, key)) as pool:
        return [record(con, *result) for result in pool.map(_process_in_worker, deliveries)]


def type_of(settings: Settings, path: Path) -> str | None:
    """The file kind of a landing file, or None when its path is not one of the contract's."""
    try:
        return recognise(settings.landing_dir, path).type_fichier
    except (FileRejected, OSError):  # an entry gone since the scan: `identify` skips it
        return None


def land_all(settings: Settings | None = None, con=None, types: set[str | None] | None = None) -> list[Outcome]:
    """Land every file not yet seen (of the given kinds; None stands for unrecognised paths)."""
    settings = settings or get_settings()
    key = load_key(settings.key_file)
    own = con is None
    con = con or ledger.connect(settings.warehouse)
    try:
        # leftovers of a killed run (the open warehouse makes this the only landing at work)
        shutil.rmtree(settings.home / "tmp" / "ingestion", ignore_errors=True)
        lake.clear_leftovers(settings.lake)
        files = [p for p in scan(settings.landing_dir) if types is None or type_of(settings, p) in types]
        pseudo = pseudonymiser_for(settings)
        ledger.redact_former_paths(con, lambda chemin: redact_path(chemin, pseudo))
        latest = ledger.latest_events(con)
        deliveries = [d for d in (identify(settings, p, latest) for p in files) if d is not None]
        new = [d for d in deliveries if d.new]
        landed = dict(zip([d.id for d in new], _land_many(con, settings, key, new)))
        outcomes = [landed.get(d.id) or Outcome(d.row["chemin"], "deja_vue") for d in deliveries]
        ledger.refresh_views(con, settings.lake)
    finally:
        if own:
            con.close()
    return outcomes


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    outcomes = land_all()
    counts = {s: sum(o.statut == s for o in outcomes) for s in ("acceptee", "rejetee", "deja_vue")}
    print(f"{counts['acceptee']} fichiers acceptés, {counts['rejetee']} rejetés, {counts['deja_vue']} déjà vus")


if __name__ == "__main__":
    main()
