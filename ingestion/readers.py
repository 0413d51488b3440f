"""Read a landed file into a frame of strings, whatever its format.

CSV: UTF-8 (with or without BOM) or Windows-1252, `;` or `,`, blank lines
skipped; lines with more or fewer fields than the header are set aside (they
are quarantined, not parsed). `.xlsx` and `.parquet` are read with polars.
Header names are matched case-insensitively, ignoring accents and surrounding
spaces. Every row keeps `ligne`, its line in the file (header = line 1).
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ingestion.errors import FileRejected

LINE = "ligne"


@dataclass
class RawTable:
    frame: pl.DataFrame  # string columns with normalised names, plus `ligne`
    encoding: str | None = None
    delimiter: str | None = None
    bad_lines: list[tuple[int, int]] = field(default_factory=list)  # (line, field count)
    header_width: int = 0


def normalise_header(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(name).strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if b"\x00" in data[:65536]:
        raise FileRejected(f"{name} : fichier illisible (contenu binaire, ce n'est pas un CSV)")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise FileRejected(f"{name} : encodage illisible ({exc.reason})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        raise FileRejected(f"{name} : encodage illisible (ni UTF-8 ni Windows-1252)") from None


def _split_quoted(lines: list[str], delimiter: str) -> list[list[str]]:
    return list(csv.reader(lines, delimiter=delimiter))


def read_csv(path: Path, name: str) -> RawTable:
    text, encoding = _decode(path.read_bytes(), name)
    lines = pl.DataFrame({"text": text.split("\n")}).with_row_index(LINE, offset=1).with_columns(
        pl.col("text").str.strip_suffix("\r"), pl.col(LINE).cast(pl.Int64))
    lines = lines.filter(pl.col("text").str.strip_chars() != "")
    if lines.is_empty():
        raise FileRejected(f"{name} : fichier vide (pas même une ligne d'en-tête)")
    header_line = lines["text"][0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    header = [normalise_header(h) for h in _split_quoted([header_line], delimiter)[0]]
    body = lines.slice(1)
    width = len(header)
    if body["text"].str.contains('"', literal=True).any():
        fields = pl.Series("fields", _split_quoted(body["text"].to_list(), delimiter),
                           dtype=pl.List(pl.String))
    else:
        fields = body["text"].str.split(delimiter).alias("fields")
    body = body.with_columns(fields).with_columns(n=pl.col("fields").list.len())
    bad = body.filter(pl.col("n") != width)
    good = body.filter(pl.col("n") == width)
    frame = good.select(
        pl.col(LINE), *[pl.col("fields").list.get(i).alias(f"__{i}") for i in range(width)])
    frame = _rename(frame, header, name)
    return RawTable(frame, encoding, delimiter, list(zip(bad[LINE], bad["n"])), width)


def _rename(frame: pl.DataFrame, header: list[str], name: str) -> pl.DataFrame:
    seen = set()
    for h in header:
        if h in seen:
            raise FileRejected(f"{name} : la colonne « {h} » apparaît deux fois dans l'en-tête")
        seen.add(h)
    if LINE in seen:
        raise FileRejected(f"{name} : colonne « {LINE} » réservée")
    data_cols = [c for c in frame.columns if c != LINE]
    return frame.rename(dict(zip(data_cols, header)))


def _stringify(frame: pl.DataFrame) -> pl.DataFrame:
    out = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.Boolean:
            col = col.cast(pl.String).str.to_lowercase()
        elif dtype in (pl.Datetime, pl.Date) or isinstance(dtype, pl.Datetime):
            col = col.dt.strftime("%Y-%m-%d")
        elif dtype.is_float():
            # whole numbers stored as floats (spreadsheets) read back as digits
            col = pl.when(col == col.floor()).then(col.cast(pl.Int64).cast(pl.String)).otherwise(
                col.cast(pl.String))
        else:
            col = col.cast(pl.String)
        out.append(col.alias(name))
    return frame.select(out)


def _read_table(path: Path, name: str, fmt: str) -> RawTable:
    try:
        if fmt == "xlsx":
            frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
        else:
            frame = pl.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - any reader failure means an unusable file
        raise FileRejected(f"{name} : fichier {fmt} illisible ({type(exc).__name__})") from None
    header = [normalise_header(h) for h in frame.columns]
    frame = _stringify(frame).with_row_index(LINE, offset=2).with_columns(pl.col(LINE).cast(pl.Int64))
    frame = _rename(frame.select(LINE, *frame.columns[1:]), header, name)
    blank = pl.all_horizontal(pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "")
                              for c in frame.columns if c != LINE)
    return RawTable(frame.filter(~blank) if frame.width > 1 else frame, header_width=len(header))


def read(path: Path, name: str, extension: str) -> RawTable:
    if path.stat().st_size == 0:
        raise FileRejected(f"{name} : fichier vide (0 octet)")
    if extension == "csv":
        return read_csv(path, name)
    return _read_table(path, name, extension)
