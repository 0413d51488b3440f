"""Ingestion of the landing folder: one asset per file kind, the ledger, the sensor."""
