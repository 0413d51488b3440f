from orchestration.defs.landing.factory import ingestion_asset

raw_inscriptions = ingestion_asset(
    "inscriptions", "france_travail",
    "Inscriptions à France Travail, `ft/inscriptions_YYYY-MM` : lues, validées, pseudonymisées.")
raw_reprises_emploi = ingestion_asset(
    "reprises_emploi", "france_travail",
    "Reprises d'emploi (DPAE/DSN), `ft/reprises_emploi_YYYY-MM` : lues, validées, pseudonymisées.")
