"""Run the whole pipeline in process (no server): what `make run` does."""

from __future__ import annotations

from dataclasses import dataclass, field

import dagster as dg

from orchestration.dagster_home import prepare
from socle.settings import Settings


@dataclass
class PipelineResult:
    """The Dagster runs of one pipeline run (ingestion, then the warehouse on its months), read as
    one: what the progress lines and the failure report need."""

    results: list[dg.ExecuteInProcessResult]
    mois: dg.PartitionKeyRange | None = None  # the warehouse run's months; None: no warehouse run
    motifs: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return all(r.success for r in self.results)

    @property
    def all_events(self) -> list:
        return [e for r in self.results for e in r.all_events]

    @property
    def run_id(self) -> str:
        return self.results[-1].run_id


def _execute(job_name: str, log_level: str, tags: dict | None = None, asset_selection=None
             ) -> dg.ExecuteInProcessResult:
    from orchestration.definitions import defs

    job = defs.resolve_job_def(job_name)
    return job.execute_in_process(
        instance=dg.DagsterInstance.get(), raise_on_error=False, tags=tags, asset_selection=asset_selection,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}})


def run_warehouse(settings: Settings, keys: dg.PartitionKeyRange, log_level: str = "WARNING",
                  tout_recalculer: bool = False) -> dg.ExecuteInProcessResult:
    """The warehouse job (dbt build, snapshot, analyst files) on a range of months, in one run: what
    `python -m orchestration recalculer --de … --a …` and a backfill of the Dagster UI do."""
    from orchestration.defs.warehouse import partitions
    from orchestration.defs.warehouse.assets import TOUT_RECALCULER_TAG

    prepare(settings)
    tags = partitions.tags(keys) | ({TOUT_RECALCULER_TAG: "1"} if tout_recalculer else {})
    return _execute("entrepot", log_level, tags=tags)


def run_pipeline(settings: Settings, log_level: str = "WARNING", job_name: str = "pipeline"
                 ) -> PipelineResult | dg.ExecuteInProcessResult:
    """`pipeline`: the ingestion job, then the warehouse job on the months that the ledger says
    changed (every month with `--tout-recalculer`; only the snapshot and analyst files when no month
    changed). Any other job name: that job alone."""
    prepare(settings)
    if job_name != "pipeline":
        return _execute(job_name, log_level)
    from orchestration.defs.warehouse import partitions
    from orchestration.defs.warehouse.jobs import ANALYSTES
    from orchestration.defs.publication.assets import SNAPSHOT
    from orchestration.mois_a_recalculer import fenetre

    ingestion = _execute("ingestion", log_level)
    if not ingestion.success:
        return PipelineResult([ingestion])
    if settings.full_recompute:
        keys, motifs = partitions.tout(), ["tout recalculer (--tout-recalculer)"]
        return PipelineResult([ingestion, run_warehouse(settings, keys, log_level, tout_recalculer=True)], keys, motifs)
    window = fenetre(settings)
    if window is None:  # no month changed: the publication only (same figures)
        return PipelineResult([ingestion, _execute("entrepot", log_level, asset_selection=[SNAPSHOT, ANALYSTES])])
    keys = partitions.plage(window.debut, window.fin)
    return PipelineResult([ingestion, run_warehouse(settings, keys, log_level)], keys, list(window.motifs))


DBT_LAYERS = ("staging", "intermediate", "indicateurs", "marts", "seeds")
AGAIN = "puis relancer `python -m orchestration run`"


def _error_text(event) -> str | None:
    error = getattr(event.event_specific_data, "error", None)
    seen = []
    while error is not None:
        seen.append(error)
        error = error.cause
    def text(err) -> str:  # Dagster prefixes the message with the exception's qualified name
        message = err.message.strip()
        head, sep, rest = message.partition(": ")
        return rest if sep and head.rsplit(".", 1)[-1] == err.cls_name else message

    for err in reversed(seen):  # the root cause speaks best (a PublicationRefusee wrapped by Dagster)
        if err.cls_name in ("PublicationRefusee", "SnapshotMissing", "ValueError"):
            return text(err)
    return text(seen[-1]) if seen else None


def failure_report(result: dg.ExecuteInProcessResult) -> list[str]:
    """What failed, in French, for a person: which check, on which file when one is named, and what
    to do. Empty when the run succeeded."""
    if result.success:
        return []
    lines: list[str] = []
    for event in result.all_events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        data = event.asset_check_evaluation_data
        if data.passed or data.severity != dg.AssetCheckSeverity.ERROR:
            continue
        asset = "/".join(data.asset_key.path)
        meta = {k: getattr(v, "value", v) for k, v in (data.metadata or {}).items()}
        detail = meta.get("detail") or meta.get("fichier") or ""
        if data.asset_key.path[0] in DBT_LAYERS:
            lines.append(
                f"Contrôle bloquant « {data.check_name} » en échec sur la table {asset}"
                + (f" ({detail})" if detail else "")
                + f". Ce test de l'entrepôt porte sur toutes les livraisons : aucun chiffre n'a été publié. "
                f"À faire : repérer la livraison en cause (page « Qualité des données », registre "
                f"raw.livraisons et raw.quarantaine), faire corriger et redéposer le fichier, {AGAIN}.")
        else:
            lines.append(f"Contrôle bloquant « {data.check_name} » en échec sur {asset}"
                         + (f" : {detail}" if detail else "") + f". À faire : corriger le fichier nommé et le "
                         f"redéposer, {AGAIN}.")
    for event in result.all_events:
        if not event.is_step_failure:
            continue
        step = event.step_key or "?"
        text = _error_text(event) or "erreur sans message"
        if "blocking asset check" in text:  # already said, check by check, above
            continue
        if "publication refusée" in text:
            lines.append(
                f"L'open data n'a pas été publié (étape {step}) : {text}\nÀ faire : lire les contrôles en échec "
                "ci-dessus (une case secrète visible, un écart au schéma, un territoire ou un mois attendu "
                "manquant) ; s'ils viennent d'un fichier déposé, le faire corriger et le redéposer, "
                f"{AGAIN}. La publication précédente (latest) reste en place.")
        else:
            lines.append(f"Étape {step} en échec : {text.splitlines()[0][:500]}. À faire : corriger la cause "
                         f"indiquée (le détail est dans le journal du run), {AGAIN}.")
    skipped = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    if skipped and lines:
        lines.append("Étapes non exécutées à cause de cet échec : " + ", ".join(sorted(set(skipped))) + ".")
    return lines or ["Le run a échoué sans contrôle ni étape en échec identifiés : voir le journal Dagster."]
