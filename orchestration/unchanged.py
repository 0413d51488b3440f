"""Whether a run has anything to do: same deliveries, same code and seeds, same settings as the last
successful run, and its publications still in place. Then the run is skipped: nothing could change."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from orchestration.defs.landing.sensors import landing_fingerprint
from publication.opendata import latest_publication
from socle import snapshot
from socle.settings import DBT_PROJECT_DIR, PROJECT_DIR, Settings

CODE = [PROJECT_DIR / p for p in ("ingestion", "orchestration", "publication", "socle", "synthetic")]
DBT = [DBT_PROJECT_DIR / p for p in ("models", "seeds", "macros", "tests", "snapshots", "analyses")]
DBT_FILES = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml",
             DBT_PROJECT_DIR / "packages.yml"]


def _code_files() -> list[Path]:
    files = [p for root in CODE if root.exists() for p in root.rglob("*.py") if "__pycache__" not in p.parts]
    files += [p for root in DBT if root.exists() for p in root.rglob("*") if p.is_file()]
    return sorted([*files, *(p for p in DBT_FILES if p.exists())])


def inputs(settings: Settings) -> str:
    """Read when a run starts: changes with any landed file (name, size, time), any line of code,
    model, seed or macro, and any setting that reaches the published files."""
    h = hashlib.sha256()
    h.update(landing_fingerprint().encode())
    for path in _code_files():
        h.update(path.relative_to(PROJECT_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for value in (str(settings.landing_dir), settings.opendata_producer, settings.opendata_contact or ""):
        h.update(value.encode() + b"\0")
    return h.hexdigest()


def fingerprint(settings: Settings, start_inputs: str) -> str:
    """The inputs read at the start and the pseudonymisation key as it is now (its hash): the first
    run creates the key file, so it enters when the run ends."""
    key = (settings.pseudo_key.encode() if settings.pseudo_key
           else settings.key_file.read_bytes() if settings.key_file.exists() else b"")
    return hashlib.sha256(f"{start_inputs}\0{hashlib.sha256(key).hexdigest()}".encode()).hexdigest()


def _record(settings: Settings) -> Path:
    return settings.home / "dernier_run.json"


def last_unchanged_run(settings: Settings, current: str) -> str | None:
    """When the last successful run had this fingerprint and its snapshot and open data are still
    published: the time it ended (text); else None."""
    path = _record(settings)
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("empreinte") != current:
        return None
    current_snap = snapshot.current_snapshot(settings)
    if current_snap is None or not current_snap.exists() or latest_publication(settings.opendata) is None:
        return None
    return record.get("fin")


def forget(settings: Settings) -> None:
    """A run starts: until it succeeds, the next run must not be skipped (a killed run may leave
    half-built files that only a run clears)."""
    _record(settings).unlink(missing_ok=True)


def remember(settings: Settings, current: str) -> None:
    ended = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    path = _record(settings)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"empreinte": current, "fin": ended}), encoding="utf-8")
    tmp.replace(path)
