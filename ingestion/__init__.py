"""Ingestion: read, validate, pseudonymise and record every landed extract."""
