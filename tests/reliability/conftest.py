"""Reliability tests (issue #9). The pipeline runs of test_runs.py start with the first test of
this folder, in two background lanes (one per core), so that they overlap the other tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def lanes(tmp_path_factory):
    from pipeline_runs import Lanes, stop_all

    yield Lanes(tmp_path_factory.mktemp("fiabilite"))
    stop_all()  # a session ended early leaves no run behind


@pytest.fixture(scope="session", autouse=True)
def _lanes_start_early(request):
    if any("lanes" in getattr(item, "fixturenames", ()) for item in request.session.items):
        request.getfixturevalue("lanes")
