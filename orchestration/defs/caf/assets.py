from orchestration.defs.landing.factory import ingestion_asset

raw_rsa = ingestion_asset(
    "rsa", "caf",
    "Stock mensuel des droits RSA (CAF et MSA), `caf/rsa_YYYY-MM` : lu, validé, pseudonymisé, "
    "écrit dans le lac et consigné dans le registre des livraisons.")
