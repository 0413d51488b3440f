import polars as pl

from ingestion import nir


def test_key_of_a_known_nir():
    assert nir.key_for("1840375123456") == "90"


def test_corsica_and_malformed():
    values = ["184037512345690", "184037512345636", "284022A12345681", "28402ZZ12345681", "1840375", None]
    got = pl.DataFrame({"n": values}).select(nir.is_valid(pl.col("n")).alias("ok"))["ok"].to_list()
    assert got == [True, False, True, False, False, None]
