"""Dagster definitions of socle, grouped by source (as in dagster-open-platform)."""
