"""Read a landed file into frames of strings, whatever its format.

CSV: UTF-8 (with or without BOM) or Windows-1252, `;` or `,`, blank lines
skipped (a line whose fields are all empty, as spreadsheets export, is blank
too); lines with more or fewer fields than the header are set aside (they
are quarantined, not parsed). A CSV is read in blocks of lines, never whole
(`open_csv` streams it; `read_csv` gathers the blocks for small files). Each
line is decoded on its own: as UTF-8 when it is valid UTF-8, else as
Windows-1252, so that a file whose lines were written with both encodings
loses nothing; a line neither can decode is set aside (quarantined). A
quoted field never spans lines. `.xlsx` and `.parquet` are read with polars,
in one block. Header names are matched case-insensitively, ignoring accents
and surrounding spaces. Before anything is parsed, a CSV whose header has more than
MAX_COLUMNS columns or one of whose lines is longer than MAX_LINE_BYTES is rejected
(`check_bounds`: one pass in chunks, memory bounded whatever the file); xlsx and parquet are
bounded by their metadata (`_check_table_bounds`). Every row keeps `ligne`, its line in the file
(header = line 1).

Ingestion passes an opened file (`socle.files.open_no_follow`: no link followed), never a path:
every pass over the file (bounds, head, blocks; polars for xlsx and parquet) reads that one
file object from its start, so that nothing swapped in at the path after it was opened is read.
A path is still accepted (tests, tools), and opened as it is.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Union

import polars as pl

from ingestion.errors import FileRejected

LINE = "ligne"
BOM = b"\xef\xbb\xbf"
BLOCK_BYTES = 2 << 20  # a block of about 2 MB of lines is parsed at a time
# Bounded input (issue #16): a file beyond these bounds is rejected before anything of it is parsed.
MAX_COLUMNS = 500  # the widest file kind has a dozen columns; a producer's extra columns stay far below
MAX_LINE_BYTES = 4 << 20  # the longest legitimate line is a few hundred bytes
SCAN_BYTES = 1 << 20  # the bound check reads the file in chunks of this size
MAX_XLSX_BYTES = 512 << 20  # xlsx is read whole: its sheets' uncompressed XML at most


Source = Union[Path, BinaryIO]  # a path, or a file opened for reading in binary (seekable)


@contextmanager
def _binary(source: Source) -> Iterator[BinaryIO]:
    """The source from its first byte: a path is opened (and closed after), a file object is
    rewound (and left open, for the next pass)."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            yield f
    else:
        source.seek(0)
        yield source


def _rewound(source: Source) -> Source:
    if not isinstance(source, (str, os.PathLike)):
        source.seek(0)
    return source


@dataclass
class RawTable:
    frame: pl.DataFrame  # string columns with normalised names, plus `ligne`
    encoding: str | None = None
    delimiter: str | None = None
    bad_lines: list[tuple[int, int]] = field(default_factory=list)  # (line, field count)
    header_width: int = 0
    unreadable_lines: list[int] = field(default_factory=list)  # lines no accepted encoding decodes


def normalise_header(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(name).strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _decode_line(data: bytes) -> tuple[str | None, str | None]:
    """(text, encoding) of one line: UTF-8 when valid, else Windows-1252, else (None, None)."""
    try:
        return data.decode("utf-8"), ("utf-8" if not data.isascii() else None)
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return None, None


def _mo(n: int) -> str:
    return f"{n / (1 << 20):.0f} Mo" if n >= 1 << 20 else f"{n} octets"


def check_bounds(path: Source, name: str) -> None:
    """Reject, with one message, a CSV whose header has more than MAX_COLUMNS columns or one of whose
    lines is longer than MAX_LINE_BYTES: one pass over the file in chunks of SCAN_BYTES, holding one
    chunk and a few counters (memory bounded whatever the file), before anything is parsed.

    The header is the first line that is not blank; its columns are counted as its `;` or `,`
    plus one, the more frequent of the two (the delimiter the reader would choose; a delimiter
    inside quotes counts too: a bound, not a parse)."""
    line, run = 1, 0  # the current line's number and its length so far
    header = {"seen": False, "done": False, b";": 0, b",": 0}
    with _binary(path) as f:
        while chunk := f.read(SCAN_BYTES):
            if not header["done"]:
                _count_header(chunk, header, name)
            first = chunk.find(b"\n")
            run += len(chunk) if first < 0 else first
            if run > MAX_LINE_BYTES:
                raise FileRejected(f"{name} : la ligne {line} dépasse {_mo(MAX_LINE_BYTES)} : ce n'est pas un "
                                   "fichier du contrat, il n'est pas lu")
            if first >= 0:  # every other line of the chunk is shorter than the chunk
                line += chunk.count(b"\n")
                run = len(chunk) - chunk.rfind(b"\n") - 1


def _count_header(chunk: bytes, header: dict, name: str) -> None:
    start = 0
    while start < len(chunk) and not header["done"]:
        end = chunk.find(b"\n", start)
        piece = chunk[start:] if end < 0 else chunk[start:end]
        if header["seen"] or piece.strip(b" \t\r\xef\xbb\xbf"):
            header["seen"] = True
            header[b";"] += piece.count(b";")
            header[b","] += piece.count(b",")
            if max(header[b";"], header[b","]) + 1 > MAX_COLUMNS:
                raise FileRejected(f"{name} : en-tête de plus de {MAX_COLUMNS} colonnes : ce n'est pas un "
                                   "fichier du contrat, il n'est pas lu")
        if end < 0:
            return
        header["done"] = header["seen"]
        start = end + 1


class CsvStream:
    """A CSV file read block by block; the header is read (and checked) when it is opened."""

    def __init__(self, path: Source, name: str):
        self.path, self.name = path, name
        check_bounds(path, name)
        with _binary(path) as f:
            head = f.read(65536)
        if b"\x00" in head:
            raise FileRejected(f"{name} : fichier illisible (contenu binaire, ce n'est pas un CSV)")
        self.bom = head.startswith(BOM)
        self._seen: set[str] = set()  # encodings that non-ASCII lines needed
        self.header_line = None
        for number, text in self._lines_of_head():
            if text is None:
                raise FileRejected(f"{name} : encodage illisible (ni UTF-8 ni Windows-1252)")
            if text.strip():
                self.header_line = number
                break
        if self.header_line is None:
            raise FileRejected(f"{name} : fichier vide (pas même une ligne d'en-tête)")
        line = text.removesuffix("\r")
        if ";" not in line and "," not in line:
            raise FileRejected(f"{name} : délimiteur non reconnu (l'en-tête ne contient ni « ; » ni « , », "
                               "les seuls séparateurs acceptés)")
        self.delimiter = ";" if line.count(";") > line.count(",") else ","
        self.header = [normalise_header(h) for h in next(csv.reader([line], delimiter=self.delimiter))]
        check_header(self.header, name)
        self.header_width = len(self.header)

    def _lines_of_head(self) -> Iterator[tuple[int, str | None]]:
        for number, lines in self._blocks(stop_after_first_text=True):
            for i, text in enumerate(lines):
                yield number + i, text

    @property
    def encoding(self) -> str:
        base = "utf-8-sig" if self.bom else "utf-8"
        if "windows-1252" not in self._seen:
            return base
        return "windows-1252" if "utf-8" not in self._seen and not self.bom else f"mixte ({base}, windows-1252)"

    def _blocks(self, stop_after_first_text: bool = False) -> Iterator[tuple[int, list[str | None]]]:
        """(number of the first line, decoded lines without their end) per block of the file."""
        number = 1
        with _binary(self.path) as f:
            if self.bom:
                f.read(3)
            rest = b""
            while True:
                data = f.read(BLOCK_BYTES if not stop_after_first_text else 65536)
                end = not data
                data = rest + data
                cut = len(data) if end else data.rfind(b"\n") + 1
                if not end and cut == 0:
                    rest = data
                    if len(rest) > MAX_LINE_BYTES:  # the file grew since check_bounds read it
                        raise FileRejected(f"{self.name} : une ligne dépasse {_mo(MAX_LINE_BYTES)} : ce n'est "
                                           "pas un fichier du contrat, il n'est pas lu")
                    continue
                block, rest = data[:cut], data[cut:]
                raw = block.split(b"\n")
                if raw and raw[-1] == b"":
                    raw.pop()
                try:
                    text = block.decode("utf-8")
                    if not block.isascii():
                        self._seen.add("utf-8")
                    lines = text.split("\n")
                    if lines and lines[-1] == "":
                        lines.pop()
                except UnicodeDecodeError:
                    lines = []
                    for item in raw:
                        decoded, enc = _decode_line(item)
                        if enc:
                            self._seen.add(enc)
                        lines.append(decoded)
                if lines:
                    yield number, lines
                    number += len(lines)
                if end:
                    return

    def __iter__(self) -> Iterator[RawTable]:
        """The data rows, one RawTable per block (its own bad and unreadable lines)."""
        width, delimiter = self.header_width, self.delimiter
        for first, lines in self._blocks():
            numbers = range(first, first + len(lines))
            unreadable = [n for n, t in zip(numbers, lines) if t is None and n > self.header_line]
            body = pl.DataFrame({LINE: list(numbers), "text": lines}, schema={LINE: pl.Int64, "text": pl.String})
            body = body.filter(pl.col(LINE) > self.header_line, pl.col("text").is_not_null()).with_columns(
                pl.col("text").str.strip_suffix("\r"))
            body = body.filter(pl.col("text").str.strip_chars() != "")
            if body["text"].str.contains('"', literal=True).any():
                fields = pl.Series("fields", [next(csv.reader([t], delimiter=delimiter), [])
                                              for t in body["text"]], dtype=pl.List(pl.String))
            else:
                fields = body["text"].str.split(delimiter).alias("fields")
            body = body.with_columns(fields).with_columns(n=pl.col("fields").list.len())
            blank = pl.col("fields").list.eval(pl.element().str.strip_chars() == "").list.all()
            body = body.filter(~blank)
            bad = body.filter(pl.col("n") != width)
            good = body.filter(pl.col("n") == width)
            frame = good.select(pl.col(LINE), *[pl.col("fields").list.get(i).alias(h)
                                                for i, h in enumerate(self.header)])
            yield RawTable(frame, self.encoding, delimiter, list(zip(bad[LINE], bad["n"])), width, unreadable)


def check_header(header: list[str], name: str) -> None:
    seen = set()
    for h in header:
        if h in seen:
            raise FileRejected(f"{name} : la colonne « {h} » apparaît deux fois dans l'en-tête")
        seen.add(h)
    if LINE in seen:
        raise FileRejected(f"{name} : colonne « {LINE} » réservée")


def open_csv(path: Source, name: str) -> CsvStream:
    return CsvStream(path, name)


def read_csv(path: Source, name: str) -> RawTable:
    """The whole CSV in one RawTable (small files: referentials, tests)."""
    stream = open_csv(path, name)
    parts = list(stream)
    empty = pl.DataFrame(schema={LINE: pl.Int64, **{h: pl.String for h in stream.header}})
    return RawTable(pl.concat([empty, *[p.frame for p in parts]]), stream.encoding, stream.delimiter,
                    [b for p in parts for b in p.bad_lines], stream.header_width,
                    [u for p in parts for u in p.unreadable_lines])


def _rename(frame: pl.DataFrame, header: list[str], name: str) -> pl.DataFrame:
    check_header(header, name)
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


def _check_table_bounds(path: Source, name: str, fmt: str) -> None:
    """xlsx and parquet are read whole: reject, before reading, a table wider than MAX_COLUMNS
    (parquet: its schema; xlsx: the `dimension` each sheet declares) or an xlsx whose sheets
    uncompress to more than MAX_XLSX_BYTES (a zip bomb). Cheap: metadata only; a file whose
    metadata cannot be read is left to the reader (which rejects it)."""
    try:
        if fmt == "parquet":
            width = len(pl.read_parquet_schema(_rewound(path)))
        else:
            width, size = 0, 0
            with zipfile.ZipFile(_rewound(path)) as z:
                for info in z.infolist():
                    if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                        size += info.file_size
                        with z.open(info) as sheet:
                            found = re.search(rb'<dimension ref="[A-Z]+[0-9]+:([A-Z]+)[0-9]+"', sheet.read(4096))
                        if found:
                            width = max(width, _column_number(found.group(1).decode()))
            if size > MAX_XLSX_BYTES:
                raise FileRejected(f"{name} : classeur de plus de {_mo(MAX_XLSX_BYTES)} une fois décompressé : "
                                   "ce n'est pas un fichier du contrat, il n'est pas lu")
    except FileRejected:
        raise
    except Exception:  # noqa: BLE001 - unreadable metadata: the reader says so
        return
    if width > MAX_COLUMNS:
        raise FileRejected(f"{name} : en-tête de plus de {MAX_COLUMNS} colonnes : ce n'est pas un "
                           "fichier du contrat, il n'est pas lu")


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _read_table(path: Source, name: str, fmt: str) -> RawTable:
    _check_table_bounds(path, name, fmt)
    try:
        if fmt == "xlsx":
            # polars reopens an xlsx file object by its name: it gets the bytes (bounded above)
            data = path if isinstance(path, (str, os.PathLike)) else _rewound(path).read()
            frame = pl.read_excel(data, engine="calamine", infer_schema_length=0)
        else:
            frame = pl.read_parquet(_rewound(path))
    except Exception as exc:  # noqa: BLE001 - any reader failure means an unusable file
        raise FileRejected(f"{name} : fichier {fmt} illisible ({type(exc).__name__})") from None
    header = [normalise_header(h) for h in frame.columns]
    frame = _stringify(frame).with_row_index(LINE, offset=2).with_columns(pl.col(LINE).cast(pl.Int64))
    frame = _rename(frame.select(LINE, *frame.columns[1:]), header, name)
    blank = pl.all_horizontal(pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "")
                              for c in frame.columns if c != LINE)
    return RawTable(frame.filter(~blank) if frame.width > 1 else frame, header_width=len(header))


class _OneBlock:
    """A table read whole (xlsx, parquet) behind the CsvStream interface."""

    def __init__(self, table: RawTable):
        self.table = table
        self.header = [c for c in table.frame.columns if c != LINE]
        self.encoding, self.delimiter, self.header_width = None, None, table.header_width

    def __iter__(self) -> Iterator[RawTable]:
        yield self.table


def _check_size(path: Source, name: str) -> None:
    size = os.stat(path).st_size if isinstance(path, (str, os.PathLike)) else os.fstat(path.fileno()).st_size
    if size == 0:
        raise FileRejected(f"{name} : fichier vide (0 octet)")


def stream(path: Source, name: str, extension: str) -> CsvStream | _OneBlock:
    """The file's header (checked) and its rows block by block: what ingestion reads."""
    _check_size(path, name)
    if extension == "csv":
        return open_csv(path, name)
    return _OneBlock(_read_table(path, name, extension))


def read(path: Source, name: str, extension: str) -> RawTable:
    _check_size(path, name)
    if extension == "csv":
        return read_csv(path, name)
    return _read_table(path, name, extension)
