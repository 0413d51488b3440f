"""Recognise a landing file: its kind, producer and reference month (sources.md layout)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingestion import communes
from ingestion.errors import FileRejected

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


def recognise(landing: Path, path: Path) -> LandedFile:
    """Classify a file of the landing folder, or reject it with the reason."""
    relative = path.relative_to(landing).as_posix()
    for pattern, scope in _PATTERNS:
        m = pattern.match(relative)
        if not m:
            continue
        ext = m["ext"].lower()
        if ext not in EXTENSIONS or (scope == "referentiel" and ext != "csv"):
            raise FileRejected(f"{relative} : extension « {m['ext']} » non acceptée")
        month = int(m.groupdict().get("month") or 1)
        if not 1 <= month <= 12:
            raise FileRejected(f"{relative} : le mois {m['year']}-{m['month']} n'existe pas")
        if scope != "referentiel":
            # a monthly file describes a month that has begun, since 1990 (the earliest date accepted)
            reference, today = date(int(m["year"]), month, 1), date.today()
            if reference > today.replace(day=1):
                raise FileRejected(f"{relative} : le mois {m['year']}-{m['month']} n'est pas encore commencé")
            if reference < MIN_MONTH:
                raise FileRejected(f"{relative} : le mois {m['year']}-{m['month']} est antérieur à 1990")
        producer = "referentiel" if scope == "referentiel" else m["producer"].strip().upper()
        if scope == "departement" and producer not in communes.departement_codes():
            raise FileRejected(f"{relative} : « {m['producer']} » n'est pas un code de département")
        return LandedFile(path, relative, m["kind"].lower(), producer.lower() if scope is None else producer,
                          date(int(m["year"]), month, 1), ext)
    raise FileRejected(f"{relative} : chemin non prévu par le contrat des sources")


def scan(landing: Path) -> list[Path]:
    """Every regular file of the landing folder, in a stable order (hidden files skipped)."""
    return sorted(p for p in landing.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(landing).parts))
