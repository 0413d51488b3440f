"""The monthly open-data publication."""

import dagster as dg

opendata_job = dg.define_asset_job(
    "opendata", selection=dg.AssetSelection.keys(dg.AssetKey(["publication", "opendata"])),
    description="Export open data depuis l'instantané courant (masqué, contrôlé, daté).")

opendata_schedule = dg.ScheduleDefinition(
    name="opendata_mensuel", job=opendata_job, cron_schedule="0 6 5 * *", execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Le 5 de chaque mois à 6 h : publication open data de l'instantané courant.")
