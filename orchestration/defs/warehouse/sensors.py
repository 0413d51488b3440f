"""After each successful ingestion, a warehouse run on exactly the months that the new or re-sent
deliveries change (the ledger's window), or nothing when none changed."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.warehouse import partitions
from socle.settings import get_settings


def requete_mois(settings, run_key: str | None = None) -> dg.RunRequest | dg.SkipReason:
    """The warehouse run for the ledger's window of months; a SkipReason when nothing changed."""
    from orchestration.mois_a_recalculer import fenetre

    window = fenetre(settings)
    if window is None:
        return dg.SkipReason("aucune livraison nouvelle ou renvoyée depuis le dernier build de l'entrepôt : "
                             "aucun mois à recalculer")
    keys = partitions.plage(window.debut, window.fin)
    return dg.RunRequest(run_key=run_key, tags={**partitions.tags(keys), "socle/motifs": "; ".join(window.motifs)[:200]})


def build_mois_sensor(ingestion: dg.UnresolvedAssetJobDefinition, entrepot: dg.UnresolvedAssetJobDefinition
                      ) -> dg.SensorDefinition:
    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=[ingestion], request_job=entrepot,
                          name="mois_sensor", default_status=dg.DefaultSensorStatus.RUNNING,
                          description="Après chaque ingestion réussie : lance l'entrepôt sur les seuls mois que les "
                                      "livraisons nouvelles ou renvoyées changent (fenêtre du registre).")
    def mois_sensor(context: dg.RunStatusSensorContext):
        return requete_mois(get_settings(), run_key=context.dagster_run.run_id)

    return mois_sensor
