"""The dbt project as assets: `dbt build`, so dbt tests surface as asset checks."""


from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

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
    yield from dbt.cli(["build"], context=context, target_path=target).stream()
