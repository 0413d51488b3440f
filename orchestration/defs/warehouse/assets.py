"""The dbt project as assets: `dbt build`, so dbt tests surface as asset checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt_project import socle_dbt

# The ledger's two tables are one asset on the Dagster side.
_SOURCE_KEYS = {"quarantaine": "livraisons"}


class SocleTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            name = dbt_resource_props["name"]
            return dg.AssetKey(["raw", _SOURCE_KEYS.get(name, name)])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str:
        return "entrepot"


translator = SocleTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=socle_dbt.manifest_path, project=socle_dbt, dagster_dbt_translator=translator,
            required_resource_keys={"socle"})
def socle_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Staging, intermediate and marts of the warehouse, built and tested by `dbt build`."""
    yield from dbt.cli(["build"], context=context).stream()
