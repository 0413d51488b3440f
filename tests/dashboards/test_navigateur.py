"""The dashboard in Debian's chromium (playwright): a real server on a free local port, a sample
snapshot, a département chosen in the sidebar, figures checked against marts.indicateurs (masked),
a masked cell that shows no number, the stock funnel (a masked step shows « secret »), the CSV
download, screenshots in the test's tmp dir (and of the funnel in $SOCLE_CAPTURES, when set)."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboards import formatting as fmt
from fabrique_instantane import INDICATEURS, ajouter_repartition, build
from outils_tableaux import PROJET, figure, masque

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
TYPES = {c: t for c, _o, _l, t, _u, _r in INDICATEURS}
# browser-side clock: time of the click, time the page title (the chosen territory) changes
TEMPS_REPONSE = """() => {
  window.__socle = {};
  document.addEventListener('mousedown', () => { window.__socle.clic = performance.now(); }, true);
  new MutationObserver(() => {
    const h = document.querySelector('.socle-bandeau h1');
    if (h && h.textContent !== window.__socle.dernier) {
      window.__socle.dernier = h.textContent; window.__socle.titre = performance.now();
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def serveur(tmp_path):
    """Streamlit on a free port against a sample snapshot; always stopped at teardown."""
    home = tmp_path / "home"
    instantane = build(home, petits={"2B": 0.01, "2A": 0.2})
    # a national breakdown (the hand-made mart has none): the stock of June 2024 by sex
    ajouter_repartition(instantane.path, "beneficiaires_sdd", date(2024, 6, 1), "sexe", {"M": 40, "inconnu": 4}, "F")
    port = _free_port()
    env = {**os.environ, "SOCLE_HOME": str(home), "SOCLE_LANDING_DIR": str(tmp_path / "landing"),
           "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    log = (tmp_path / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboards/app.py", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.fileWatcherType", "none"],
        cwd=PROJET, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start: " + (tmp_path / "streamlit.log").read_text())
            time.sleep(0.2)
        yield url, instantane
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        log.close()


def test_dashboard_in_chromium(serveur, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url, instantane = serveur
    expected = masque(instantane.path)
    m = instantane.mois[-1]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            t0 = time.perf_counter()
            page.goto(url)
            page.wait_for_selector(".socle-carte")
            page.wait_for_selector(".socle-table")
            page.wait_for_selector("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg")
            rendered = time.perf_counter() - t0
            print(f"\nmain page (France entière) rendered in {rendered:.2f} s (cold server, first load)")

            # the DSFR's stylesheets are loaded: its core's colour tokens, its card, table and badge components
            assert page.evaluate("() => getComputedStyle(document.documentElement)"
                                 ".getPropertyValue('--background-default-grey').trim()") == "#fff"
            assert page.locator(".fr-table .fr-table__container.socle-cadre table.socle-table").count() == 1
            assert page.locator(".socle-grille .fr-card.socle-carte .fr-card__title").count() == len(INDICATEURS)
            badge = page.locator(".socle-carte .fr-badge.socle-badge-provisoire").first
            assert badge.evaluate("e => getComputedStyle(e).textTransform") == "uppercase"
            font = page.evaluate("() => getComputedStyle(document.querySelector('.socle-carte h3')).fontFamily")
            assert font.startswith("Marianne")
            # the DSFR's Marianne, served by the dashboard itself (dashboards/static, installed by make)
            loaded = page.evaluate("""async () => { await document.fonts.ready;
              return [...document.fonts].filter(f => f.family.replaceAll('"', '') === 'Marianne'
                                                     && f.status === 'loaded').map(f => f.weight).sort(); }""")
            assert {"400", "700"} <= set(loaded), loaded
            assert not [r for r in requests if not r.startswith(url)]   # nothing fetched from elsewhere

            # choose a département in the sidebar: level, then région, then département (typing to search)
            sidebar = page.locator('[data-testid="stSidebar"]')
            sidebar.locator('[data-testid="stRadio"]').get_by_text("Département", exact=True).click()
            box = page.get_by_role("combobox", name="Région")
            box.click()
            box.fill("Corse")
            page.get_by_role("option", name="Corse (94)").click()
            expect(page.get_by_role("combobox", name="Région")).to_have_value("Corse (94)")
            box = page.get_by_role("combobox", name="Département")
            box.click()
            box.fill("Haute")
            page.evaluate(TEMPS_REPONSE)
            page.get_by_role("option", name="Haute-Corse (2B)").click()
            expect(page.locator(".socle-bandeau h1")).to_have_text("Haute-Corse")
            page.wait_for_selector('.socle-table tr[data-code="2B2"]')
            t = page.evaluate("() => window.__socle")
            answer = t["titre"] - t["clic"]
            print(f"choosing the département: new figures on screen {answer:.0f} ms after the click")
            assert answer < 1000
            assert re.search(r"[?&]niveau=departement(&|$)", page.url) and re.search(r"[?&]code=2B(&|$)", page.url)
            # the link to copy is the view on screen, and opens it as the address bar does
            lien = sidebar.locator('[data-testid="stCode"] code').inner_text().strip()
            assert lien == f"{url}/?niveau=departement&code=2B&mois={fmt.mois_court(m)}"
            assert re.sub(r"/\?", "?", lien) == re.sub(r"/\?", "?", page.url)

            # the figures on screen are the masked figures of marts.indicateurs
            n_secret = 0
            for code, *_ in INDICATEURS:
                f = figure(expected, code, "departement", "2B", m)
                shown = page.locator(f'.socle-grille .socle-carte[data-indicateur="{code}"] .socle-valeur'
                                     ).inner_text().strip()
                if code in ("taux_retour_emploi_6m", "taux_retour_emploi_durable_6m"):  # 6-month window running
                    assert shown == f"fenêtre d'observation en cours — résultat attendu en {fmt.mois_long(fmt.mois_decale(m, 6))}"
                elif f["statut"] == "secret":
                    n_secret += 1
                    assert shown == "secret" and not re.search(r"\d", shown), code
                elif f["valeur"] is None:
                    assert shown == fmt.cellule(None, f["statut"], TYPES[code], f["denominateur"])
                else:
                    assert shown == fmt.valeur(f["valeur"], TYPES[code]), code
            assert n_secret >= 1
            comp = page.locator('.socle-grille .socle-carte[data-indicateur="beneficiaires_sdd"] .socle-comparaison'
                                ).inner_text()
            corse = figure(expected, "beneficiaires_sdd", "region", "94", m)
            assert f"Corse : {fmt.valeur(corse['valeur'], 'effectif')}" in comp.replace("\u00a0:", " :")
            # a masked cell of the sub-territories table shows « secret », no number
            secret_cells = page.locator(".socle-table td.socle-td-secret")
            assert secret_cells.count() > 0
            for text in secret_cells.all_inner_texts():
                assert text.strip() == "secret"
            cell = page.locator('.socle-table tr[data-code="2B2"] td[data-indicateur="beneficiaires_sdd"]')
            b = figure(expected, "beneficiaires_sdd", "bassin", "2B2", m)
            assert cell.inner_text().strip() == fmt.cellule(b["valeur"], b["statut"], "effectif", None)

            # the stock funnel: a masked step shows « secret », the others the published figure
            for etape, code in (("stock", "beneficiaires_sdd"), ("orientes", "beneficiaires_orientes"),
                                ("attente", "beneficiaires_en_attente_orientation")):
                f = figure(expected, code, "departement", "2B", m)
                shown = page.locator(f'.socle-etapes tr[data-etape="{etape}"] td[data-colonne="effectif"]'
                                     ).inner_text().strip()
                assert shown == ("secret" if f["statut"] == "secret" else fmt.valeur(f["valeur"], "effectif")), etape
            # the chart is named by its text alternative (Streamlit puts it on the chart and its frame)
            assert page.locator('[aria-label^="Entonnoir du stock, Haute-Corse"]').count() >= 1

            # the download is what the cards show, masked
            with page.expect_download() as dl:
                page.get_by_role("button", name="Télécharger les cartes (CSV)").click()
            rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8-sig"))))
            mine = {r["indicateur"]: r for r in rows if r["role"] == "territoire" and r["mois"] == fmt.mois_court(m)}
            assert mine["nouveaux_entrants"]["statut"] == "secret"
            assert mine["nouveaux_entrants"]["valeur"] == mine["nouveaux_entrants"]["numerateur"] == ""
            assert float(mine["beneficiaires_sdd"]["valeur"]) == figure(
                expected, "beneficiaires_sdd", "departement", "2B", m)["valeur"]

            # a screenshot of the whole page (Streamlit scrolls inside its own container: a tall viewport)
            page.set_viewport_size({"width": 1440, "height": 4200})
            page.locator(".socle-bandeau").scroll_into_view_if_needed()
            page.wait_for_selector("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg")
            page.wait_for_timeout(1500)
            shot = tmp_path / "dashboard.png"
            page.screenshot(path=str(shot))
            print(f"screenshot: {shot}")
            assert shot.stat().st_size > 10_000

            # the funnel and the parcours of Ille-et-Vilaine, alone (docs/captures/entonnoir.png)
            page.goto(f"{url}/?niveau=departement&code=35")
            expect(page.locator(".socle-bandeau h1")).to_have_text("Ille-et-Vilaine")
            page.wait_for_selector(".socle-etapes")
            page.wait_for_selector(".socle-parcours .socle-carte")
            page.wait_for_timeout(2000)
            # the funnel at the top of the viewport (Streamlit scrolls inside its own container)
            page.locator("h2#entonnoir").evaluate("e => e.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(500)
            haut = page.locator("h2#entonnoir").bounding_box()
            bas = page.locator(".socle-parcours .socle-carte").last.bounding_box()
            shot = tmp_path / "entonnoir.png"
            page.screenshot(path=str(shot), clip={"x": 0, "y": haut["y"] - 16, "width": 1440,
                                                  "height": bas["y"] + bas["height"] - haut["y"] + 32})
            assert shot.stat().st_size > 10_000
            if os.environ.get("SOCLE_CAPTURES"):
                shutil.copy(shot, Path(os.environ["SOCLE_CAPTURES"]) / "entonnoir.png")
            print(f"screenshot of the funnel: {shot}")

            # reload with the shared link: same selection, warm server
            page.set_viewport_size({"width": 1440, "height": 1000})
            t2 = time.perf_counter()
            page.goto(f"{url}/?niveau=departement&code=2B")
            expect(page.locator(".socle-bandeau h1")).to_have_text("Haute-Corse")
            page.wait_for_selector(".socle-table")
            print(f"main page from a shared link rendered in {time.perf_counter() - t2:.2f} s (warm server)")
            # the other pages open without error
            for path, marker in (("qualite", "[data-testid=stDataFrame] canvas"), ("nouveaux_entrants", ".socle-carte")):
                page.goto(f"{url}/{path}")
                page.wait_for_selector(marker)
                assert page.locator("[data-testid=stException]").count() == 0

            # nothing leaves the machine (no usage statistics, no fonts or scripts from outside)
            outside = [r for r in requests if not r.startswith((url, "data:", "blob:"))]
            assert not outside, outside[:5]
        finally:
            browser.close()


AXE = PROJET / "tests" / "dashboards" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,
                                 cible: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def test_accessibility_in_chromium(serveur):
    """French page, skip link first, keyboard-reachable table, named charts; axe-core (pinned in
    tests/dashboards/axe/package.json, installed by `npm ci --prefix tests/dashboards/axe`): no
    critical and no serious violation on every page: the home page, a département, a bassin, an
    indicator's page for a département, the data-quality page, the accessibility statement and an
    indicator's page for the nation with its breakdown table,
    which the navigation links from every page under the wording the law asks for."""
    from playwright.sync_api import sync_playwright

    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `npm ci --prefix tests/dashboards/axe`")
    url, instantane = serveur
    with duckdb.connect(str(instantane.path), read_only=True) as con:
        bassin = con.execute("select min(code_territoire) from marts.dim_territoires where niveau = 'bassin' "
                             "and code_departement = '35'").fetchone()[0]
    chart = "[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg"
    tableau = (".socle-carte", ".socle-table", chart)
    pages = [(url, tableau), (f"{url}/?niveau=departement&code=35", tableau),
             (f"{url}/?niveau=bassin&code={bassin}", (".socle-carte", chart)),   # no sub-territory
             (f"{url}/taux_orientation_15j?niveau=departement&code=35", ("#evolution-indicateur", chart)),
             (f"{url}/qualite", ("#bassins", "[data-testid=stDataFrame]")),
             (f"{url}/accessibilite", ("#etat-de-conformite",)),
             (f"{url}/beneficiaires_sdd?niveau=national&mois=2024-06", (".socle-table", ".socle-repartition", chart))]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            for adresse, attendus in pages:
                page.goto(adresse)
                for selector in attendus:
                    page.wait_for_selector(selector)
                page.wait_for_selector("#socle-evitement", state="attached")
                lien = page.get_by_role("link", name="Accessibilité : non conforme")
                assert lien.count() == 1 and lien.get_attribute("href").endswith("/accessibilite")
                assert page.evaluate("() => document.documentElement.lang") == "fr"
                # the first Tab reaches the skip link, which moves the focus to the main content
                page.locator("body").focus()
                page.keyboard.press("Tab")
                assert page.evaluate("() => document.activeElement.textContent") == "Aller au contenu"
                page.keyboard.press("Enter")
                assert page.evaluate("() => document.activeElement.getAttribute('data-testid')") == "stMain"
                if adresse.endswith("code=35"):
                    # a card with a target gives it and the gap, in words (311 / 842 = 36,9 % in June 2024)
                    cible = page.locator('.socle-grille .socle-carte[data-indicateur="taux_orientation_15j"] .socle-cible')
                    assert cible.inner_text().strip() == "Cible : 100\u00a0% — écart : \u221263,1\u00a0points, non atteinte"
                if ".socle-table" in attendus:
                    # every table's scrolling frame takes the focus and is named by the table's title
                    cadres = page.locator(".socle-cadre")
                    assert cadres.count() >= 1
                    for cadre in cadres.all():
                        assert cadre.get_attribute("tabindex") == "0" and cadre.get_attribute("role") == "region"
                        assert cadre.get_attribute("aria-label") == cadre.locator("caption").inner_text()
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate(AXE_RUN)
                print(f"\naxe-core on {adresse}: " + (", ".join(f"{v['id']} ({v['impact']}, {v['n']}: {v['cible']})"
                                                              for v in violations) or "no violation"))
                graves = [v for v in violations if v["impact"] in ("critical", "serious")]
                assert graves == [], graves
                # headings go down one level at a time (h1 banner, h2 sections, h3 cards and charts)
                assert [v for v in violations if v["id"] == "heading-order"] == []
        finally:
            browser.close()
