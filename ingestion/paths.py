"""Recognise a landing file: its kind, producer and reference month (sources.md layout)."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingestion import communes
from ingestion.errors import FileRejected
from socle.parameters import parameter

EXTENSIONS = ("csv", "xlsx", "parquet")
MIN_MONTH = date(1990, 1, 1)
_MONTH = r"(?P<year>\d{4})-(?P<month>\d{2})"
_PATTERNS = [
    (re.compile(rf"^(?P<producer>caf)/(?P<kind>rsa)_{_MONTH}\.(?P<ext>\w+)$", re.I), None),
    (re.compile(rf"^(?P<producer>ft)/(?P<kind>inscriptions|accompagnements|reprises_emploi)_{_MONTH}"
                r"\.(?P<ext>\w+)$", re.I), None),
    (re.compile(rf"^departements/(?P<producer>[^/]+)/(?P<kind>orientations|accompagnements)_{_MONTH}"
                r"\.(?P<ext>\w+)$", re.I), "departement"),
    (re.compile(r"^referentiels/(?P<kind>bassins)_(?P<year>\d{4})\.(?P<ext>\w+)$", re.I), "referentiel"),
]


@dataclass(frozen=True)
class LandedFile:
    path: Path
    relative: str
    type_fichier: str  # rsa, orientations, accompagnements, inscriptions, reprises_emploi, bassins
    producteur: str  # caf, ft, a département code, or referentiel
    mois: date
    extension: str

    @property
    def schema_kind(self) -> str:
        if self.type_fichier == "accompagnements":
            return "accompagnements_ft" if self.producteur == "ft" else "accompagnements_departement"
        return self.type_fichier


def normalise(relative: str) -> str:
    """A landing path as the contract compares names: case and accents ignored
    (`Départements/2A/ORIENTATIONS_2024-01.CSV` is `departements/2a/orientations_2024-01.csv`)."""
    decomposed = unicodedata.normalize("NFKD", relative)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def retention_months() -> int:
    """The retention period of person-level rows, in months (governed parameter `retention_mois`)."""
    return int(parameter("retention_mois"))


def oldest_month(today: date | None = None) -> date:
    """The oldest reference month still kept: a month more than the retention period before the
    current month is purged (privacy.md), so a file describing it is not loaded."""
    today = today or date.today()
    index = today.year * 12 + today.month - 1 - retention_months()
    return date(index // 12, index % 12 + 1, 1)


def refusal(landing: Path, path: Path, st: os.stat_result | None = None, name: str | None = None) -> str | None:
    """Why an entry of the landing folder is never opened, or None for a file to read.

    Decided on the entry itself (`lstat`): the target of a symbolic link is never opened nor
    examined, wherever it points. `name`: the entry as the message shows it (its recorded path,
    `redaction.redact_path`), else its path."""
    relative = path.relative_to(landing).as_posix()
    shown = name or relative
    st = st or path.lstat()
    hidden = [part for part in relative.split("/") if part.startswith(".")]
    if hidden:
        if stat.S_ISDIR(st.st_mode):
            return f"{shown} : dossier caché (nom commençant par un point) : ni lui ni son contenu ne sont lus"
        return f"{shown} : fichier caché (nom commençant par un point) : non lu"
    if stat.S_ISLNK(st.st_mode):
        return f"{shown} : lien symbolique : non suivi (déposer le fichier lui-même, pas un lien)"
    if stat.S_ISDIR(st.st_mode):
        return f"{shown} : dossier illisible (droits d'accès) : son contenu n'est pas lu"
    if not stat.S_ISREG(st.st_mode):
        return f"{shown} : n'est pas un fichier ordinaire (tube, socket ou périphérique) : non lu"
    return None


def _match(relative: str):
    for candidate in (relative, normalise(relative)):  # as written first, for the messages
        for pattern, scope in _PATTERNS:
            m = pattern.match(candidate)
            if m:
                return m, scope
    return None, None


def contract_parts(relative: str) -> tuple[str, str]:
    """(the part of a landing path the contract knows, the rest): a path of the contract is known
    whole; otherwise only its known folders are (`caf/`, `ft/`, `referentiels/`, `departements/`
    and, below it, a valid département code), and the rest (a file name, a sub-folder, an
    unknown folder) may be anything a person typed, personal data included (sources.md,
    privacy.md): it is never recorded as it is (`redaction.redact_path`)."""
    m, scope = _match(relative)
    if m is not None and _known_name(m, scope):
        return relative, ""
    parts = relative.split("/")
    kept = 0
    folder = normalise(parts[0])
    if folder in ("caf", "ft", "referentiels"):
        kept = 1
    elif folder == "departements":
        kept = 2 if len(parts) > 1 and _departement(parts[1]) else 1
    if kept == len(parts):  # a known folder itself (a link or a special file in its place)
        return relative, ""
    return "".join(p + "/" for p in parts[:kept]), "/".join(parts[kept:])


def _departement(folder: str) -> bool:
    return normalise(folder).strip().upper() in communes.departement_codes()


def _known_name(m: re.Match, scope: str | None) -> bool:
    """A name that matches a pattern with an accepted extension and, for a département, a valid code:
    every character of it is the contract's (letters of the kind, digits of the month)."""
    return m["ext"].lower() in EXTENSIONS and (scope != "departement" or _departement(m["producer"]))


def recognise(landing: Path, path: Path, name: str | None = None) -> LandedFile:
    """Classify a file of the landing folder, or reject it with the reason. `name`: the file as the
    messages show it (its recorded path, `redaction.redact_path`), else its path."""
    relative = path.relative_to(landing).as_posix()
    shown = name or relative
    reason = refusal(landing, path, name=name)
    if reason:
        raise FileRejected(reason)
    m, scope = _match(relative)
    if m is not None:
        ext = m["ext"].lower()
        if ext not in EXTENSIONS or (scope == "referentiel" and ext != "csv"):
            # an extension outside the contract's is not quoted: it may be anything a person typed
            quoted = f"« {m['ext']} » " if m["ext"].lower() in EXTENSIONS else ""
            raise FileRejected(f"{shown} : extension {quoted}non acceptée (csv, xlsx ou parquet ; "
                               "csv pour un référentiel)")
        month = int(m.groupdict().get("month") or 1)
        if not 1 <= month <= 12:
            raise FileRejected(f"{shown} : le mois {m['year']}-{m['month']} n'existe pas")
        if scope != "referentiel":
            # a monthly file describes a month that has begun, since 1990 (the earliest date accepted)
            reference, today = date(int(m["year"]), month, 1), date.today()
            if reference > today.replace(day=1):
                raise FileRejected(f"{shown} : le mois {m['year']}-{m['month']} n'est pas encore commencé")
            if reference < MIN_MONTH:
                raise FileRejected(f"{shown} : le mois {m['year']}-{m['month']} est antérieur à 1990")
            if reference < oldest_month(today):
                raise FileRejected(
                    f"{shown} : le mois {m['year']}-{m['month']} dépasse la durée de conservation "
                    f"({retention_months()} mois, paramètre retention_mois) : ses lignes individuelles "
                    "ne sont plus conservées, le fichier n'est pas chargé")
        producer = "referentiel" if scope == "referentiel" else m["producer"].strip().upper()
        if scope == "departement" and producer not in communes.departement_codes():
            # the folder is not quoted: it may be anything a person typed
            raise FileRejected(f"{shown} : le dossier sous departements/ n'est pas un code de département "
                               "(code INSEE : 01 à 95, 2A, 2B, 971 à 976)")
        return LandedFile(path, relative, m["kind"].lower(), producer.lower() if scope is None else producer,
                          date(int(m["year"]), month, 1), ext)
    raise FileRejected(f"{shown} : chemin non prévu par le contrat des sources")


def scan(landing: Path) -> list[Path]:
    """Every entry of the landing folder to land or to record as rejected, in a stable order:
    each file, and, without looking inside, each hidden entry (name starting with a dot), each
    symbolic link (to a file or a folder) and each special file. Symbolic links are never followed.
    A folder that cannot be listed (rights) is an entry itself, recorded as a folder not read: its
    error, which quotes its path, goes no further."""
    found: list[Path] = []
    pending = [landing] if landing.is_dir() else []
    while pending:
        folder = pending.pop()
        try:
            listing = os.scandir(folder)
        except OSError:
            if folder == landing:
                raise
            found.append(folder)
            continue
        with listing as entries:
            for entry in entries:
                if entry.name.startswith(".") or entry.is_symlink():
                    found.append(Path(entry.path))
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                else:
                    found.append(Path(entry.path))
    return sorted(found)
