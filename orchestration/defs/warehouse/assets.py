"""The dbt project as assets: `dbt build`, so dbt tests surface as asset checks."""


import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration import mois_a_recalculer
from orchestration.dbt_project import socle_dbt

class SocleTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str:
        return "entrepot"


translator = SocleTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=socle_dbt.manifest_path, project=socle_dbt, dagster_dbt_translator=translator,
            required_resource_keys={"socle", "dbt"})
def socle_dbt_assets(context: dg.AssetExecutionContext):
    """Staging, intermediate, indicator models (ind_*) and marts of the warehouse, built and tested by `dbt build`."""
    dbt: DbtCliResource = context.resources.dbt
    # One target folder under $SOCLE_HOME (one run at a time), not a new folder per run.
    target = context.resources.socle.home / "dbt" / "target"
    settings = context.resources.socle
    args = dbt_build_args(settings, context.log)
    yield from dbt.cli(args, context=context, target_path=target).stream()
    mois_a_recalculer.memoriser(settings)  # only reached when dbt build succeeded


def dbt_build_args(settings, log=None) -> list[str]:
    """`dbt build` with the window of months to recompute (docs/incremental.md): `--full-refresh`
    when asked (--tout-recalculer) or when everything must be rebuilt; no changed delivery: an
    empty window (the incremental models keep their rows, the others are rebuilt)."""
    window = mois_a_recalculer.fenetre(settings)
    if log is not None:
        log.info(mois_a_recalculer.decrire(window))
    if settings.full_recompute or (window is not None and window.tout):
        return ["build", "--full-refresh"]
    variables = mois_a_recalculer.dbt_vars(window) or mois_a_recalculer.FENETRE_VIDE
    return ["build", "--vars", json.dumps(variables)]
