"""Keyed pseudonyms (privacy.md): HMAC-SHA-256 of the normalised identifier.

The key comes from `SOCLE_PSEUDO_KEY` (read by `socle.settings`), else from `$SOCLE_HOME/pseudo.key`,
created on first use (random, readable by its owner only). Distinct values
are hashed once per column, so a national file costs one HMAC per person.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import duckdb
import polars as pl

from socle.settings import get_settings


def load_key(key_file: Path) -> bytes:
    configured = get_settings().pseudo_key
    if configured:
        return configured.encode("utf-8")
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return key_file.read_text().strip().encode("utf-8")


class Pseudonymiser:
    """HMAC-SHA-256 = H((K xor opad) || H((K xor ipad) || m)), vectorised with DuckDB's sha256."""

    def __init__(self, key: bytes):
        self._key = key
        block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
        self._ipad = bytes(b ^ 0x36 for b in block)
        self._opad = bytes(b ^ 0x5C for b in block)
        self._con = duckdb.connect()

    def one(self, value: str) -> str:
        return hmac.digest(self._key, value.strip().upper().encode("utf-8"), "sha256").hex()

    def exact(self, value: str) -> str:
        """The keyed hash of a text exactly as it is (no trimming, no case folding: two file names
        that differ by case are two files); a name that is not valid UTF-8 (`surrogateescape`)
        is hashed from its bytes."""
        return hmac.digest(self._key, value.encode("utf-8", "surrogateescape"), "sha256").hex()

    def series(self, values: pl.Series) -> pl.Series:
        """Pseudonymise a string series (already trimmed and upper-cased); nulls stay null."""
        return self.columns(values.to_frame()).to_series()

    def columns(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Pseudonymise every (string) column of `frame` in one query; nulls stay null."""
        if not frame.width:
            return frame
        values = frame.rename({c: f"v{i}" for i, c in enumerate(frame.columns)})  # noqa: F841 - scanned below
        hashed = ", ".join(f"sha256($opad::blob || unhex(sha256($ipad::blob || encode(v{i})))) as h{i}"
                           for i in range(frame.width))
        out = self._con.sql(f"select {hashed} from values", params={"opad": self._opad, "ipad": self._ipad}).pl()
        return out.rename({f"h{i}": c for i, c in enumerate(frame.columns)})
