"""socle.csv_safety: text cells a spreadsheet would run as a formula are prefixed with `'`."""

from __future__ import annotations

import polars as pl

from socle.csv_safety import neutralise, neutralise_text, spreadsheet_csv


def test_formula_triggers_are_prefixed_numbers_are_not():
    df = pl.DataFrame({"texte": ['=HYPERLINK("http://x","clic")', "+33", "-2", "@SUM(A1)", "\tx", "\ry", "Rennes",
                                 None, "'=déjà", "a=b"],
                       "valeur": [-1.5, 2.0, -3.0, None, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]})
    out = neutralise(df)
    assert out["texte"].to_list() == ['\'=HYPERLINK("http://x","clic")', "'+33", "'-2", "'@SUM(A1)", "'\tx", "'\ry",
                                      "Rennes", None, "'=déjà", "a=b"]
    assert out["valeur"].to_list() == df["valeur"].to_list()
    assert neutralise(out).equals(out)  # twice is once
    assert neutralise_text("=1+1") == "'=1+1" and neutralise_text("1") == "1" and neutralise_text(None) is None


def test_spreadsheet_csv_has_a_bom_and_neutralised_cells():
    raw = spreadsheet_csv(pl.DataFrame({"libelle": ["=1+1"], "n": [-4]}))
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == ["libelle,n", "'=1+1,-4"]
