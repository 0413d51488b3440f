"""All of socle's Dagster definitions: `dagster dev -m orchestration.definitions`."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.caf import assets as caf
from orchestration.defs.departements import assets as departements
from orchestration.defs.france_travail import assets as france_travail
from orchestration.defs.landing import ledger
from orchestration.defs.landing.sensors import build_sensor
from orchestration.defs.publication import assets as publication
from orchestration.defs.publication.schedules import opendata_job, opendata_schedule
from orchestration.defs.referentiels import assets as referentiels
from orchestration.defs.warehouse import assets as warehouse
from orchestration.defs.warehouse.jobs import entrepot_job, ingestion_job
from orchestration.defs.warehouse.sensors import build_mois_sensor
from orchestration.resources import dbt_resource, socle

ASSET_MODULES = [caf, france_travail, departements, referentiels, ledger, warehouse, publication]

defs = dg.Definitions(
    assets=dg.load_assets_from_modules(ASSET_MODULES),
    asset_checks=dg.load_asset_checks_from_modules([ledger]),
    jobs=[ingestion_job, entrepot_job, opendata_job],
    schedules=[opendata_schedule],
    sensors=[build_sensor(ingestion_job), build_mois_sensor(ingestion_job, entrepot_job)],
    resources={"socle": socle, "dbt": dbt_resource()},
    executor=dg.in_process_executor,
)
