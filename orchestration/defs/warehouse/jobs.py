"""The jobs of a run: ingestion (unpartitioned), then the warehouse and its publication on a range of
months (partitioned)."""

import dagster as dg

from orchestration.defs.publication.assets import SNAPSHOT
from orchestration.defs.warehouse.assets import socle_dbt_assets

INGESTION_GROUPS = ("caf", "france_travail", "departements", "referentiels", "registre")
ANALYSTES = dg.AssetKey(["publication", "analystes"])

ingestion_job = dg.define_asset_job(
    "ingestion", selection=dg.AssetSelection.groups(*INGESTION_GROUPS),
    description="Dépôt → lac et registre des livraisons : lit, valide, pseudonymise chaque fichier nouveau ou "
                "renvoyé ; contrôles du registre.")

entrepot_job = dg.define_asset_job(
    "entrepot", selection=dg.AssetSelection.assets(socle_dbt_assets) | dg.AssetSelection.keys(SNAPSHOT, ANALYSTES),
    description="dbt build des mois choisis (une partition par mois ; une plage = un seul build), contrôles, "
                "puis instantané et fichiers analystes.")
