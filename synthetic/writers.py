"""Serialise a typed frame as a producer would: clean CSV, Windows CSV, xlsx or parquet.

Every writer is deterministic (no timestamps of "now" inside the files);
modification times are set by the caller from the manifest.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl
import xlsxwriter

from .schema import Kind

FIXED_CREATED = dt.datetime(2024, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Format:
    """How a file is written (recorded in the manifest)."""

    extension: str = "csv"  # csv, xlsx, parquet
    encoding: str | None = "utf-8"
    delimiter: str | None = ","
    date_format: str | None = "YYYY-MM-DD"
    booleans: str | None = "true/false"
    line_terminator: str | None = "\n"
    header: dict[str, str] = field(default_factory=dict)  # contract name -> name written

    def to_json(self) -> dict:
        d = asdict(self)
        d["header"] = dict(self.header)
        return d


CLEAN = Format()
XLSX = Format(extension="xlsx", encoding=None, delimiter=None, date_format="excel date",
              booleans="excel boolean", line_terminator=None)
PARQUET = Format(extension="parquet", encoding=None, delimiter=None, date_format="date32", booleans="boolean",
                 line_terminator=None)

# A Windows producer: cp1252, ';', DD/MM/YYYY, oui/non, CRLF, header names retyped by hand.
WINDOWS_HEADER = {
    "id_rsa": "ID_RSA",
    "id_ft": "Id_FT",
    "date_ouverture_droit": "Date_Ouverture_Droit",
    "date_reception_notification": "Date_Réception_Notification",
    "date_entree_dispositif": "Date_Entrée_Dispositif",
    "date_rdv_orientation": "date_rdv_orientation",
    "date_orientation": " Date_Orientation ",
    "organisme_referent": "Organisme_Référent",
    "type_parcours": "Type_Parcours",
    "accompagnement_global": "Accompagnement_Global",
    "freins": "Freins",
    "date_signature_contrat": "Date_Signature_Contrat",
    "date_premier_rdv_accompagnement": "date_premier_RDV_accompagnement",
}
WINDOWS = Format(extension="csv", encoding="cp1252", delimiter=";", date_format="DD/MM/YYYY",
                 booleans="oui/non", line_terminator="\r\n", header=WINDOWS_HEADER)

_PY_DATE = {"YYYY-MM-DD": "%Y-%m-%d", "DD/MM/YYYY": "%d/%m/%Y"}
_BOOLS = {"true/false": ("true", "false"), "oui/non": ("oui", "non"), "0/1": ("1", "0")}


def csv_text(df: pl.DataFrame, kind: Kind, fmt: Format) -> str:
    out = df
    if fmt.booleans != "true/false":
        yes, no = _BOOLS[fmt.booleans]
        out = out.with_columns([
            pl.when(pl.col(c)).then(pl.lit(yes)).when(~pl.col(c)).then(pl.lit(no)).alias(c)
            for c in kind.booleans
        ])
    if fmt.header:
        out = out.rename({c: fmt.header.get(c, c) for c in out.columns})
    return out.write_csv(separator=fmt.delimiter, line_terminator=fmt.line_terminator,
                         date_format=_PY_DATE[fmt.date_format])


def write_csv_text(path: Path, text: str, fmt: Format) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(fmt.encoding))


def write_xlsx(path: Path, df: pl.DataFrame, kind: Kind) -> None:
    """One sheet, header on row 1, real date cells, numbers as numbers, identifiers as text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True})
    wb.set_properties({"created": FIXED_CREATED, "author": "", "title": ""})
    ws = wb.add_worksheet("export")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, kind.columns)
    for j, col in enumerate(kind.columns):
        values = df[col].to_list()
        if col in kind.dates:
            for i, v in enumerate(values, start=1):
                if v is not None:
                    ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), date_fmt)
        elif col in kind.decimals or col in kind.integers:
            for i, v in enumerate(values, start=1):
                if v is not None:
                    ws.write_number(i, j, v)
        elif col in kind.booleans:
            for i, v in enumerate(values, start=1):
                if v is not None:
                    ws.write_boolean(i, j, v)
        else:
            for i, v in enumerate(values, start=1):
                if v is not None:
                    ws.write_string(i, j, v)
    wb.close()


def write_parquet(path: Path, df: pl.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    df.write_parquet(buf, compression="zstd", statistics=True)
    path.write_bytes(buf.getvalue())


def set_mtime(path: Path, epoch_seconds: int) -> None:
    os.utime(path, (epoch_seconds, epoch_seconds))
