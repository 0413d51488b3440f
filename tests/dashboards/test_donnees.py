"""Snapshot access: read-only, masked with socle.masking (stored at publication), new snapshot picked up, hostile URLs refused."""

from __future__ import annotations

import re

import duckdb
import polars as pl
import pytest

from dashboards import data, exports, queries, selection
from fabrique_instantane import build
from outils_tableaux import masque, seuil_du_seed


def test_threshold_is_the_governed_parameter():
    assert data.seuil_secret() == seuil_du_seed() == 11


def test_figures_are_masked_like_the_open_data(instantane):
    snap = data.courant()
    assert snap is not None and snap.path == instantane.path
    expected = masque(instantane.path).filter(pl.col("ventilation") == "ensemble")
    key = ["indicateur", "niveau", "code_territoire", "mois"]
    got = snap.figures.sort(key).select(*key, "numerateur", "denominateur", "valeur", "statut")
    want = expected.sort(key).select(*key, "numerateur", "denominateur", "valeur", "statut")
    assert got.equals(want)
    secret = got.filter(pl.col("statut") == "secret")
    assert secret.height > 0
    assert secret.select(pl.col("numerateur").is_null().all(), pl.col("denominateur").is_null().all(),
                         pl.col("valeur").is_null().all()).row(0) == (True, True, True)
    # nothing unmasked is kept in memory: no primary-secret count survives in the figures
    small = got.filter(pl.col("numerateur").is_between(1, 10) | pl.col("denominateur").is_between(1, 10))
    assert small.is_empty()


def test_dashboards_show_exactly_the_open_data_masked_table_and_it_holds(instantane):
    """Every screen and download reads the same masked cells as the open data; the attack of the
    publication gate finds nothing in them."""
    from publication.table import published_table, read_indicateurs
    from socle.attack import attack_table

    snap = data.courant()
    with duckdb.connect(str(instantane.path), read_only=True) as con:
        brut = read_indicateurs(con)
        dim_i = con.sql("select * from marts.dim_indicateurs").pl()
        dim_t = con.sql("select * from marts.dim_territoires").pl()
        app = con.sql("select * from marts.dim_territoires_appartenance").pl()
    opendata = published_table(brut, dim_i, dim_t, seuil_du_seed(), appartenance=app)
    key = ["indicateur", "niveau", "code_territoire", "mois"]
    got = snap.figures.with_columns(mois=pl.col("mois").dt.strftime("%Y-%m")).sort(key).select(
        *key, "numerateur", "denominateur", "statut")
    want = opendata.filter(pl.col("ventilation") == "ensemble").sort(key).select(
        *key, "numerateur", "denominateur", "statut")
    assert got.equals(want)
    report, _ = attack_table(snap.figures, dim_t, app, seuil_du_seed())
    assert report.unknowns > 0 and report.exposed == []


def test_snapshot_opened_read_only(instantane):
    cle = data.cle_courante()
    with data.lecture(cle) as con:
        with pytest.raises(duckdb.Error):
            con.execute("create table marts.x (a int)")


def test_new_snapshot_is_picked_up_without_restart(home, instantane):
    first = data.courant()
    assert data.courant() is first  # cached
    second = build(home, petits={"2B": 0.01, "2A": 0.2}, nom="socle_20250201T000000000000Z.duckdb", decalage=1000)
    snap = data.courant()
    assert snap.path == second.path and snap is not first
    fr = lambda s: s.figures.filter((pl.col("niveau") == "national") & (pl.col("indicateur") == "beneficiaires_sdd")  # noqa: E731
                                    & (pl.col("mois") == s.mois[-1]))["valeur"][0]
    assert fr(snap) > fr(first)


@pytest.mark.parametrize("params", [
    {"niveau": "departement", "code": "35' OR '1'='1"},
    {"niveau": "departement", "code": "x'; drop table marts.indicateurs; --"},
    {"niveau": "departement", "code": "<script>alert(1)</script>"},
    {"niveau": "departement", "code": "99"},
    {"niveau": "region", "code": "35"},
    {"niveau": "admin", "code": "35"},
    {"niveau": "departement' --", "code": "35"},
    {"niveau": "departement", "code": "a" * 500},
    {"niveau": "bassin"},
])
def test_hostile_or_unknown_url_is_refused(instantane, params):
    snap = data.courant()
    sel, messages = selection.depuis_url(params, snap)
    assert sel == selection.Selection("national", mois=snap.mois[-1])
    assert len(messages) == 1
    assert "<" not in messages[0]
    for value in params.values():  # a refused value is echoed only when it is a plain short code
        if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z_-]{0,19}", value):
            assert value not in messages[0]
    assert "France entière" in messages[0]
    with duckdb.connect(str(instantane.path), read_only=True) as con:
        assert con.execute("select count(*) from marts.indicateurs").fetchone()[0] > 0


def test_valid_urls(instantane):
    snap = data.courant()
    assert selection.depuis_url({"niveau": "departement", "code": "2B", "mois": "2024-03"}, snap) == (
        selection.Selection("departement", region="94", departement="2B", mois=snap.mois[-4]), [])
    sel, msgs = selection.depuis_url({"niveau": "bassin", "code": "352"}, snap)
    assert (sel.niveau, sel.region, sel.departement, sel.bassin, msgs) == ("bassin", "53", "35", "352", [])
    sel, msgs = selection.depuis_url({"niveau": "region", "code": "53", "mois": "2031-13"}, snap)
    assert sel.region == "53" and sel.mois == snap.mois[-1] and len(msgs) == 1
    assert selection.depuis_url({}, snap) == (selection.Selection("national", mois=snap.mois[-1]), [])
    assert selection.Selection("departement", region="94", departement="2B", mois=snap.mois[-1]).params() == {
        "niveau": "departement", "code": "2B", "mois": "2024-06"}


def test_parents_and_sub_territories(home):
    build(home, bassins_reels=True)
    snap = data.courant()
    assert not snap.bassins_substituts
    assert queries.parent(snap, "departement", "35") == ("region", "53")
    assert queries.parent(snap, "region", "53") == ("national", "FR")
    assert queries.parent(snap, "national", "FR") is None
    # CLPE-X spans 22 and 29: compared with its main département, listed under both
    assert len(queries.departements_du_bassin(snap, "CLPE-X")) == 2
    assert queries.parent(snap, "bassin", "CLPE-X")[0] == "departement"
    for dep in ("22", "29"):
        subs = queries.sous_territoires(snap, "departement", dep)
        row = subs.filter(pl.col("code_territoire") == "CLPE-X")
        assert row.height == 1 and row["autres_departements"][0] == ("29" if dep == "22" else "22")
    assert queries.sous_territoires(snap, "bassin", "CLPE-X").is_empty()
    assert set(queries.sous_territoires(snap, "national", "FR")["code_territoire"]) == {"53", "94"}


def test_csv_download_is_what_is_shown_and_masked(instantane):
    snap = data.courant()
    m = snap.mois[-1]
    cartes = queries.cartes_long(snap.cle, "departement", "2B", m)
    table = exports.table(snap, "cartes", cartes)
    text = exports.csv(table).decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(exports.COLONNES)
    df = pl.read_csv(text.encode(), infer_schema_length=None, schema_overrides={"code_territoire": pl.String})
    # one row per figure behind the cards: 17 indicators × (M, M-1, M-12, parent, France)
    assert df.height == 17 * 5
    secret = df.filter(pl.col("statut") == "secret")
    assert secret.height > 0
    assert secret.select(pl.col("valeur").is_null().all(), pl.col("numerateur").is_null().all(),
                         pl.col("denominateur").is_null().all()).row(0) == (True, True, True)
    expected = masque(instantane.path)
    for r in df.iter_rows(named=True):
        want = expected.filter((pl.col("indicateur") == r["indicateur"]) & (pl.col("niveau") == r["niveau"])
                               & (pl.col("code_territoire") == r["code_territoire"])
                               & (pl.col("mois").dt.strftime("%Y-%m") == r["mois"])).row(0, named=True)
        assert r["statut"] == want["statut"]
        assert r["numerateur"] == want["numerateur"]
        if want["valeur"] is not None:
            assert r["valeur"] == pytest.approx(want["valeur"], abs=0.051 if "delai" in r["indicateur"] else 1e-4)


def test_csv_download_neutralises_a_formula_in_a_label(instantane):
    """Issue 16, finding 6: a bassin label `=HYPERLINK(...)` from a referential reached the dashboard's
    CSV download as is, a live formula in the reader's spreadsheet."""
    import duckdb

    label = '=HYPERLINK("http://x","clic")'
    with duckdb.connect(str(instantane.path)) as con:
        code = con.execute("select min(code_territoire) from marts.dim_territoires where niveau = 'bassin'").fetchone()[0]
        con.execute("update marts.dim_territoires set libelle_territoire = ? where niveau = 'bassin' "
                    "and code_territoire = ?", [label, code])
    snap = data.courant()
    cartes = queries.cartes_long(snap.cle, "bassin", code, snap.mois[-1])
    text = exports.csv(exports.table(snap, "cartes", cartes)).decode("utf-8-sig")
    df = pl.read_csv(text.encode(), infer_schema=False)
    labels = set(df.filter(pl.col("code_territoire") == code)["libelle_territoire"])
    assert labels == {"'" + label}
    assert not any(line.split(",")[6].startswith("=") for line in text.splitlines()[1:] if "," in line)
    # numbers keep their sign and type: only text cells are touched
    assert pl.read_csv(text.encode(), infer_schema_length=None)["valeur"].dtype == pl.Float64


def _stocker_table_masquee(path, seuil):
    """What the snapshot asset does at publication: the masked table written into the snapshot."""
    from publication.table import store_masked_table

    con = duckdb.connect()
    try:
        con.execute(f"attach '{path}' as snap")
        store_masked_table(con, "snap", seuil)
        con.execute("detach snap")
    finally:
        con.close()


def test_dashboards_read_the_masked_table_stored_at_publication_without_masking(instantane, monkeypatch):
    from socle import masking

    avant = data.courant().figures  # masked at load: the snapshot has no stored table yet
    _stocker_table_masquee(instantane.path, seuil_du_seed())

    def interdit(*args, **kwargs):
        raise AssertionError("le tableau de bord ne doit pas masquer : la table masquée est dans l'instantané")

    monkeypatch.setattr(masking, "mask", interdit)
    monkeypatch.setattr(masking, "mask_with_report", interdit)
    snap = data.courant()
    with duckdb.connect(str(instantane.path), read_only=True) as con:
        stockee = con.sql("select * from publie.indicateurs_masques").pl()
    assert set(stockee["seuil_secret"].unique().to_list()) == {seuil_du_seed()}
    want = stockee.filter((pl.col("ventilation") == "ensemble") & (pl.col("modalite") == "ensemble")).drop(
        "seuil_secret")
    assert snap.figures.equals(want)
    key = ["indicateur", "niveau", "code_territoire", "mois"]
    assert snap.figures.sort(key).equals(avant.sort(key))  # the same cells as masking at load time
