"""Keyed pseudonyms (privacy.md): HMAC-SHA-256 of the normalised identifier.

The key comes from `SOCLE_PSEUDO_KEY`, else from `$SOCLE_HOME/pseudo.key`,
created on first use (random, readable by its owner only). Distinct values
are hashed once per column, so a national file costs one HMAC per person.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import polars as pl


def load_key(key_file: Path) -> bytes:
    env = os.environ.get("SOCLE_PSEUDO_KEY")
    if env:
        return env.encode("utf-8")
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return key_file.read_text().strip().encode("utf-8")


class Pseudonymiser:
    def __init__(self, key: bytes):
        self._key = key

    def one(self, value: str) -> str:
        return hmac.new(self._key, value.strip().upper().encode("utf-8"), hashlib.sha256).hexdigest()

    def series(self, values: pl.Series) -> pl.Series:
        """Pseudonymise a string series (already normalised); nulls stay null."""
        distinct = values.drop_nulls().unique()
        mapping = {v: self.one(v) for v in distinct.to_list()}
        return values.replace_strict(mapping, default=None, return_dtype=pl.String)
