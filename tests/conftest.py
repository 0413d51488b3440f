"""Shared fixtures: an isolated SOCLE_HOME and landing folder per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
REFERENCE = SHARED / "reference"


@pytest.fixture
def socle_env(tmp_path, monkeypatch):
    """A fresh landing folder and home; returns the Settings."""
    from socle.settings import get_settings

    landing, home = tmp_path / "landing", tmp_path / "home"
    landing.mkdir()
    monkeypatch.setenv("SOCLE_LANDING_DIR", str(landing))
    monkeypatch.setenv("SOCLE_HOME", str(home))
    monkeypatch.setenv("SOCLE_PSEUDO_KEY", "test-key")
    return get_settings()


def write(landing: Path, relative: str, text: str, encoding: str = "utf-8", mtime: float | None = None) -> Path:
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def requires_reference(name: str) -> Path:
    path = REFERENCE / name
    if not path.exists():
        pytest.skip(f"{path} absent: ../shared/reference is not beside this checkout")
    return path
