"""No call home from a run: dagster-dbt's `dbt --version` (which asks pypi.org for the latest
versions) is replaced by the installed version."""

from __future__ import annotations

import subprocess


def test_the_dbt_resource_learns_dbt_version_without_running_dbt(monkeypatch):
    from orchestration.resources import dbt_resource

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"subprocess run: {args}")

    monkeypatch.setattr(subprocess, "check_output", no_subprocess)
    import dagster_dbt.core.resource as resource_module

    monkeypatch.setattr(resource_module, "check_output", no_subprocess, raising=False)
    from dbt.version import __version__

    assert str(dbt_resource()._cli_version) == __version__
