"""A small generated landing folder and a Dagster instance under a tmp SOCLE_HOME."""

from __future__ import annotations

import shutil

import pytest

from synthetic import generate


@pytest.fixture(scope="session")
def small_landing(tmp_path_factory):
    out = tmp_path_factory.mktemp("landing_small")
    generate(out, departements=["35", "13"], debut="2024-01", fin="2024-06", seed=7, scale=0.004,
             mess=False, bassins=None)
    return out


@pytest.fixture
def pipeline_env(tmp_path, monkeypatch, small_landing):
    from socle.settings import get_settings

    landing = tmp_path / "landing"
    shutil.copytree(small_landing, landing)
    monkeypatch.setenv("SOCLE_LANDING_DIR", str(landing))
    monkeypatch.setenv("SOCLE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SOCLE_PSEUDO_KEY", "test-key")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home" / "dagster"))
    return get_settings()
