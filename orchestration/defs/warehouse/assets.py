"""The dbt project as assets: `dbt build`, so dbt tests surface as asset checks. Partitioned by
month: a run on a range of months is one `dbt build --vars {mois_debut, mois_fin}`."""


import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration import mois_a_recalculer
from orchestration.dbt_project import socle_dbt
from orchestration.defs.warehouse import partitions

# The data's build: models, seeds and data tests. dbt's unit tests check the models' code on rows
# written by hand, not the data: they run with the project's tests (tests/indicators/test_dbt.py),
# not at every run.
BUILD = ["build", "--exclude-resource-type", "unit_test"]
# Run tag asking for `dbt build --full-refresh` (`python -m orchestration run --tout-recalculer`).
TOUT_RECALCULER_TAG = "socle/tout_recalculer"


class SocleTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str:
        return "entrepot"


translator = SocleTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=socle_dbt.manifest_path, project=socle_dbt, dagster_dbt_translator=translator,
            required_resource_keys={"socle", "dbt"}, partitions_def=partitions.MOIS,
            backfill_policy=dg.BackfillPolicy.single_run())
def socle_dbt_assets(context: dg.AssetExecutionContext):
    """Staging, intermediate, indicator models (ind_*) and marts of the warehouse, built and tested by
    `dbt build` on the run's months (one partition per month; a range is one build)."""
    dbt: DbtCliResource = context.resources.dbt
    settings = context.resources.socle
    # One target folder under $SOCLE_HOME (one run at a time), not a new folder per run.
    target = settings.home / "dbt" / "target"
    keys = mois_du_run(context)
    args = dbt_build_args(settings, keys, full=tout_recalculer(context, settings), log=context.log)
    yield from dbt.cli(args, context=context, target_path=target).stream()
    memoriser_si_couvert(context, settings)  # only reached when dbt build succeeded


def mois_du_run(context: dg.AssetExecutionContext) -> dg.PartitionKeyRange:
    return context.partition_key_range


def tout_recalculer(context: dg.AssetExecutionContext, settings) -> bool:
    """`--tout-recalculer`: the run's tag (set by `python -m orchestration run --tout-recalculer`) or
    the setting SOCLE_TOUT_RECALCULER."""
    return context.run.tags.get(TOUT_RECALCULER_TAG) == "1" or settings.full_recompute


def dbt_build_args(settings, keys: dg.PartitionKeyRange | None = None, full: bool = False, log=None) -> list[str]:
    """`dbt build` on the months to recompute (docs/incremental.md):
    - `--full-refresh` when asked (--tout-recalculer) or when the ledger says everything must be
      rebuilt (no build recorded, dbt project or referential changed);
    - the ledger's window (`mois_a_recalculer.fenetre`, with its person-level start) when the run is
      on exactly its months, or when no months are given (no changed delivery: an empty window, the
      incremental models keep their rows);
    - otherwise the run's months as they were asked (a backfill; every partition: no vars, every
      month recomputed)."""
    window = mois_a_recalculer.fenetre(settings)
    if log is not None:
        log.info(mois_a_recalculer.decrire(window))
    if full or settings.full_recompute or (window is not None and window.tout):
        return [*BUILD, "--full-refresh"]
    if keys is None:
        variables = mois_a_recalculer.dbt_vars(window) or mois_a_recalculer.FENETRE_VIDE
    elif window is not None and partitions.plage(window.debut, window.fin) == keys:
        variables = mois_a_recalculer.dbt_vars(window)
    else:
        variables = partitions.dbt_vars(keys)
    return [*BUILD, "--vars", json.dumps(variables)] if variables else BUILD


def memoriser_si_couvert(context: dg.AssetExecutionContext, settings) -> None:
    """After a successful build, record the ledger's deliveries as built, but only when the run's
    months cover every month that they change (a backfill of a few months records nothing: the
    months it left out would otherwise never be rebuilt)."""
    keys = mois_du_run(context)
    pending = mois_a_recalculer.fenetre(settings)
    full = tout_recalculer(context, settings) or keys == partitions.tout()
    if pending is None or full or pending.tout or (keys.start <= partitions.cle(pending.debut)
                                                   and partitions.cle(pending.fin) <= keys.end):
        mois_a_recalculer.memoriser(settings)
    else:
        context.log.warning(
            "Mois %s → %s recalculés ; les livraisons changées touchent %s → %s : elles restent à "
            "recalculer au prochain run.", keys.start, keys.end, partitions.cle(pending.debut),
            partitions.cle(pending.fin))
