"""Fixtures of the dashboard tests: a hand-made snapshot under a fresh SOCLE_HOME, and the app."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from fabrique_instantane import Instantane, build


@pytest.fixture(autouse=True)
def _caches_vides():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("SOCLE_HOME", str(home))
    monkeypatch.setenv("SOCLE_LANDING_DIR", str(tmp_path / "landing"))
    return home


@pytest.fixture
def instantane(home) -> Instantane:
    """Bretagne and Corse, 18 months; Haute-Corse (2B) small enough for its new entrants to be secret."""
    return build(home, petits={"2B": 0.01, "2A": 0.2})
