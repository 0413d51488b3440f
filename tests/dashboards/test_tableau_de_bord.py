"""The territory dashboard under AppTest: URL ↔ selection, cards, comparisons, table, timing."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import formatting as fmt
from fabrique_instantane import INDICATEURS, build
from outils_tableaux import APP, figure, masque

TYPES = {c: t for c, _o, _l, t, _u, _r in INDICATEURS}
RETOUR = ("taux_retour_emploi_6m", "taux_retour_emploi_durable_6m")  # 6-month window (fenetres_observation.csv)
EN_COURS = "fenêtre d'observation en cours"


def lancer(**params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def html_de(at: AppTest, marker: str) -> str:
    found = [m.value for m in at.markdown if marker in m.value]
    assert found, marker
    return found[0]


def cartes(at: AppTest) -> dict[str, dict]:
    """Per indicator: the big figure, and the parent / France comparison texts."""
    out = {}
    for block in re.findall(r'<div class="fr-card fr-card--no-arrow socle-carte" data-indicateur="([^"]+)" '
                            r'data-statut="([^"]*)">(.*?)</div></div></div>(?=<div class="fr-card |</div>$)',
                            html_de(at, "socle-grille"), re.S):
        code, statut, inner = block
        valeur = unescape(re.search(r'<div class="socle-valeur[^"]*">(.*?)</div>', inner).group(1))
        comps = dict((unescape(a), unescape(b)) for a, b in re.findall(r'(?:^|· |">)([^<>·]+?) : <b>(.*?)</b>',
                                                                        inner.split("socle-comparaison")[-1]))
        out[code] = {"statut": statut, "valeur": valeur, "comparaisons": comps, "html": inner}
    return out


def attendu_carte(f: dict) -> str:
    if f["statut"] == "secret":
        return "secret"
    if f["valeur"] is None:
        return fmt.cellule(None, f["statut"], TYPES[f["indicateur"]], f["denominateur"])
    return fmt.valeur(f["valeur"], TYPES[f["indicateur"]])


def test_departement_from_url_cards_match_masked_marts(instantane):
    at = lancer(niveau="departement", code="2B")
    m = instantane.mois[-1]
    expected = masque(instantane.path)
    shown = cartes(at)
    assert list(shown) == [c for c, *_ in INDICATEURS]
    n_secret = 0
    for code, card in shown.items():
        f = figure(expected, code, "departement", "2B", m)
        if code in RETOUR:  # June 2024's cohort is followed until December 2024: no result yet
            assert card["valeur"] == EN_COURS + " — résultat attendu en décembre 2024"
            assert card["comparaisons"] == {"Corse": EN_COURS, "France": EN_COURS}
            continue
        assert card["valeur"] == attendu_carte(f), code
        assert card["statut"] == f["statut"]
        if f["statut"] == "secret":
            n_secret += 1
            assert not re.search(r"\d", card["valeur"])
            assert "secret statistique" in card["html"]
        elif f["statut"] == "provisoire":
            assert "provisoire" in card["html"]
        # parent (Corse) and nation at M, masked the same way
        for label, niveau, terr in (("Corse", "region", "94"), ("France", "national", "FR")):
            g = figure(expected, code, niveau, terr, m)
            assert card["comparaisons"][label] == fmt.cellule(g["valeur"], g["statut"], TYPES[code], g["denominateur"])
    assert n_secret >= 1  # Haute-Corse's new entrants are secret in the fixture
    assert shown["nouveaux_entrants"]["valeur"] == "secret"
    assert at.query_params["niveau"] == ["departement"] or at.query_params["niveau"] == "departement"
    # the bassins of this screen are arrondissements: the screen says so
    assert any("arrondissements du Code officiel géographique" in md.value for md in at.markdown)


def test_table_of_sub_territories_is_masked(instantane):
    at = lancer(niveau="departement", code="2B")
    table = html_de(at, "socle-table")
    expected = masque(instantane.path)
    m = instantane.mois[-1]
    rows = dict(re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', table, re.S))
    assert set(rows) == {"2B2", "2B3", "2B5"}
    n_secret = 0
    for code, row in rows.items():
        for ind, text in re.findall(r'<td class="[^"]*" data-indicateur="([^"]+)">(.*?)</td>', row):
            f = figure(expected, ind, "bassin", code, m)
            if ind in RETOUR:
                assert unescape(text) == EN_COURS
                continue
            assert unescape(text) == fmt.cellule(f["valeur"], f["statut"], TYPES[ind], f["denominateur"])
            if f["statut"] == "secret":
                n_secret += 1
                assert unescape(text) == "secret"
    assert n_secret > 0


def test_table_sorts_by_value_with_masked_cells_last(instantane):
    at = lancer(niveau="region", code="53")
    at.selectbox(key="tri_tableau").select("beneficiaires_sdd").run()
    rows = re.findall(r'<tr data-code="([^"]+)">.*?data-indicateur="beneficiaires_sdd">(.*?)</td>',
                      html_de(at, "socle-table"), re.S)
    values = [int(unescape(v).replace("\u00a0", "").replace("(p)", "")) for _, v in rows]
    assert values == sorted(values, reverse=True)  # décroissant by default for an indicator
    at.segmented_control(key="ordre_beneficiaires_sdd").set_value("croissant").run()
    rows = re.findall(r'<tr data-code="([^"]+)">.*?data-indicateur="beneficiaires_sdd">(.*?)</td>',
                      html_de(at, "socle-table"), re.S)
    assert [int(unescape(v).replace("\u00a0", "")) for _, v in rows] == sorted(values)


def test_widgets_update_the_url(instantane):
    at = lancer()
    assert at.query_params.get("niveau") in ("national", ["national"])
    html_de(at, "socle-grille")
    at.radio(key="w_niveau").set_value("departement").run()
    at.selectbox(key="w_region").select("94").run()
    t0 = time.perf_counter()
    at.selectbox(key="w_departement").select("2A").run()
    elapsed = time.perf_counter() - t0
    print(f"\nAppTest: a change of département answered in {1000 * elapsed:.0f} ms")  # measured, not asserted
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params == {"niveau": "departement", "code": "2A", "mois": "2024-06"}
    assert "Corse-du-Sud" in html_de(at, "socle-bandeau")
    # the link of the view on screen, to copy, whatever the address bar shows meanwhile
    assert [c.value for c in at.sidebar.code] == ["?niveau=departement&code=2A&mois=2024-06"]
    # the month
    at.selectbox(key="w_mois").select(instantane.mois[-13]).run()
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params["mois"] == "2023-06"
    # search jumps straight to a bassin and fills the cascade
    at.selectbox(key="w_recherche").select("bassin|352").run()
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert (params["niveau"], params["code"]) == ("bassin", "352")
    assert at.selectbox(key="w_departement").value == "35" and at.selectbox(key="w_region").value == "53"
    assert any("Le bassin est le niveau le plus fin" in i.value for i in at.info)


@pytest.mark.parametrize("params", [
    {"niveau": "departement", "code": "35' OR '1'='1"},
    {"niveau": "<b>x</b>", "code": "35"},
    {"niveau": "departement", "code": "977"},
    {"niveau": "departement", "code": "2B", "mois": "1999-01"},
])
def test_hostile_url_refused_with_a_message(instantane, params):
    at = lancer(**params)
    assert len(at.warning) == 1
    assert "<b>" not in at.warning[0].value and "OR" not in at.warning[0].value
    if "mois" not in params:
        assert "France" in html_de(at, "socle-bandeau")
        assert {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}["niveau"] == "national"
    # the message stays until the user chooses something
    at.run()
    assert len(at.warning) == 1
    at.radio(key="w_niveau").set_value("region").run()
    assert len(at.warning) == 0


def test_national_level_and_new_snapshot_without_restart(home, instantane):
    at = lancer()
    before = cartes(at)["beneficiaires_sdd"]["valeur"]
    assert "Les régions" in " ".join(h.value for h in at.header)
    build(home, petits={"2B": 0.01, "2A": 0.2}, nom="socle_20250201T000000000000Z.duckdb", decalage=1000)
    at.run()
    after = cartes(at)["beneficiaires_sdd"]["valeur"]
    expected = masque(home / "snapshots" / "socle_20250201T000000000000Z.duckdb")
    f = figure(expected, "beneficiaires_sdd", "national", "FR", instantane.mois[-1])
    assert after == fmt.valeur(f["valeur"], "effectif") != before
    assert "socle_20250201T000000000000Z.duckdb" in at.main.caption[-1].value


def test_bassin_crossing_a_border_is_said_so(home):
    build(home, bassins_reels=True)
    at = lancer(niveau="bassin", code="CLPE-X")
    text = " ".join(m.value for m in at.markdown)
    assert "plusieurs départements (22, 29)" in unescape(text) or "plusieurs départements (29, 22)" in unescape(text)
    assert "arrondissements du Code officiel géographique" not in text  # real bassins: no stand-in notice
    at = lancer(niveau="departement", code="22")
    assert "à cheval sur 29" in html_de(at, "socle-table")


def test_no_snapshot_gives_a_clear_message(home):
    at = lancer()
    assert any("Aucun instantané" in e.value for e in at.error)


def test_return_to_employment_window_still_running_is_not_shown_nor_drawn(instantane):
    at = lancer(niveau="departement", code="35", mois="2023-12")
    shown = cartes(at)
    # December 2023's cohort is followed until June 2024, the last month of the snapshot: measured
    assert not shown["taux_retour_emploi_6m"]["valeur"].startswith(EN_COURS)
    assert "Mois précédent (novembre 2023) : " + EN_COURS not in unescape(shown["taux_retour_emploi_6m"]["html"])
    at = lancer(niveau="departement", code="35", mois="2024-01")
    card = shown_jan = cartes(at)["taux_retour_emploi_6m"]
    assert card["valeur"] == EN_COURS + " — résultat attendu en juillet 2024"
    assert "Mois précédent (décembre 2023) : " in unescape(card["html"])
    assert "évolution" not in unescape(shown_jan["html"])
    # the chart leaves out the six cohorts 2024-01 … 2024-06, and says so
    notes = [c.value for c in at.caption if "fenêtre d'observation en cours" in c.value]
    assert notes == ["6 derniers mois non tracés : fenêtre d'observation en cours (résultat de juin 2024 attendu "
                     "en décembre 2024) ; 2 mois provisoires (points creux)."] * 2


def test_card_with_a_target_shows_target_and_gap_in_words(instantane):
    # taux_orientation_15j, France, June 2024: 1 453 / 3 662 = 39,68 % against the national objective 100 %
    card = cartes(lancer())["taux_orientation_15j"]
    assert f"Cible : 100{fmt.NBSP}% — écart : {fmt.MINUS}60,3{fmt.NBSP}points, non atteinte" in unescape(card["html"])
    # Ille-et-Vilaine, June 2024: 311 / 842 = 36,94 %
    shown = cartes(lancer(niveau="departement", code="35"))
    assert (f"Cible : 100{fmt.NBSP}% — écart : {fmt.MINUS}63,1{fmt.NBSP}points, non atteinte"
            in unescape(shown["taux_orientation_15j"]["html"]))
    assert [c for c, card in shown.items() if "Cible" in card["html"]] == ["taux_orientation_15j"]
    # the target starts in January 2024: none in December 2023
    shown = cartes(lancer(niveau="departement", code="35", mois="2023-12"))
    assert not any("Cible" in card["html"] for card in shown.values())


def test_territory_no_file_covers_says_so_and_nation_says_what_it_covers(home):
    build(home, petits={"2B": 0.01}, non_couverts=("2A",))  # Corse-du-Sud: no delivery, nobody in the CAF file
    at = lancer(niveau="departement", code="2A")
    text = unescape("\n".join(m.value for m in at.markdown))
    assert ("Aucun fichier livré ne couvre Corse-du-Sud\u00a0: ni le fichier RSA de la CAF et de la MSA (aucun "
            "bénéficiaire n'y réside), ni un fichier d'orientations de son département. Ses chiffres ne sont pas "
            "mesurés\u00a0: ils ne sont pas affichés (ce ne sont pas des zéros).") in text
    assert "socle-carte" not in text and "stable" not in text and not at.get("vega_lite_chart")
    at = lancer(niveau="region", code="94")
    # a covered territory draws its charts: one per indicator, and the stock funnel
    assert len(at.get("vega_lite_chart")) == len(INDICATEURS) + 1
    text = unescape("\n".join(m.value for m in at.markdown))
    assert ("Les chiffres de Corse ne couvrent qu'un de ses 2 départements, celui dont des fichiers ont été "
            "livrés\u00a0: Haute-Corse (2B).") in text
    row = re.search(r'<tr data-code="2A">(.*?)</tr>', html_de(at, "socle-table"), re.S).group(1)
    assert re.findall(r'data-indicateur="[^"]+">(.*?)</td>', row) == ["non couvert"] * len(INDICATEURS)
    at = lancer()
    text = unescape("\n".join(m.value for m in at.markdown))
    assert ("Les chiffres de la France entière ne couvrent que les 5 départements dont des fichiers ont été "
            "livrés (sur 6)\u00a0: Côtes-d'Armor (22), Finistère (29), Haute-Corse (2B), Ille-et-Vilaine (35), "
            "Morbihan (56).") in text


def test_nation_fully_covered_says_so(instantane):
    text = unescape("\n".join(m.value for m in lancer().markdown))
    assert "Les chiffres de la France entière couvrent les 6 départements du référentiel." in text
