"""Run the whole pipeline in process (no server): what `make run` does."""

from __future__ import annotations

import dagster as dg

from orchestration.dagster_home import prepare
from socle.settings import Settings


def run_pipeline(settings: Settings, log_level: str = "WARNING", job_name: str = "pipeline"
                 ) -> dg.ExecuteInProcessResult:
    prepare(settings)
    from orchestration.definitions import defs

    job = defs.resolve_job_def(job_name)
    return job.execute_in_process(
        instance=dg.DagsterInstance.get(), raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}})


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
