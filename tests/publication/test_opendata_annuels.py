"""Open data, issue #20: indicateurs_annuels.csv / .parquet (masked "the same way") and cibles.csv."""

from __future__ import annotations

import json
import shutil
from datetime import date

import duckdb
import polars as pl
import pytest

from publication import PublicationRefusee, export_opendata
from publication.annuels import exposed_stock_copies, mask_stocks
from publication.gate import check_export, yearly_frames
from publication.opendata import expected_from
from publication.source import open_snapshot
from publication.table import indicator_kinds
from publication_fixture import FIGURES, NIVEAU, indicateurs_frame, make_snapshot, yearly_frame
from socle.rounding import indicator_decimals

DAY = date(2024, 3, 5)
HEADER = ("indicateur,libelle_indicateur,niveau,code_territoire,libelle_territoire,annee,ventilation,modalite,"
          "valeur,numerateur,denominateur,statut,motif_valeur_vide,code_departement,code_region,"
          "departements_bassin,regions_bassin")
SDD = "beneficiaires_sdd,Bénéficiaires du RSA soumis aux droits et devoirs"
TAUX = "taux_orientation_15j,Part des nouveaux entrants orientés en moins de 15 jours"
SOURCE = '"Instruction 2023/192, annexe 4, volet 2 §4.2 : Objectif = 100 %"'


def lines(path, n):
    return path.read_text(encoding="utf-8").splitlines()[:n]


def test_yearly_file_first_lines_and_counts(published):
    _, folder = published
    # the stock figure of 2024 is the copy of 2024-02, the last computed month (provisoire: no December)
    assert lines(folder / "indicateurs_annuels.csv", 3) == [
        HEADER,
        f"{SDD},national,FR,France,2024,ensemble,ensemble,485,485,,provisoire,,,,,",
        f"{SDD},region,53,Bretagne,2024,ensemble,ensemble,130,130,,provisoire,,,53,,"]
    table = pl.read_parquet(folder / "indicateurs_annuels.parquet")
    assert table.height == 33 and table.schema["annee"] == pl.Int64
    assert table.group_by("indicateur").len().sort("indicateur").rows() == [
        ("beneficiaires_sdd", 11), ("delai_orientation_moyen_j", 11), ("taux_orientation_15j", 11)]


def test_yearly_inflows_masked_by_the_same_call(published):
    """In January, FR, 53, 35, B13, B35 and BX show a secret orientation rate (numerator and
    denominator hidden), and FR, 53, 35, B35 and BX a secret mean delay (its denominator hidden):
    the same yearly quantities are guarded (published beside February, they would give January by
    subtraction), so masked: 6 rate cells (2 quantities each) and 5 delay cells, 17 quantities.
    56 shows 4 oriented entrants of 25 (primary). Then FR = B35 + BX + B13 + B84 with B35 = 35 and
    FR − 35 = 56 + 13 + 84 (published) would pin BX's delay denominator, guarded: B13 (60, the
    only published term) is its complement. 93, 13, 84, B84 stay published: all their months are."""
    _, folder = published
    text = pl.read_csv(folder / "indicateurs_annuels.csv", infer_schema=False)
    secret = text.filter(pl.col("statut") == "secret")
    assert sorted(secret.select("indicateur", "code_territoire").rows()) == sorted(
        [("taux_orientation_15j", code) for code in ("FR", "53", "35", "56", "B13", "B35", "BX")]
        + [("delai_orientation_moyen_j", code) for code in ("FR", "53", "35", "B13", "B35", "BX")])
    assert secret.select("valeur", "numerateur", "denominateur").null_count().row(0) == (13, 13, 13)
    row = text.filter((pl.col("indicateur") == "taux_orientation_15j") & (pl.col("code_territoire") == "13"))
    assert row.select("valeur", "numerateur", "denominateur", "statut").row(0) == ("0.7500", "60", "80", "provisoire")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["lignes_annuelles"], manifest["cases_secretes_annuelles"], manifest["lignes_cibles"]) == (33, 13, 22)
    flows = manifest["masquage_annuel"]["flux_et_cohortes"]
    assert (flows["cellules"], flows["cellules_secret_primaire"], flows["cellules_masquees"],
            flows["quantites_gardees"], flows["quantites_complementaires"]) == (22, 12, 13, 17, 1)
    assert flows["attaque_finale"]["exposees"] == 0
    attack = json.loads((folder / "validation" / "attaque.json").read_text(encoding="utf-8"))
    # the year just masked is not attacked again: the masking's final attack is the gate's
    assert (attack["annuels"]["exposees"], attack["annuels"]["periodes_attaquees"],
            attack["annuels"]["periodes_reprises"]) == (0, 0, 1)


def test_targets_file(published):
    _, folder = published
    assert lines(folder / "cibles.csv", 3) == [
        "indicateur,libelle_indicateur,niveau,code_territoire,libelle_territoire,mois,valeur_cible,sens,source,"
        "code_departement,code_region,departements_bassin,regions_bassin",
        f"{TAUX},national,FR,France,2024-01,1.0000,minimum,{SOURCE},,,,",
        f"{TAUX},national,FR,France,2024-02,1.0000,minimum,{SOURCE},,,,"]
    table = pl.read_csv(folder / "cibles.csv", infer_schema=False)
    assert table.height == 22
    bx = table.filter((pl.col("code_territoire") == "BX") & (pl.col("mois") == "2024-02"))
    assert bx.select("departements_bassin", "regions_bassin").row(0) == ("13|56", "53|93")
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    schemas = {r["name"]: r.get("schema") for r in package["resources"]}
    assert schemas["cibles"]["primaryKey"] == ["indicateur", "niveau", "code_territoire", "mois"]
    sens = {f["name"]: f for f in schemas["cibles"]["fields"]}["sens"]
    assert sens["constraints"] == {"enum": ["minimum", "maximum"], "required": True}
    assert schemas["indicateurs_annuels"]["primaryKey"] == [
        "indicateur", "niveau", "code_territoire", "annee", "ventilation", "modalite"]


def test_readme_explains_yearly_figures_targets_and_their_masking(published):
    _, folder = published
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "## Chiffres annuels (`indicateurs_annuels.csv`)" in readme
    assert "Années couvertes : 2024 ; 33 lignes, dont 13 cases secrètes." in readme
    assert "Il est donc masqué dès que l'un des mois de l'année est secret pour le même territoire" in readme
    assert "## Cibles (`cibles.csv`)" in readme
    assert "Cible atteinte** quand l'écart est ≥ 0 (sens `minimum`) ou ≤ 0 (sens `maximum`)" in readme
    assert "  - Instruction 2023/192, annexe 4, volet 2 §4.2 : Objectif = 100 %" in readme
    assert "il prend exactement le masque de cette case mensuelle" in readme


def small_in_february() -> pl.DataFrame:
    """The fixture with 5 beneficiaries in 56 in 2024-02 too (53, FR and BX gain 5)."""
    figures = dict(FIGURES)
    figures[("beneficiaires_sdd", "2024-02")] = [(n, None, float(n), "definitif") for n in
                                                 (490, 135, 355, 130, 5, 310, 45, 130, 105, 210, 45)]
    return indicateurs_frame(figures)


def test_stock_yearly_figure_takes_the_mask_of_its_monthly_cell(snapshot):
    make_snapshot(snapshot, indicateurs=small_in_february())
    folder = export_opendata(snapshot, DAY)
    monthly = pl.read_csv(folder / "indicateurs.csv", infer_schema=False).filter(
        (pl.col("indicateur") == "beneficiaires_sdd") & (pl.col("mois") == "2024-02"))
    yearly = pl.read_csv(folder / "indicateurs_annuels.csv", infer_schema=False).filter(
        pl.col("indicateur") == "beneficiaires_sdd")
    masked_month = set(monthly.filter(pl.col("statut") == "secret")["code_territoire"])
    masked_year = set(yearly.filter(pl.col("statut") == "secret")["code_territoire"])
    assert "56" in masked_month and masked_year == masked_month
    # the published copies show the monthly figures
    shown = lambda t: dict(t.filter(pl.col("statut") != "secret").select("code_territoire", "valeur").rows())  # noqa: E731
    assert shown(yearly) == shown(monthly) and shown(yearly)["13"] == "310"


def test_mask_stocks_copies_december_else_the_last_month():
    def cells(rows):
        return pl.DataFrame(rows, orient="row", schema={
            "indicateur": pl.String, "niveau": pl.String, "code_territoire": pl.String, "mois": pl.Date,
            "ventilation": pl.String, "modalite": pl.String, "numerateur": pl.Int64, "denominateur": pl.Int64,
            "valeur": pl.Float64, "statut": pl.String})

    e = ("ensemble", "ensemble")
    monthly = cells([
        ("beneficiaires_sdd", "departement", "35", date(2023, 11, 1), *e, None, None, None, "secret"),
        ("beneficiaires_sdd", "departement", "35", date(2023, 12, 1), *e, 40, None, 40.0, "definitif"),
        ("beneficiaires_sdd", "departement", "56", date(2023, 12, 1), *e, None, None, None, "secret"),
        ("beneficiaires_sdd", "departement", "56", date(2024, 1, 1), *e, 30, None, 30.0, "definitif"),
        ("beneficiaires_sdd", "departement", "56", date(2024, 2, 1), *e, None, None, None, "secret"),
    ])
    yearly = pl.DataFrame({
        "indicateur": ["beneficiaires_sdd"] * 3, "niveau": ["departement"] * 3, "code_territoire": ["35", "56", "56"],
        "annee": [2023, 2023, 2024], "ventilation": ["ensemble"] * 3, "modalite": ["ensemble"] * 3,
        "numerateur": [40, 14, 12], "denominateur": [None, None, None], "valeur": [40.0, 14.0, 12.0],
        "statut": ["definitif", "definitif", "provisoire"]}, schema_overrides={"denominateur": pl.Int64})
    out = mask_stocks(yearly, monthly, 11)
    assert out.select("code_territoire", "annee", "numerateur", "statut").rows() == [
        ("35", 2023, 40, "definitif"),   # December published: November's secret does not matter
        ("56", 2023, None, "secret"),    # December secret
        ("56", 2024, None, "secret")]    # no December yet: February, the last month, is secret


def test_gate_names_a_stock_copy_that_reveals_its_month():
    yearly = pl.DataFrame({"indicateur": ["beneficiaires_sdd", "beneficiaires_sdd"], "niveau": ["departement"] * 2,
                           "code_territoire": ["56", "35"], "annee": [2024, 2024], "ventilation": ["ensemble"] * 2,
                           "modalite": ["ensemble"] * 2, "statut": ["definitif", "definitif"]})
    monthly = pl.DataFrame({"indicateur": ["beneficiaires_sdd"] * 4, "niveau": ["departement"] * 4,
                            "code_territoire": ["56", "56", "35", "35"],
                            "mois": ["2024-01", "2024-02", "2024-01", "2024-02"], "ventilation": ["ensemble"] * 4,
                            "modalite": ["ensemble"] * 4, "statut": ["definitif", "secret", "secret", "definitif"]})
    assert exposed_stock_copies(yearly, monthly, ["beneficiaires_sdd"])["copie_revelatrice"].to_list() == [
        "beneficiaires_sdd | departement 56 | 2024 (copie de 2024-02, secret)", None]


def tampered_export(published, tmp_path, shown: dict[str, tuple[str, int, int]]):
    """A copy of the published folder whose yearly files show the taux_orientation_15j cells of
    `shown` (code → (valeur text, numerateur, denominateur)), and the gate's Expected."""
    settings, folder = published
    bad = tmp_path / "export"
    shutil.copytree(folder, bad, ignore=shutil.ignore_patterns("validation"))
    rate = pl.col("indicateur") == "taux_orientation_15j"
    for code, (text_value, num, den) in shown.items():
        hit = rate & (pl.col("code_territoire") == code)
        for path, value in ((bad / "indicateurs_annuels.parquet", pl.lit(num / den)),
                            (bad / "indicateurs_annuels.csv", pl.lit(text_value))):
            as_text = path.suffix == ".csv"
            frame = pl.read_csv(path, infer_schema=False) if as_text else pl.read_parquet(path)
            typed = (lambda v: pl.lit(str(v))) if as_text else (lambda v: pl.lit(v, pl.Int64))  # noqa: E731
            frame = frame.with_columns(
                valeur=pl.when(hit).then(value).otherwise(pl.col("valeur")),
                numerateur=pl.when(hit).then(typed(num)).otherwise(pl.col("numerateur")),
                denominateur=pl.when(hit).then(typed(den)).otherwise(pl.col("denominateur")),
                statut=pl.when(hit).then(pl.lit("provisoire")).otherwise(pl.col("statut")),
                motif_valeur_vide=pl.when(hit).then(None).otherwise(pl.col("motif_valeur_vide")))
            frame.write_csv(path) if as_text else frame.write_parquet(path)
    with open_snapshot(settings) as snap:
        dim = snap.frame("dim_indicateurs")
        expected = expected_from(snap, indicator_kinds(dim), snap.frame("indicateurs"), snap.frame("dim_territoires"),
                                 decimals=indicator_decimals(dim))
    expected.yearly_stock = ["beneficiaires_sdd"]
    return bad, expected


def refusal(folder, expected) -> list[str]:
    with pytest.raises(PublicationRefusee) as refused:
        check_export(folder, expected, 11)
    return refused.value.failures


def test_gate_refuses_a_yearly_table_with_a_visible_secret_cell(published, tmp_path):
    failures = refusal(*tampered_export(published, tmp_path, {"56": ("0.1600", 4, 25)}))
    assert [f.split(" — ")[0] for f in failures] == [
        "annuels_valeurs : expect_column_values_to_not_be_in_set (column=numerateur)"]
    assert failures[0].endswith("1 ligne(s), ex. 4")


def test_gate_attacks_the_yearly_table(published, tmp_path):
    """53 and 35 shown, 56 still secret: 56 = 53 − 35 = 19 − 15 = 4 (its denominator, 25, is no
    secret); 53 and 35 themselves are guarded (their January is secret): published, each names
    its two quantities."""
    folder, expected = tampered_export(published, tmp_path, {"53": ("0.3585", 19, 53), "35": ("0.5357", 15, 28)})
    failures = refusal(folder, expected)
    attack = [f for f in failures if f.startswith("annuels_attaque")]
    assert len(attack) == 1 and " — 9 ligne(s), ex. " in attack[0]
    assert not [f for f in failures if f.startswith(("indicateurs_", "attaque", "couverture", "annuels_valeurs"))]
    # the nine: 35 and 53 published; B35 (= 35) and FR (= 53 + 93) then determined, guarded; 56's numerator
    frames = yearly_frames(folder, expected, 11, pl.read_csv(folder / "indicateurs.csv", infer_schema=False), {})
    shown, exact = "publiée alors qu'un mois de l'année est secret", "valeur déterminée exactement"
    assert sorted(frames["annuels_attaque"]["cellule_exposee"]) == sorted(
        [f"taux_orientation_15j ({q}) | {t} | 2024 : {how}" for q in ("numerateur", "denominateur")
         for t, how in (("departement 35", shown), ("region 53", shown), ("bassin B35", exact), ("national FR", exact))]
        + [f"taux_orientation_15j (numerateur) | departement 56 | 2024 : {exact}"])


def test_gate_refuses_a_yearly_figure_that_gives_a_secret_month_by_subtraction(published, tmp_path):
    """B13's January is secret (20 of 30) and its February published (30 of 40): its yearly figure,
    published, would give January by subtraction. B13 is not a subtraction of published yearly
    cells either (13 is not closed: BX spans it), so the gate names B13 alone, both quantities."""
    failures = refusal(*tampered_export(published, tmp_path, {"B13": ("0.6667", 40, 60)}))
    attack = [f for f in failures if f.startswith("annuels_attaque")]
    assert attack == ["annuels_attaque : expect_column_values_to_be_null (column=cellule_exposee) — 2 ligne(s), ex. "
                      "taux_orientation_15j (numerateur) | bassin B13 | 2024 : publiée alors qu'un mois de l'année "
                      "est secret, taux_orientation_15j (denominateur) | bassin B13 | 2024 : publiée alors qu'un mois "
                      "de l'année est secret"]


def test_revisions_cover_the_yearly_figures(snapshot):
    first = export_opendata(snapshot, DAY)
    ind = indicateurs_frame()
    bumped = pl.col("code_territoire").is_in(["FR", "93", "84", "B84"]) & (pl.col("indicateur") == "taux_orientation_15j")
    yearly = yearly_frame(ind).with_columns(
        numerateur=pl.when(bumped).then(pl.col("numerateur") + 1).otherwise(pl.col("numerateur")))
    yearly = yearly.with_columns(
        valeur=pl.when(bumped).then(pl.col("numerateur") / pl.col("denominateur")).otherwise(pl.col("valeur")))
    make_snapshot(snapshot, extra={"indicateurs_annuels": yearly})
    second = export_opendata(snapshot, date(2024, 4, 2))
    revisions = pl.read_csv(second / "revisions.csv", infer_schema=False)
    assert revisions.columns[-2:] == ["fichier", "annee"]
    assert revisions.select("fichier", "indicateur", "code_territoire", "mois", "annee", "valeur_precedente",
                            "valeur_nouvelle", "motif", "publication_precedente").rows() == [
        ("indicateurs_annuels.csv", "taux_orientation_15j", "B84", None, "2024", "0.7000", "0.7200",
         "nouvelle_livraison", first.name),
        ("indicateurs_annuels.csv", "taux_orientation_15j", "84", None, "2024", "0.7000", "0.7200",
         "nouvelle_livraison", first.name),
        ("indicateurs_annuels.csv", "taux_orientation_15j", "93", None, "2024", "0.7308", "0.7385",
         "nouvelle_livraison", first.name)]


def test_a_target_of_an_indicator_not_computed_yet_is_published_without_label():
    from publication.cibles import cibles_table
    from publication.schema import cibles_schema
    from publication_fixture import INDICATEURS_DIM, TERRITOIRES

    dim = pl.DataFrame(INDICATEURS_DIM, orient="row", schema=["indicateur", "ordre", "libelle", "type_indicateur",
                                                              "unite", "definition", "sources", "regle_maturite"])
    terr = pl.DataFrame(TERRITOIRES, orient="row", schema=["niveau", "code_territoire", "libelle_territoire",
                                                           "code_region", "code_departement"])
    cibles = pl.DataFrame({"indicateur": ["part_stock_oriente"], "niveau": ["departement"], "code_territoire": ["35"],
                           "mois": [date(2025, 1, 1)], "valeur_cible": [1.0], "sens": ["minimum"],
                           "source": ["Instruction 2023/192, l.772–776"]})
    assert cibles_table(cibles, dim, terr, {"taux_orientation_15j": 4}).row(0) == (
        "part_stock_oriente", None, "departement", "35", "Ille-et-Vilaine", "2025-01", "1.0000", "minimum",
        "Instruction 2023/192, l.772–776", "35", "53", None, None)
    fields = {f["name"]: f for f in cibles_schema(["taux_orientation_15j"])["fields"]}
    assert "constraints" not in fields["libelle_indicateur"]


def _store_masked_tables(path, threshold=11):
    """What the snapshot asset does at publication: the monthly then the yearly masked tables."""
    from publication.annuels import store_masked_yearly
    from publication.table import store_masked_table

    con = duckdb.connect()
    try:
        con.execute(f"attach '{path}' as snap")
        store_masked_table(con, "snap", threshold)
        summary = store_masked_yearly(con, "snap", threshold)
        con.execute("detach snap")
    finally:
        con.close()
    return summary


def test_yearly_cells_masked_once_at_the_snapshot_then_read_by_the_open_data(published, socle_env, monkeypatch):
    """The yearly table is masked with the monthly one when the snapshot is published; the open
    data reads it there (no masking at export) and publishes exactly what masking at export gave."""
    from publication import export_opendata
    from socle import masking

    path = make_snapshot(socle_env)
    summary = _store_masked_tables(path)
    assert (summary["cellules_stock"], summary["cellules_masquees"]) == (11, 13)
    with duckdb.connect(str(path), read_only=True) as con:
        stored = con.sql("select * from publie.indicateurs_annuels_masques").pl()
    assert stored.height == 33 and set(stored["seuil_secret"].to_list()) == {11}
    assert sorted(stored.filter(pl.col("statut") == "secret").select("indicateur", "code_territoire").rows()) == sorted(
        [("taux_orientation_15j", code) for code in ("FR", "53", "35", "56", "B13", "B35", "BX")]
        + [("delai_orientation_moyen_j", code) for code in ("FR", "53", "35", "B13", "B35", "BX")])

    def forbidden(*args, **kwargs):
        raise AssertionError("the open data must read the masked tables of the snapshot, not mask again")

    monkeypatch.setattr(masking, "mask_with_report", forbidden)
    monkeypatch.setattr("publication.annuels.mask_with_report", forbidden)
    folder = export_opendata(socle_env, DAY)
    _, masked_at_export = published
    assert ((folder / "indicateurs_annuels.csv").read_text(encoding="utf-8")
            == (masked_at_export / "indicateurs_annuels.csv").read_text(encoding="utf-8"))


def test_the_dashboard_cards_show_the_year_beside_the_month_as_the_open_data_does(socle_env):
    """Issue #19: the year beside the month, from the same masked yearly table (2024 holds January
    and February only: « de janvier à février »); a secret yearly cell says « secret »."""
    import re
    from html import unescape

    import streamlit as st

    from dashboards import data, queries, style

    _store_masked_tables(make_snapshot(socle_env))
    st.cache_data.clear()
    st.cache_resource.clear()
    snap = data.courant()

    def year_line(code: str, indicateur: str) -> str:
        rows = queries.cartes(snap.cle, NIVEAU[code], code, date(2024, 2, 1))
        card = style.carte(rows.filter(pl.col("indicateur") == indicateur).row(0, named=True), None, date(2024, 2, 1))
        return unescape(re.search(r'<p class="socle-ligne socle-annee">(.*?)</p>', card).group(1))

    assert year_line("13", "taux_orientation_15j") == "Année 2024, de janvier à février : 75,0\u00a0%\u00a0(p)"
    assert year_line("35", "taux_orientation_15j") == "Année 2024, de janvier à février : secret"
    assert year_line("13", "delai_orientation_moyen_j") == "Année 2024, de janvier à février : 8,3\u00a0j\u00a0(p)"
    # January is secret for the nation: its yearly figure would give it by subtraction
    assert year_line("FR", "delai_orientation_moyen_j") == "Année 2024, de janvier à février : secret"
    # the cards' download carries the same yearly figures (bloc « annee », `annee` filled, `mois` empty)
    from dataclasses import replace

    from dashboards import exports

    # the fixture's dimension has no `decimales` (the seed's column): rates 4, delays 1, counts 0
    decimales = pl.col("type_indicateur").replace_strict({"taux": 4, "delai_moyen": 1}, default=0)
    snap_d = replace(snap, indicateurs=snap.indicateurs.with_columns(decimales=decimales))
    for code, want in (("13", ("0.7500", "60", "80", "provisoire")), ("35", ("", "", "", "secret"))):
        rows = exports.table(snap_d, "annee", queries.annee_long(snap.cle, NIVEAU[code], code, date(2024, 2, 1)))
        text = exports.csv(rows).decode("utf-8-sig")
        got = pl.read_csv(text.encode(), infer_schema=False).fill_null("").filter(
            pl.col("indicateur") == "taux_orientation_15j")
        assert got.select("bloc", "mois", "annee", "valeur", "numerateur", "denominateur", "statut").rows() == [
            ("annee", "", "2024", *want)]


def test_month_guards_name_the_yearly_quantities_secret_in_a_month_of_their_year(published):
    """From the published monthly table: a yearly quantity is guarded when no published cell shows
    its population in some month of the year (January: the rate's two quantities of FR, 53, 35,
    B13, B35, BX; the delay's denominator of FR, 53, 35, B35, BX); a population shown by a
    published cell in every month is not (B13's delay: 13 in January)."""
    from publication.annuels import with_month_guards

    _, folder = published
    monthly = pl.read_csv(folder / "indicateurs.csv", infer_schema=False)
    flows = yearly_frame(indicateurs_frame()).filter(pl.col("indicateur") != "beneficiaires_sdd")
    guarded = with_month_guards(flows, monthly)
    assert guarded.columns[-2:] == ["garde_numerateur", "garde_denominateur"]
    rows = guarded.filter(pl.col("garde_numerateur") | pl.col("garde_denominateur"))
    assert sorted(rows.select("indicateur", "code_territoire", "garde_numerateur", "garde_denominateur").rows()) == sorted(
        [("taux_orientation_15j", c, True, True) for c in ("FR", "53", "35", "B13", "B35", "BX")]
        + [("delai_orientation_moyen_j", c, False, True) for c in ("FR", "53", "35", "B35", "BX")])
    # the same from the snapshot's masked table (months as dates)
    dated = monthly.with_columns(pl.col("mois").str.to_date("%Y-%m"))
    assert with_month_guards(flows, dated).equals(guarded)
