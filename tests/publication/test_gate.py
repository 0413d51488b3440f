"""The publication gate refuses a bad export: nothing is published and `latest` does not move."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from publication import PublicationRefusee, export_opendata
from publication.gate import Expected, coverage_frame, secondary_frame
from masquage_faible import mask as weak_mask
from publication_fixture import indicateurs_frame, make_snapshot
from socle.masking import primary_secret
from socle.settings import Settings

DAY1, DAY2 = date(2024, 3, 5), date(2024, 4, 2)


def no_masking(frame, territories, threshold):
    return frame


def primary_only(frame, territories, threshold):
    hit = primary_secret(threshold)
    return frame.with_columns(
        **{c: pl.when(hit).then(None).otherwise(pl.col(c)) for c in ("valeur", "numerateur", "denominateur")},
        statut=pl.when(hit).then(pl.lit("secret")).otherwise(pl.col("statut")))


def mart_without_84_in_february():
    return indicateurs_frame().filter(~((pl.col("code_territoire") == "84") & (pl.col("mois") == date(2024, 2, 1))))


def mart_with_unknown_status():
    return indicateurs_frame().with_columns(
        statut=pl.when(pl.col("code_territoire") == "13").then(pl.lit("brouillon")).otherwise(pl.col("statut")))


def mart_with_rate_above_one():
    hit = (pl.col("indicateur") == "taux_orientation_15j") & (pl.col("code_territoire") == "13")
    return indicateurs_frame().with_columns(
        numerateur=pl.when(hit).then(pl.col("denominateur") + 5).otherwise(pl.col("numerateur")),
        valeur=pl.when(hit).then((pl.col("denominateur") + 5) / pl.col("denominateur")).otherwise(pl.col("valeur")))


CASES = {
    # name: (mart, masker, words that must appear in the refusal)
    "secret laissé visible": (None, no_masking, ["indicateurs_valeurs : expect_column_values_to_not_be_in_set"]),
    "secret secondaire absent": (None, primary_only, ["secret_secondaire", "departement de region 53"]),
    # the old masking passes every group check, but 56 = 125 − 120 (35 = B35, published)
    "secret retrouvé par soustraction": (None, weak_mask, [
        "attaque : expect_column_values_to_be_null (column=cellule_exposee) — 8 ligne(s)",
        "beneficiaires_sdd | departement 56 | 2024-01 : valeur déterminée exactement"]),
    "territoire manquant": (mart_without_84_in_february, None,
                            ["couverture", "taux_orientation_15j|departement|84|2024-02|ensemble|ensemble"]),
    "statut hors liste": (mart_with_unknown_status, None,
                          ["expect_column_values_to_be_in_set (column=statut)", "frictionless validate (indicateurs)"]),
    "taux au-dessus de 1": (mart_with_rate_above_one, None, ["expect_column_values_to_be_between (column=valeur"]),
}


@pytest.fixture
def home_with_a_publication(published, tmp_path):
    """A copy of the module's published home (snapshot + the DAY1 publication)."""
    settings, good = published
    home = tmp_path / "home"
    shutil.copytree(settings.home, home, symlinks=True)
    return Settings(landing_dir=settings.landing_dir, home=home), good


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_export_is_refused_and_latest_stays(home_with_a_publication, case):
    snapshot, good = home_with_a_publication
    assert good.name == f"{DAY1.isoformat()}-01"
    before = sorted(p.name for p in snapshot.opendata.iterdir())
    mart, masker, words = CASES[case]
    if mart is not None:
        make_snapshot(snapshot, indicateurs=mart())
    with pytest.raises(PublicationRefusee) as refused:
        export_opendata(snapshot, DAY2, masker=masker)
    message = str(refused.value)
    for word in words:
        assert word in message, message
    assert (snapshot.opendata / "latest").readlink() == Path(good.name)
    assert sorted(p.name for p in snapshot.opendata.iterdir()) == before  # no new folder, no leftover
    report = refused.value.report_dir
    assert report.parent.name.endswith("_refusee") and report.parent.parent == snapshot.logs / "publication"
    verdict = json.loads((report / "controles.json").read_text(encoding="utf-8"))
    assert verdict["succes"] is False and verdict["echecs"] == refused.value.failures
    assert not list(report.parent.rglob("indicateurs.csv"))  # refused data never kept
    if masker is weak_mask:  # the refusal names the exposed cells, never their values
        assert "secret_secondaire" not in message
        lines = [line for line in message.splitlines() if line.startswith("- attaque")]
        assert len(lines) == 1 and "= 5" not in lines[0] and " 5 " not in lines[0]
        attack = json.loads((report / "attaque.json").read_text(encoding="utf-8"))
        assert attack["exposees"] == 8 and attack["determinees_toutes_valeurs"] >= 8


TERR = pl.DataFrame({"niveau": ["national", "region", "departement", "departement", "bassin", "bassin"],
                     "code_territoire": ["FR", "53", "35", "56", "B1", "B2"],
                     "code_region": [None, "53", "53", "53", "53", None]})


TEXT = pl.DataFrame({"indicateur": ["x"] * 4, "niveau": ["national", "region", "departement", "bassin"],
                     "code_territoire": ["FR", "53", "35", "B1"], "mois": ["2024-01"] * 4,
                     "ventilation": ["ensemble"] * 4, "modalite": ["ensemble"] * 4})


def missing(expected: Expected) -> list[str]:
    return sorted(coverage_frame(TEXT, expected)["cle_manquante"].drop_nulls().to_list())


def test_coverage_with_one_bassin_referential_expects_every_territory_every_month():
    expected = Expected(kinds={"x": "effectif"}, territories=TERR, months=["2024-01", "2024-02"])
    assert missing(expected) == [
        "aucun bassin en 2024-02", "x|bassin|B1|2024-02|ensemble|ensemble",
        "x|bassin|B2|2024-01|ensemble|ensemble", "x|bassin|B2|2024-02|ensemble|ensemble",
        "x|departement|35|2024-02|ensemble|ensemble", "x|departement|56|2024-01|ensemble|ensemble",
        "x|departement|56|2024-02|ensemble|ensemble", "x|national|FR|2024-02|ensemble|ensemble",
        "x|region|53|2024-02|ensemble|ensemble"]


def test_coverage_with_several_referentials_reads_the_bassins_of_each_month_in_the_mart():
    expected = Expected(kinds={"x": "effectif"}, territories=TERR, months=["2024-01", "2024-02"],
                        bassin_months=pl.DataFrame({"code_territoire": ["B1"], "mois": ["2024-01"]}),
                        single_referential=False)
    assert missing(expected) == [
        "aucun bassin en 2024-02", "x|departement|35|2024-02|ensemble|ensemble",
        "x|departement|56|2024-01|ensemble|ensemble", "x|departement|56|2024-02|ensemble|ensemble",
        "x|national|FR|2024-02|ensemble|ensemble", "x|region|53|2024-02|ensemble|ensemble"]


def test_coverage_follows_the_territory_month_table_when_the_snapshot_has_one():
    grid = pl.DataFrame({"niveau": ["national", "region", "departement", "bassin", "bassin"],
                         "code_territoire": ["FR", "53", "35", "B1", "B2"], "mois": ["2024-01"] * 5})
    expected = Expected(kinds={"x": "effectif"}, territories=TERR, months=["2024-01"], territory_months=grid)
    assert missing(expected) == ["x|bassin|B2|2024-01|ensemble|ensemble"]


def test_a_bassin_missing_in_one_month_blocks_the_export(snapshot):
    make_snapshot(snapshot, indicateurs=indicateurs_frame().filter(
        ~((pl.col("code_territoire") == "B84") & (pl.col("mois") == date(2024, 2, 1)))))
    with pytest.raises(PublicationRefusee, match=r"beneficiaires_sdd\|bassin\|B84\|2024-02"):
        export_opendata(snapshot, DAY1)
    assert not (snapshot.opendata / "latest").exists()


def test_secondary_check_sees_a_lone_secret_in_a_breakdown():
    rows = [("FR", "national", "ensemble", "ensemble", "definitif"),
            ("FR", "national", "sexe", "F", "secret"), ("FR", "national", "sexe", "H", "definitif"),
            ("53", "region", "ensemble", "ensemble", "definitif"), ("35", "departement", "ensemble", "ensemble", "secret"),
            ("56", "departement", "ensemble", "ensemble", "secret")]
    values = pl.DataFrame([("x", n, c, "2024-01", v, m, s) for c, n, v, m, s in rows], orient="row",
                          schema=["indicateur", "niveau", "code_territoire", "mois", "ventilation", "modalite", "statut"])
    exposed = secondary_frame(values, TERR)["groupe_expose"].drop_nulls().to_list()
    assert exposed == ["catégories de sexe | x | national FR | 2024-01"]  # 35 and 56: two secrets, not exposed


def test_the_territory_month_table_is_used_when_present(snapshot):
    """With marts.dim_territoires_mois, its grid is the expected one (here: B84 is not placed in
    February, so the mart without B84 in February is complete)."""
    from publication.opendata import expected_from
    from publication.source import open_snapshot

    mart = indicateurs_frame().filter(~((pl.col("code_territoire") == "B84") & (pl.col("mois") == date(2024, 2, 1))))
    grid = mart.select("niveau", "code_territoire", "mois").unique()
    make_snapshot(snapshot, indicateurs=mart, extra={"dim_territoires_mois": grid})
    with open_snapshot(snapshot) as snap:
        expected = expected_from(snap, {"beneficiaires_sdd": "effectif"}, snap.frame("indicateurs"),
                                 snap.frame("dim_territoires"))
    assert expected.territory_months.height == 21 and expected.months == ["2024-01", "2024-02"]
    assert export_opendata(snapshot, DAY1).name == "2024-03-05-01"
