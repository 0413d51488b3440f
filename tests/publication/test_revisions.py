"""revisions.csv: a figure that changed between two publications, with old and new value and reason."""

from __future__ import annotations

import json
from datetime import date

import polars as pl

from publication import export_opendata
from publication.revisions import compute_revisions, replaced_months
from publication_fixture import LIVRAISONS, indicateurs_frame, livraisons_frame, make_snapshot, with_sexe_breakdown

DAY1, DAY2 = date(2024, 3, 5), date(2024, 4, 2)


def second_snapshot_mart() -> pl.DataFrame:
    """2024-01 CAF file re-delivered: 13 (and 93, FR, B13) gain one beneficiary. February rates mature
    (all definitif) and 35 gains one oriented entrant (and 53, FR, B35). The February mean delay of 13
    moves while still provisional."""
    ind = indicateurs_frame()
    jan, feb = date(2024, 1, 1), date(2024, 2, 1)
    bump = (pl.col("indicateur") == "beneficiaires_sdd") & (pl.col("mois") == jan) & pl.col("code_territoire").is_in(
        ["13", "93", "FR", "B13"])
    rate = (pl.col("indicateur") == "taux_orientation_15j") & (pl.col("mois") == feb)
    oriented = rate & pl.col("code_territoire").is_in(["35", "53", "FR", "B35"])
    delay = (pl.col("indicateur") == "delai_orientation_moyen_j") & (pl.col("mois") == feb) & (
        pl.col("code_territoire") == "13")
    num = pl.when(bump | oriented).then(pl.col("numerateur") + 1).otherwise(pl.col("numerateur"))
    return ind.with_columns(
        numerateur=num,
        valeur=pl.when(bump).then(pl.col("valeur") + 1).when(oriented).then(num / pl.col("denominateur"))
        .when(delay).then(pl.lit(6.24)).otherwise(pl.col("valeur")),
        statut=pl.when(rate).then(pl.lit("definitif")).otherwise(pl.col("statut")))


def test_revisions_between_two_publications(snapshot):
    first = export_opendata(snapshot, DAY1)
    assert pl.read_csv(first / "revisions.csv").height == 0
    redelivered = [l for l in LIVRAISONS if l[0] != "L-rsa-2024-01"] + [
        ("L-rsa-2024-01-bis", "rsa", "caf", "2024-01-01", "f" * 64)]
    make_snapshot(snapshot, indicateurs=second_snapshot_mart(), livraisons=livraisons_frame(
        redelivered, replaced=[("L-rsa-2024-01", "rsa", "caf", "2024-01-01", "b" * 64, "L-rsa-2024-01-bis")]))
    second = export_opendata(snapshot, DAY2)
    revisions = pl.read_csv(second / "revisions.csv", infer_schema=False)
    got = {(r["indicateur"], r["code_territoire"], r["mois"]): (
        r["valeur_precedente"], r["valeur_nouvelle"], r["statut_precedent"], r["statut_nouveau"], r["motif"])
        for r in revisions.iter_rows(named=True)}
    assert got == {
        ("beneficiaires_sdd", "13", "2024-01"): ("300", "301", "definitif", "definitif", "correction"),
        ("beneficiaires_sdd", "93", "2024-01"): ("340", "341", "definitif", "definitif", "correction"),
        ("beneficiaires_sdd", "FR", "2024-01"): ("465", "466", "definitif", "definitif", "correction"),
        ("beneficiaires_sdd", "B13", "2024-01"): ("200", "201", "definitif", "definitif", "correction"),
        ("taux_orientation_15j", "35", "2024-02"): ("0.6000", "0.6500", "provisoire", "definitif", "maturite"),
        ("taux_orientation_15j", "53", "2024-02"): ("0.5400", "0.5600", "provisoire", "definitif", "maturite"),
        ("taux_orientation_15j", "FR", "2024-02"): ("0.6692", "0.6767", "provisoire", "definitif", "maturite"),
        ("taux_orientation_15j", "B35", "2024-02"): ("0.6000", "0.6500", "provisoire", "definitif", "maturite"),
        ("delai_orientation_moyen_j", "13", "2024-02"): ("5.1", "6.2", "provisoire", "provisoire",
                                                         "nouvelle_livraison"),
    }
    row = revisions.filter((pl.col("indicateur") == "taux_orientation_15j") & (pl.col("code_territoire") == "35"))
    assert row.select("numerateur_precedent", "numerateur_nouveau", "denominateur_precedent",
                      "denominateur_nouveau", "publication_precedente").row(0) == ("12", "13", "20", "20", "2024-03-05-01")
    manifest = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["publication_precedente"] == "2024-03-05-01" and manifest["revisions"] == 9
    assert "Publication précédente : 2024-03-05-01 (9 chiffres révisés" in (second / "README.md").read_text(encoding="utf-8")
    assert (snapshot.opendata / "latest").readlink().name == "2024-04-02-01"
    assert (first / "indicateurs.csv").exists()  # earlier publications stay


def test_revisions_cover_the_breakdown_rows(snapshot):
    """The same two publications with the nation's `sexe` breakdown (H: 3 of each département's
    quantity, F the rest). January's CAF file re-sent: the stock of 13 gains one person, so F of
    the nation goes from 465 − 12 = 453 to 454 (correction); February's rates mature and 35 gains
    an oriented entrant: F's numerator goes from 89 − 12 = 77 to 78 (maturite). H does not move
    and is not listed; every other category of the two files is unchanged or secret in both."""
    make_snapshot(snapshot, indicateurs=with_sexe_breakdown(indicateurs_frame()))
    export_opendata(snapshot, DAY1)
    redelivered = [l for l in LIVRAISONS if l[0] != "L-rsa-2024-01"] + [
        ("L-rsa-2024-01-bis", "rsa", "caf", "2024-01-01", "f" * 64)]
    make_snapshot(snapshot, indicateurs=with_sexe_breakdown(second_snapshot_mart()), livraisons=livraisons_frame(
        redelivered, replaced=[("L-rsa-2024-01", "rsa", "caf", "2024-01-01", "b" * 64, "L-rsa-2024-01-bis")]))
    second = export_opendata(snapshot, DAY2)
    revisions = pl.read_csv(second / "revisions.csv", infer_schema=False).filter(pl.col("ventilation") == "sexe")
    got = {(r["indicateur"], r["code_territoire"], r["mois"], r["modalite"]): (
        r["numerateur_precedent"], r["numerateur_nouveau"], r["denominateur_precedent"], r["denominateur_nouveau"],
        r["statut_precedent"], r["statut_nouveau"], r["motif"]) for r in revisions.iter_rows(named=True)}
    assert got == {
        ("beneficiaires_sdd", "FR", "2024-01", "F"): ("453", "454", None, None, "definitif", "definitif", "correction"),
        ("taux_orientation_15j", "FR", "2024-02", "F"): ("77", "78", "121", "121", "provisoire", "definitif",
                                                         "maturite"),
    }


def _published(rows):
    return pl.DataFrame(rows, orient="row", schema=["indicateur", "niveau", "code_territoire", "mois", "ventilation",
                                                    "modalite", "valeur", "numerateur", "denominateur", "statut"])


def test_secret_transitions_and_vanished_rows():
    key = ("x", "departement", "35", "2024-01", "ensemble", "ensemble")
    key2 = ("x", "departement", "56", "2024-01", "ensemble", "ensemble")
    key3 = ("x", "departement", "13", "2024-01", "ensemble", "ensemble")
    before = _published([(*key, "12", "12", None, "provisoire"), (*key2, None, None, None, "secret"),
                         (*key3, "40", "40", None, "provisoire")])
    after = _published([(*key, None, None, None, "secret"), (*key2, "15", "15", None, "provisoire")])
    out = compute_revisions(before, after, "2024-03-05", set())
    assert out.select("code_territoire", "valeur_precedente", "valeur_nouvelle", "statut_nouveau", "motif").rows() == [
        ("13", "40", None, None, "correction"),
        ("35", "12", None, "secret", "nouvelle_livraison"),
        ("56", None, "15", "provisoire", "nouvelle_livraison")]
    # a statut change alone is not a revision
    same = _published([(*key, "12", "12", None, "definitif")])
    assert compute_revisions(before.head(1), same, "2024-03-05", set()).height == 0


def test_replaced_months_from_the_manifests():
    previous = {"livraisons": [{"id_livraison": "a", "type_fichier": "rsa", "producteur": "caf", "mois": "2024-01-01",
                                "sha256": "1"},
                               {"id_livraison": "b", "type_fichier": "rsa", "producteur": "caf", "mois": "2024-02-01",
                                "sha256": "2"}]}
    current = [{"id_livraison": "a", "type_fichier": "rsa", "producteur": "caf", "mois": "2024-01-01", "sha256": "1"},
               {"id_livraison": "c", "type_fichier": "rsa", "producteur": "caf", "mois": "2024-02-01", "sha256": "3"},
               {"id_livraison": "d", "type_fichier": "rsa", "producteur": "caf", "mois": "2024-03-01", "sha256": "4"}]
    assert replaced_months(previous, current) == {"2024-02"}
    assert replaced_months(None, current) == set()
