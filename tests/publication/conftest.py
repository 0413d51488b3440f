from __future__ import annotations

from datetime import date

import pytest

from publication_fixture import make_snapshot
from socle.settings import Settings

DAY = date(2024, 3, 5)


@pytest.fixture
def snapshot(socle_env):
    """socle_env with a current hand-made snapshot; returns the Settings."""
    make_snapshot(socle_env)
    return socle_env


def _home(tmp_path_factory, name: str) -> Settings:
    root = tmp_path_factory.mktemp(name)
    (root / "landing").mkdir()
    return Settings(landing_dir=root / "landing", home=root / "home")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One open-data export of the hand-made snapshot, shared by the read-only tests of a module."""
    from publication import export_opendata

    settings = _home(tmp_path_factory, "publie")
    make_snapshot(settings)
    return settings, export_opendata(settings, DAY)


@pytest.fixture(scope="module")
def analyst_files(tmp_path_factory):
    """The analyst files of the hand-made snapshot, person-level facts included."""
    from publication import build_analyst_files

    settings = _home(tmp_path_factory, "analystes")
    make_snapshot(settings, personnes=True)
    return settings, build_analyst_files(settings)
