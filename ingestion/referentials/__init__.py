"""Territorial referentials: the COG tables derived from Etalab's package."""
