"""The stock funnel and the parcours after orientation on the territory dashboard (issue #19).

The snapshot's units of Ille-et-Vilaine (35) and Haute-Corse (2B) are set by hand for June 2024 (the
last month), so every figure below is computed by hand from these lines:

35 = 351 + 352 + 353 + 354            stock   orientés  inscrits FT  contrat  1er RDV < 30 j  RDV < 9 mois
    351 Fougères-Vitré                3 000     2 400      1 200       1 801        55 / 100     80 (30 j)
    352 Redon                         2 500     2 000      1 000       1 500        50 / 100     80 (40 j)
    353 Rennes                        2 000     1 600        800       1 200        45 / 100     80 (50 j)
    354 Saint-Malo                    1 500     1 200        600         900        40 / 100     80 (24 j)
    total                             9 000     7 200      3 600       5 401       190 / 400    320
→ en attente 9 000 − 7 200 = 1 800 ; part orientée 7 200 / 9 000 = 80,0 % ; inscrits 3 600 / 9 000 = 40,0 % ;
  contrat 5 401 / 7 200 = 75,01… % → 75,0 % ; 1er RDV < 30 j 190 / 400 = 47,5 % ;
  délai moyen (30 + 40 + 50 + 24) × 80 / 320 = 36,0 j ; médian (the snapshot's rule: 0,95 × moyen) 34,2 j.
  Maturity lags of the test snapshot: stock définitif, orientations and contracts provisoire (1 month),
  inscriptions définitif, parcours provisoire.

2B = 2B2 + 2B3 + 2B5: stock 60 + 50 + 40 = 150, orientés 57 + 48 + 37 = 142, en attente 3 + 2 + 3 = 8
→ below the threshold (11): secret; its complement in stock = orientés + en attente is the orientés
  count (and with it the orientation and contract rates); inscrits 30 + 20 + 22 = 72 / 150 = 48,0 %.
"""

from __future__ import annotations

import math
import re
from datetime import date
from html import unescape

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from fabrique_instantane import build
from outils_tableaux import APP, figure, masque

JUIN = date(2024, 6, 1)
NB = "\u00a0"


def _unite(sdd, ori, ins, con, r30, jours):
    return dict(sdd=sdd, ori=ori, ins=ins, con=con, ne=120, o1m=70, o15=40, dden=100, intens=300, r30=r30, r9=80,
                rsum=80 * jours)


FIXES = {
    ("351", JUIN): _unite(3000, 2400, 1200, 1801, 55, 30),
    ("352", JUIN): _unite(2500, 2000, 1000, 1500, 50, 40),
    ("353", JUIN): _unite(2000, 1600, 800, 1200, 45, 50),
    ("354", JUIN): _unite(1500, 1200, 600, 900, 40, 24),
    ("2B2", JUIN): dict(sdd=60, ori=57, ins=30, con=40),
    ("2B3", JUIN): dict(sdd=50, ori=48, ins=20, con=30),
    ("2B5", JUIN): dict(sdd=40, ori=37, ins=22, con=25),
}


@pytest.fixture
def instantane(home):
    snap = build(home, petits={"2B": 0.01, "2A": 0.2}, fixes=FIXES)
    # targets of the stock rates in June 2024 (the shipped ones start in 2025): 100 % minimum
    with duckdb.connect(str(snap.path)) as con:
        for ind, code in (("part_stock_oriente", "35"), ("part_stock_oriente", "2B"), ("part_stock_inscrit_ft", "2B")):
            con.execute("insert into marts.cibles values (?, 'departement', ?, ?, 1.0, 'minimum', 'test')",
                        [ind, code, JUIN])
    return snap


def lancer(**params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def etapes(at: AppTest) -> dict[str, tuple[str, str, str, str, str]]:
    """Per step: (label, persons, share, status, target) as the funnel table shows them."""
    html = [m.value for m in at.markdown if "socle-etapes" in m.value]
    assert len(html) == 1
    out = {}
    for code, libelle, cells in re.findall(r'<tr data-etape="([^"]+)"><th scope="row">(.*?)</th>(.*?)</tr>',
                                           html[0], re.S):
        vals = [unescape(v) for v in re.findall(r"<td[^>]*>(.*?)</td>", cells)]
        out[code] = (unescape(libelle), *vals)
    return out


def graphique(at: AppTest):
    charts = [c for c in at.get("vega_lite_chart") if '"etape"' in c.proto.spec]
    assert len(charts) == 1
    return charts[0].proto


def valeurs(chart) -> list[dict]:
    """The rows drawn by the chart (Streamlit moves the spec's inline values into an Arrow table)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    rows = convert_arrow_bytes_to_pandas_df(chart.data.data).to_dict("records")
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()} for r in rows]


def cartes_parcours(at: AppTest) -> dict[str, str]:
    html = [m.value for m in at.markdown if 'class="socle-parcours"' in m.value]
    assert len(html) == 1
    return {code: unescape(v) for code, v in re.findall(
        r'<div class="[^"]*socle-carte" data-indicateur="([^"]+)".*?<div class="socle-valeur[^"]*">(.*?)</div>',
        html[0], re.S)}


def test_funnel_of_ille_et_vilaine_hand_computed(instantane):
    at = lancer(niveau="departement", code="35", mois="2024-06")
    assert etapes(at) == {
        "stock": ("Bénéficiaires soumis aux droits et devoirs", f"9{NB}000", "—", "définitif", "—"),
        "orientes": ("Orientés par leur département", f"7{NB}200", f"80,0{NB}% du stock", "provisoire",
                     f"Cible : 100{NB}% — écart : −20,0{NB}points, non atteinte"),
        "contrat": ("Orientés ayant signé leur contrat d'engagement (CER ou PPAE)", f"5{NB}401",
                    f"75,0{NB}% des orientés", "provisoire", "—"),
        "inscrits_ft": ("Inscrits à France Travail", f"3{NB}600", f"40,0{NB}% du stock", "définitif", "—"),
        "attente": ("En attente d'orientation", f"1{NB}800", "—", "provisoire", "—"),
    }
    chart = graphique(at)
    assert chart.alt == (
        f"Entonnoir du stock, Ille-et-Vilaine, juin 2024. Bénéficiaires soumis aux droits et devoirs : 9{NB}000 ; "
        f"Orientés par leur département : 7{NB}200 (80,0{NB}% du stock), provisoire ; Orientés ayant signé leur "
        f"contrat d'engagement (CER ou PPAE) : 5{NB}401 (75,0{NB}% des orientés), provisoire ; Inscrits à France "
        f"Travail : 3{NB}600 (40,0{NB}% du stock) ; En attente d'orientation : 1{NB}800, provisoire.")
    values = valeurs(chart)
    assert [(v["effectif"], v["statut"]) for v in values] == [
        (9000, "définitif"), (7200, "provisoire"), (5401, "provisoire"), (3600, "définitif"), (1800, "provisoire")]
    text = unescape("\n".join(m.value for m in at.markdown))
    assert "Entonnoir du stock — juin 2024" in [h.value for h in at.header]
    assert "ancienneté de leur droit est publiée pour la France seulement" in "\n".join(c.value for c in at.caption)
    assert "Parcours après orientation — juin 2024" in [h.value for h in at.header]
    assert cartes_parcours(at) == {"taux_premier_rdv_30j": f"47,5{NB}%", "delai_premier_rdv_moyen_j": f"36,0{NB}j",
                                   "delai_premier_rdv_median_j": f"34,2{NB}j"}
    assert "Délai moyen du premier rendez-vous d'accompagnement depuis la réception de la notification (T0)" in text
    # the parcours figures are provisoire in June 2024: their cards say so
    parcours = [m.value for m in at.markdown if 'class="socle-parcours"' in m.value][0]
    assert parcours.count("socle-badge-provisoire") == 3


def test_masked_step_shows_secret_and_nothing_derived(instantane):
    # the masking really hides the waiting count of 2B, and the orientés count as its complement
    masked = masque(instantane.path)
    assert figure(masked, "beneficiaires_en_attente_orientation", "departement", "2B", JUIN)["statut"] == "secret"
    assert figure(masked, "beneficiaires_orientes", "departement", "2B", JUIN)["statut"] == "secret"
    at = lancer(niveau="departement", code="2B", mois="2024-06")
    assert etapes(at) == {
        "stock": ("Bénéficiaires soumis aux droits et devoirs", "150", "—", "définitif", "—"),
        "orientes": ("Orientés par leur département", "secret", "secret", "secret statistique",
                     f"Cible : 100{NB}% — écart non publiable (secret statistique)"),
        "contrat": ("Orientés ayant signé leur contrat d'engagement (CER ou PPAE)", "secret", "secret",
                    "secret statistique", "—"),
        "inscrits_ft": ("Inscrits à France Travail", "72", f"48,0{NB}% du stock", "définitif",
                        f"Cible : 100{NB}% — écart : −52,0{NB}points, non atteinte"),
        "attente": ("En attente d'orientation", "secret", "—", "secret statistique", "—"),
    }
    chart = graphique(at)
    values = valeurs(chart)
    assert [v["effectif"] for v in values] == [150, None, None, 72, None]  # no bar for a masked step
    assert [v["affiche"] for v in values] == ["150", "secret", "secret", "72", "secret"]
    # 150 − 142 = 8 and 150 − 8 = 142: neither figure appears anywhere on the page
    page = unescape("\n".join(m.value for m in at.markdown)) + chart.alt + chart.spec
    assert not re.search(r"(?<![\d,])(142|8)(?![\d,])", chart.alt + str(values))
    assert "En attente d'orientation : secret" in chart.alt
    assert f"{NB}142" not in page and ">142<" not in page
    # no first-appointment population in Haute-Corse this month: the cards say so, no figure
    assert cartes_parcours(at) == {"taux_premier_rdv_30j": "sans objet", "delai_premier_rdv_moyen_j": "sans objet",
                                   "delai_premier_rdv_median_j": "sans objet"}


def test_masked_rate_is_never_computed_back_from_the_published_counts():
    """Orientés published (7 200), contract rate masked: the contract step shows « secret » for both its
    count and its share (never 7 200 × a rate, nor a difference); a missing row says « non calculé »."""
    from dashboards import entonnoir

    def row(statut, valeur=None, numerateur=None, denominateur=None):
        return {"statut": statut, "valeur": valeur, "numerateur": numerateur, "denominateur": denominateur,
                "attendu_en": None}

    liste = entonnoir.etapes({
        "beneficiaires_sdd": row("definitif", 9000.0, 9000),
        "beneficiaires_orientes": row("definitif", 7200.0, 7200),
        "part_stock_oriente": row("definitif", 0.8, 7200, 9000),
        "part_orientes_contrat_signe": row("secret"),
        "beneficiaires_en_attente_orientation": row("definitif", 0.0, 0),
    })
    assert [(e.code, e.effectif, e.effectif_texte, e.part_texte, e.statut_texte) for e in liste] == [
        ("stock", 9000, f"9{NB}000", None, "définitif"),
        ("orientes", 7200, f"7{NB}200", f"80,0{NB}% du stock", "définitif"),
        ("contrat", None, "secret", "secret", "secret statistique"),
        ("inscrits_ft", None, "non calculé", "non calculé", "—"),
        ("attente", 0, "0", None, "définitif"),
    ]
