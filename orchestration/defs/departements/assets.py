from orchestration.defs.landing.factory import ingestion_asset

raw_orientations = ingestion_asset(
    "orientations", "departements",
    "Orientations de chaque département, `departements/<dep>/orientations_YYYY-MM`.")
raw_accompagnements = ingestion_asset(
    "accompagnements", "departements",
    "Accompagnements : fichiers des départements (`departements/<dep>/accompagnements_YYYY-MM`) "
    "et de France Travail (`ft/accompagnements_YYYY-MM`), même schéma, une seule table brute.")
