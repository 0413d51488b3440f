"""Issue #16, finding 7: the bounds themselves, on small files (the memory test with a 2-million-
column header and a 50 MB line is tests/reliability/test_bounded_input.py)."""

from __future__ import annotations

import io

import polars as pl
import pytest

from ingestion import readers
from ingestion.errors import FileRejected

WIDE = "en-tête de plus de 500 colonnes : ce n'est pas un fichier du contrat, il n'est pas lu"


def _rejection(path, ext="csv"):
    try:
        readers.stream(path, path.name, ext)
    except FileRejected as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("columns,rejected", [(500, False), (501, True)])
def test_csv_header_bound(tmp_path, columns, rejected):
    path = tmp_path / "f.csv"
    path.write_text("\n \r\n" + ";".join(f"c{i}" for i in range(columns)) + "\n1;2\n", encoding="utf-8")
    assert _rejection(path) == (f"f.csv : {WIDE}" if rejected else None)


def test_csv_line_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "SCAN_BYTES", 1000)  # many chunks per line, as in a big file
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 4000)
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n" + b"1," + b"x" * 3997 + b"\n" + b"2,y\n")  # 3,999 bytes + its end: fits
    assert _rejection(path) is None
    path.write_bytes(b"a,b\n" + b"1,y\n" * 700 + b"2," + b"x" * 3999 + b"\n")  # 4,001 bytes on line 702
    assert _rejection(path) == "f.csv : la ligne 702 dépasse 4000 octets : ce n'est pas un fichier du contrat, il n'est pas lu"


def test_parquet_and_xlsx_wider_than_the_bound_are_rejected_before_reading(tmp_path):
    frame = pl.DataFrame({f"c{i}": ["1"] for i in range(501)})
    frame.write_parquet(tmp_path / "f.parquet")
    assert _rejection(tmp_path / "f.parquet", "parquet") == f"f.parquet : {WIDE}"
    buffer = io.BytesIO()
    frame.write_excel(buffer)
    (tmp_path / "f.xlsx").write_bytes(buffer.getvalue())
    assert _rejection(tmp_path / "f.xlsx", "xlsx") == f"f.xlsx : {WIDE}"
    frame.select(pl.nth(range(500))).write_parquet(tmp_path / "g.parquet")
    assert _rejection(tmp_path / "g.parquet", "parquet") is None
