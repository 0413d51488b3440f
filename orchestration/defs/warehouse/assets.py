"""The dbt project as assets: `dbt build`, so dbt tests surface as asset checks. Partitioned by
month: a run on a range of months is one `dbt build --vars {mois_debut, mois_fin}`."""


from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt_project import socle_dbt
from orchestration.defs.warehouse import partitions

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
    yield from dbt.cli(build_args(context, settings), context=context, target_path=target).stream()
    memoriser_si_couvert(context, settings)


def mois_du_run(context: dg.AssetExecutionContext) -> dg.PartitionKeyRange:
    return context.partition_key_range


def tout_recalculer(context: dg.AssetExecutionContext, settings) -> bool:
    return context.run.tags.get(TOUT_RECALCULER_TAG) == "1" or bool(getattr(settings, "tout_recalculer", False))


def build_args(context: dg.AssetExecutionContext, settings) -> list[str]:
    """`build`, the run's months as dbt vars (none when it covers every partition), and
    `--full-refresh` when everything is to be rebuilt."""
    import json

    args = ["build"]
    window = partitions.dbt_vars(mois_du_run(context))
    if window:
        args += ["--vars", json.dumps(window)]
    if tout_recalculer(context, settings):
        args.append("--full-refresh")
    context.log.info("dbt %s (mois %s → %s)", " ".join(args), mois_du_run(context).start, mois_du_run(context).end)
    return args


def memoriser_si_couvert(context: dg.AssetExecutionContext, settings) -> None:
    """After a successful build, record the ledger's deliveries as built, but only when the run's
    months cover every month that they change (a backfill of a few months records nothing: the
    months it left out would otherwise never be rebuilt)."""
    from orchestration.mois_a_recalculer import fenetre, memoriser

    keys = mois_du_run(context)
    pending = fenetre(settings)
    full = tout_recalculer(context, settings) or keys == partitions.tout()
    if pending is None or full or (keys.start <= partitions.cle(pending.debut)
                                   and partitions.cle(pending.fin) <= keys.end):
        memoriser(settings)
    else:
        context.log.warning(
            "Mois %s → %s recalculés ; les livraisons changées touchent %s → %s : elles restent à "
            "recalculer au prochain run.", keys.start, keys.end, partitions.cle(pending.debut),
            partitions.cle(pending.fin))
