from orchestration.defs.landing.factory import ingestion_asset

raw_bassins = ingestion_asset(
    "bassins", "referentiels",
    "Référentiel des bassins (périmètres des CLPE), `referentiels/bassins_YYYY.csv`, un par année.")
