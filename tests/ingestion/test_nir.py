import polars as pl

from ingestion import nir


def test_key_of_a_known_nir():
    assert nir.key_for("1840375123456") == "90"


def test_corsica_and_malformed():
    values = ["184037512345690", "184037512345636", "284022A12345681", "28402ZZ12345681", "1840375", None]
    got = pl.DataFrame({"n": values}).select(nir.is_valid(pl.col("n")).alias("ok"))["ok"].to_list()
    assert got == [True, False, True, False, False, None]


def test_vectorised_pseudonyms_are_the_hmac_of_the_normalised_value():
    import hashlib
    import hmac

    from ingestion.pseudonymise import Pseudonymiser

    for key in (b"k", b"x" * 100):
        pseudo = Pseudonymiser(key)
        got = pseudo.series(pl.Series("nir", ["184037512345690", None, "A1"])).to_list()
        long_key = hashlib.sha256(key).digest() if len(key) > 64 else key
        assert got == [hmac.new(long_key, b"184037512345690", "sha256").hexdigest(), None,
                       hmac.new(long_key, b"A1", "sha256").hexdigest()]
        assert pseudo.one(" a1 ") == got[2]
