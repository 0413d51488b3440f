"""One French line per step of a run, read from the ledger, dbt's run results and Dagster's events."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from orchestration.run import DBT_LAYERS


def _s(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n <= 1 else (plural or word + 's')}"


def delivery_ids(con) -> set[str]:
    """Every delivery of the ledger (an empty set before the first run)."""
    exists = con.execute("select count(*) from information_schema.tables "
                         "where table_schema = 'raw' and table_name = 'livraisons'").fetchone()[0]
    return {r[0] for r in con.execute("select id_livraison from raw.livraisons").fetchall()} if exists else set()


def ingestion_line(con, before: set[str]) -> str:
    """The files this run landed (ledger rows absent before it)."""
    rows = [r for r in con.execute(
        "select id_livraison, statut, coalesce(lignes_quarantaine, 0) from raw.livraisons").fetchall()
        if r[0] not in before]
    accepted = sum(1 for _, statut, _ in rows if statut == "acceptee")
    rejected = sum(1 for _, statut, _ in rows if statut == "rejetee")
    quarantined = sum(q for _, statut, q in rows if statut == "acceptee")
    return (f"Ingestion : {_s(len(rows), 'fichier déposé', 'fichiers déposés')}, "
            f"{_s(accepted, 'accepté')}, {_s(rejected, 'rejeté')}, "
            f"{_s(quarantined, 'ligne', 'lignes')} en quarantaine")


def transformation_line(run_results: Path, since: float) -> str:
    """What `dbt build` did, from its run_results.json (when this run wrote it)."""
    if not run_results.exists() or run_results.stat().st_mtime < since:
        return "Transformation : dbt n'a pas été exécuté"
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    count = lambda kind, status: sum(1 for r in results  # noqa: E731
                                     if r["unique_id"].split(".")[0] == kind and r["status"] == status)
    failed = sum(1 for r in results if r["status"] in ("error", "fail"))
    line = (f"Transformation : {_s(count('model', 'success'), 'modèle dbt construit', 'modèles dbt construits')}, "
            f"{_s(count('seed', 'success'), 'référentiel chargé', 'référentiels chargés')}, "
            f"{_s(count('test', 'pass'), 'test passé', 'tests passés')}")
    units = count("unit_test", "pass")
    if units:
        line += f", {_s(units, 'test unitaire passé', 'tests unitaires passés')}"
    warned = count("test", "warn")
    if warned:
        line += f", {_s(warned, 'test en avertissement', 'tests en avertissement')}"
    return line + (f", {_s(failed, 'échec')}" if failed else "")


def checks_line(result: dg.ExecuteInProcessResult) -> str:
    """The asset checks of the pipeline outside dbt (the ledger's, the publication's)."""
    passed = warned = failed = 0
    for event in result.all_events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        data = event.asset_check_evaluation_data
        if data.asset_key.path[0] in DBT_LAYERS:
            continue
        if data.passed:
            passed += 1
        elif data.severity == dg.AssetCheckSeverity.WARN:
            warned += 1
        else:
            failed += 1
    line = f"Contrôles : {_s(passed, 'contrôle passé', 'contrôles passés')}, {_s(warned, 'avertissement')}"
    return line + (f", {_s(failed, 'contrôle bloquant', 'contrôles bloquants')} en échec" if failed else "")


def publication_line(snapshot: Path | None, opendata: Path | None, snapshot_before: Path | None = None,
                     opendata_before: Path | None = None) -> str:
    """The snapshot and open data published by the run, or kept when their content did not change."""
    if snapshot is None:
        snap = "aucun instantané publié"
    elif snapshot == snapshot_before:
        snap = f"instantané {snapshot.name} inchangé (mêmes tables)"
    else:
        snap = f"instantané {snapshot.name}"
    if opendata is None:
        data = "open data non publié (le précédent reste en place)"
    elif opendata_before is not None and opendata.resolve() == opendata_before.resolve():
        data = f"open data {opendata} inchangé (aucun chiffre ne change : rien de nouveau publié)"
    else:
        data = f"open data {opendata}"
    return f"Publication : {snap}, {data}"


def months_text(keys: dg.PartitionKeyRange | None, warehouse_ran: bool) -> str:
    """What the transformation line adds: the months rebuilt, or that none changed."""
    if keys is not None:
        return f" ; mois recalculés : {keys.start} à {keys.end}"
    return " ; aucun mois recalculé (aucune livraison nouvelle ou renvoyée)" if warehouse_ran else ""
