"""A sensor on the landing folder: an ingestion run when a file lands or is re-sent."""

from __future__ import annotations

import hashlib

import dagster as dg

from ingestion.paths import scan
from orchestration.orphans import close_orphaned_runs_if_idle
from socle.settings import get_settings


def landing_fingerprint() -> str:
    """Changes when any entry of the landing folder appears, disappears or changes (name, size, time;
    `lstat`: a symbolic link's target is never examined)."""
    landing = get_settings().landing_dir
    h = hashlib.sha256()
    for path in scan(landing) if landing.exists() else []:
        try:
            st = path.lstat()
        except OSError:  # gone since the scan (its error would quote its path in the tick's record)
            continue
        h.update(f"{path.relative_to(landing).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def build_sensor(job: dg.UnresolvedAssetJobDefinition) -> dg.SensorDefinition:
    @dg.sensor(job=job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
               description="Surveille $SOCLE_LANDING_DIR et lance l'ingestion de ce qui est nouveau ou renvoyé "
                           "(puis mois_sensor lance l'entrepôt sur les mois touchés).")
    def depot_sensor(context: dg.SensorEvaluationContext):
        for run_id in close_orphaned_runs_if_idle(context.instance, get_settings()):
            context.log.warning("run %s interrompu sans fin enregistrée : marqué en échec", run_id)
        fingerprint = landing_fingerprint()
        if fingerprint == context.cursor:
            return dg.SkipReason("rien de nouveau dans le dossier de dépôt")
        context.update_cursor(fingerprint)
        return dg.RunRequest(run_key=fingerprint)

    return depot_sensor
