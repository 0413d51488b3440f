"""Neutralising text cells of every CSV the project writes (CSV injection, issue 16 finding 6).

A spreadsheet opening a CSV runs a cell that starts with `=`, `+`, `-` or `@` (and, in some
versions, a tab or a carriage return followed by one) as a formula: a bassin label
`=HYPERLINK("http://…","clic")` taken from a referential would become a live link in the
reader's spreadsheet. Following OWASP, such a cell is prefixed with a single quote `'`, which
spreadsheets show as text and which leaves the rest of the cell as it was.

Only text columns are neutralised: numeric columns (a negative delay, say) are numbers, never
formulas, and keep their sign. Neutralising twice changes nothing (a cell starting with `'` is
left alone). The one place that decides: the open-data writer (`publication.opendata`) and the
dashboards' downloads (`dashboards.exports`, the quality page) all go through it.
"""

from __future__ import annotations

import polars as pl

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"
_PATTERN = "^[" + "".join("\\" + c if c in "-+" else c for c in TRIGGERS) + "]"
BOM = b"\xef\xbb\xbf"


def neutralise_text(value: str | None) -> str | None:
    """One cell: prefixed with `'` when it starts with a formula trigger."""
    if value is not None and value.startswith(TRIGGERS):
        return PREFIX + value
    return value


def text_columns(df: pl.DataFrame) -> list[str]:
    return [c for c, t in df.schema.items() if t in (pl.String, pl.Categorical) or isinstance(t, pl.Enum)]


def neutralise(df: pl.DataFrame, columns: list[str] | None = None) -> pl.DataFrame:
    """The frame with every text cell (of `columns`, default: every text column) neutralised."""
    cols = text_columns(df) if columns is None else columns
    if not cols:
        return df
    return df.with_columns(
        pl.when(pl.col(c).cast(pl.String).str.contains(_PATTERN))
        .then(pl.lit(PREFIX) + pl.col(c).cast(pl.String))
        .otherwise(pl.col(c).cast(pl.String)).alias(c)
        for c in cols)


def spreadsheet_csv(df: pl.DataFrame, numbers: tuple[str, ...] = ()) -> bytes:
    """A download for spreadsheets: UTF-8 with a byte-order mark (accents right), comma-separated,
    text cells neutralised, except the columns of `numbers`: numbers already written as text
    (socle.rounding.round_text_column), which keep their sign."""
    return BOM + neutralise(df, [c for c in text_columns(df) if c not in numbers]).write_csv().encode("utf-8")
