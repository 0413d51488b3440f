"""The indicator pages and the data-quality page under AppTest."""

from __future__ import annotations

import re
from datetime import date
from html import escape, unescape

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import formatting as fmt
from fabrique_instantane import INDICATEURS, ajouter_repartition, build
from outils_tableaux import PROJET


def lancer_indicateur(indicateur: str, **params) -> AppTest:
    script = (f"import sys\nsys.path.insert(0, {str(PROJET)!r})\n"
              f"from dashboards.ecrans import indicateur\nindicateur.render({indicateur!r})\n")
    at = AppTest.from_string(script, default_timeout=30)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def lancer_qualite() -> AppTest:
    script = (f"import sys\nsys.path.insert(0, {str(PROJET)!r})\n"
              "from dashboards.ecrans import qualite\nqualite.render()\n")
    at = AppTest.from_string(script, default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("code", [c for c, *_ in INDICATEURS])
def test_indicator_page_shows_the_definitions_of_the_snapshot(instantane, code):
    with duckdb.connect(str(instantane.path), read_only=True) as con:
        libelle, definition, sources, regle = con.execute(
            "select libelle, definition, sources, regle_maturite from marts.dim_indicateurs where indicateur = ?",
            [code]).fetchone()
    at = lancer_indicateur(code)
    text = "\n".join(m.value for m in at.markdown)
    for part in (libelle, definition, sources, regle):
        assert escape(part) in text or escape(part).replace(" :", "\u00a0:") in text
    assert f"<code>{code}</code>" in text
    assert "entre 1 et 10" in text  # the threshold of the masking, governed parameter
    assert [h.value for h in at.header][:3] == ["Définition", "Sources", "Quand le chiffre devient définitif"]


def test_indicator_page_follows_the_territory_of_its_link(instantane):
    # /taux_orientation_15j?niveau=departement&code=35 : Ille-et-Vilaine, June 2024, 311 / 842 = 36,9 %
    at = lancer_indicateur("taux_orientation_15j", niveau="departement", code="35")
    text = unescape("\n".join(m.value for m in at.markdown))
    assert "Ille-et-Vilaine — juin 2024" in [h.value for h in at.header]
    carte = [m.value for m in at.markdown if "socle-carte" in m.value]
    assert len(carte) == 1 and 'data-indicateur="taux_orientation_15j"' in carte[0]
    assert '<div class="socle-valeur">36,9\u00a0%</div>' in unescape(carte[0])
    assert "Bretagne : <b>39,7\u00a0%" in unescape(carte[0])  # its région, 1 432 / 3 603
    assert "Cible : 100\u00a0% — écart : \u221263,1\u00a0points, non atteinte" in unescape(carte[0])
    assert "Ille-et-Vilaine (trait plein, bleu) comparé à Bretagne" in text
    assert "France\u00a0:" not in text.split("socle-comparaison")[0]  # not the national figure
    # the territory selector is there, set to the link's territory; the URL keeps it
    assert at.sidebar.radio(key="w_niveau").value == "departement"
    assert at.sidebar.selectbox(key="w_departement").value == "35"
    assert at.query_params["code"] in ("35", ["35"])
    # choosing another département changes the page
    at.sidebar.selectbox(key="w_departement").set_value("29").run()
    assert "Finistère — juin 2024" in [h.value for h in at.header]


def test_unknown_indicator(instantane):
    at = AppTest.from_string(f"import sys\nsys.path.insert(0, {str(PROJET)!r})\n"
                             "from dashboards.ecrans import indicateur\nindicateur.render('inconnu')\n",
                             default_timeout=30)
    at.run()
    assert any("ne figure pas" in e.value for e in at.error)


def frame(at: AppTest, first_col: str) -> pl.DataFrame:
    for df in at.dataframe:
        if first_col in df.value.columns:
            return pl.from_pandas(df.value)
    raise AssertionError(first_col)


def test_quality_page(instantane):
    at = lancer_qualite()
    with duckdb.connect(str(instantane.path), read_only=True) as con:
        late_dep = con.execute("select producteur from marts.fct_livraisons_manquantes "
                               "where nb_livraisons_rejetees = 0 limit 1").fetchone()[0]
        gap = con.execute("select producteur, mois from marts.fct_livraisons_manquantes "
                          "where nb_livraisons_rejetees > 0").fetchone()
        # default period: every month of the ledger (a narrower period would hide quarantined rows)
        q_total = con.execute("select sum(nb_lignes) from marts.fct_quarantaine_motifs").fetchone()[0]
    etat = frame(at, "Situation")
    late = etat.filter(pl.col("Producteur").str.starts_with(f"Département {late_dep} ")
                       & (pl.col("Fichier") == "Orientations"))
    assert late["Situation"].to_list() == ["en retard de 2 mois"]
    assert etat.filter(pl.col("Producteur") == "CAF/MSA")["Situation"].to_list() == ["à jour"]

    # real producers first: CAF/MSA, France Travail, then the départements
    assert etat["Producteur"].to_list()[:4] == ["CAF/MSA", "France Travail", "France Travail", "France Travail"]
    for col in ("Mois livrés", "Mois manquants", "Fichiers rejetés", "Lignes en quarantaine"):
        assert etat[col].dtype == pl.Int64, col

    # missing files grouped by situation, producer and file: the late département's two months in one row
    manq = frame(at, "Fichiers reçus mais rejetés")
    assert manq["Situation"].to_list() == ["en retard", "manquant"]
    assert manq.row(0, named=True)["Mois"] == "2024-05, 2024-06" and manq.row(0, named=True)["Nombre de mois"] == 2
    assert manq.filter(pl.col("Situation") == "manquant")["Mois"].to_list() == [gap[1].strftime("%Y-%m")]
    legend = unescape("\n".join(m.value for m in at.markdown))
    assert "« jamais livré » : aucun fichier de ce type n'a jamais été accepté de ce producteur" in legend.replace(
        "\u00a0", " ")

    cal = frame(at, gap[1].strftime("%Y-%m"))
    row = cal.filter(pl.col("Producteur").str.starts_with(f"Département {gap[0]} ")
                     & (pl.col("Fichier") == "Accompagnements"))
    assert row[gap[1].strftime("%Y-%m")].to_list() == ["⚠ manquant (fichier rejeté)"]

    quar = frame(at, "Règle enfreinte")
    assert quar["Lignes"].sum() == q_total
    assert set(quar["Règle enfreinte"].to_list()) <= {
        "La commune (« code_commune ») est inconnue du Code officiel géographique.",
        "La valeur de « date_orientation » n'est pas une date lisible.",
        "La valeur de « modalite » n'est pas dans la liste des valeurs admises."}
    # nothing shows None or null
    for df in at.dataframe:
        frame_ = pl.from_pandas(df.value)
        for col in frame_.columns:
            assert frame_[col].null_count() == 0, col
            if frame_[col].dtype == pl.String:
                assert not frame_[col].is_in(["None", "null", "nan"]).any(), col

    # linking: a count of persons between 1 and 10 is never shown
    li = frame(at, "Mesure")
    persons = li.filter(pl.col("Mesure").str.starts_with("Personnes"))
    assert persons.height > 0
    for r in persons.iter_rows(named=True):
        if r["Nombre"] == "secret":
            assert r["Sur"] == "secret" and r["Part"] == "secret"
        else:
            n = int(r["Nombre"].replace("\u00a0", ""))
            assert n == 0 or n >= 11
    assert (persons["Nombre"] == "secret").any()
    assert any("arrondissements" in unescape(m.value) for m in at.markdown)


def test_quality_period_says_what_it_hides(instantane):
    with duckdb.connect(str(instantane.path), read_only=True) as con:
        premier, dernier, total = con.execute("select min(mois), max(mois), sum(nb_lignes) "
                                              "from marts.fct_quarantaine_motifs").fetchone()
        mois = [r[0] for r in con.execute("select distinct mois from marts.fct_livraisons order by 1").fetchall()]
        debut = mois[-6]
        apres = con.execute("select sum(nb_lignes) from marts.fct_quarantaine_motifs where mois >= ?",
                            [debut]).fetchone()[0]
    assert apres < total   # the fixture quarantines rows before the last six months too
    at = lancer_qualite()
    assert not [c for c in at.caption if "période choisie" in c.value]   # every month by default
    at.select_slider(key="q_periode").set_value((debut, mois[-1])).run()
    assert frame(at, "Règle enfreinte")["Lignes"].sum() == apres
    said = [unescape(c.value) for c in at.caption if "période choisie" in c.value]
    assert said == [f"{fmt.nombre(apres)} lignes en quarantaine de {debut:%Y-%m} à {mois[-1]:%Y-%m} (période "
                    f"choisie) ; {fmt.nombre(total)} de {mois[0]:%Y-%m} à {mois[-1]:%Y-%m}."]


def test_quality_filters(instantane):
    at = lancer_qualite()
    at.multiselect(key="q_producteurs").select("caf").run()
    etat = frame(at, "Situation")
    assert etat["Producteur"].unique().to_list() == ["CAF/MSA"]
    quar = frame(at, "Règle enfreinte") if any("Règle enfreinte" in d.value.columns for d in at.dataframe) else None
    if quar is not None:
        assert quar["Producteur"].unique().to_list() == ["CAF/MSA"]


def test_quality_page_with_a_bassin_referential(home):
    build(home, bassins_reels=True)
    at = lancer_qualite()
    rb = frame(at, "Communes absentes (bassin HR)")
    assert rb.row(0, named=True)["Année"] == 2026


def test_quality_page_flags_a_file_with_many_quarantined_rows(instantane):
    """Issue 16, finding 8: a delivery with a high share of quarantined rows is flagged on the quality
    page (file, share, main rule), its producer's figures published all the same."""
    with duckdb.connect(str(instantane.path)) as con:
        id_, prod, mois, lues = con.execute(
            "select id_livraison, producteur, mois, lignes_lues from marts.fct_livraisons where est_courante "
            "and statut = 'acceptee' and type_fichier = 'orientations' order by mois desc, producteur limit 1"
        ).fetchone()
        q = lues // 4
        con.execute("update marts.fct_livraisons set lignes_quarantaine = ?, lignes_chargees = lignes_lues - ?, "
                    "extension = 'csv' where id_livraison = ?", [q, q, id_])
        con.execute("insert into marts.fct_quarantaine_motifs values (?, 'orientations', ?, ?, 'id_rsa', "
                    "'cle_dupliquee', ?)", [id_, prod, mois, q])
    at = lancer_qualite()
    assert any(h.value == "Avertissements qualité" for h in at.header)
    av = frame(at, "Règles principales")
    assert av.height == 1
    row = av.row(0, named=True)
    assert row["Fichier déposé"] == f"departements/{prod}/orientations_{mois:%Y-%m}.csv"
    from socle.rounding import round_half_up  # the one rounding of the project, ties half-up

    assert row["Part en quarantaine (%)"] == round_half_up(100 * q / lues, 1) and row["Règles principales"].startswith(
        f"La même clé figure sur plusieurs lignes ({q} lignes).")


def test_quality_page_without_warning_shows_no_warning_section(instantane):
    at = lancer_qualite()
    assert not any(h.value == "Avertissements qualité" for h in at.header)


def test_accessibility_statement_names_its_status_the_checked_pages_and_the_contact(monkeypatch):
    """Issue #19: the « déclaration d'accessibilité » (RGAA model): its status (no audit yet: « non
    conforme »), the pages the browser test checks with axe-core, the contact of the settings, the
    Défenseur des droits."""
    monkeypatch.setenv("SOCLE_OPENDATA_CONTACT", "socle@example.gouv.fr")
    script = (f"import sys\nsys.path.insert(0, {str(PROJET)!r})\n"
              "from dashboards.ecrans import accessibilite\naccessibilite.render()\n")
    at = AppTest.from_string(script, default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(m.value for m in at.markdown)
    assert "<h1" in text and "Déclaration d&#x27;accessibilité" in text
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## État de conformité", "## Résultats des tests", "## Contenus non accessibles",
        "## Établissement de cette déclaration", "## Retour d'information et contact", "## Voies de recours"]
    assert "sont **non conformes** au référentiel général d'amélioration de\nl'accessibilité (RGAA), version 4.1.2" in text
    assert ("- la page « Livraisons et quarantaine » (qualité des données) ;\n"
            "- la page d'un indicateur pour la France, avec ses répartitions ;\n- cette déclaration.") in text
    assert "ses composants sont repris pour les cartes des indicateurs, les tableaux, les badges" in text
    assert "<socle@example.gouv.fr>." in text and "09 69 39 00 00" in text


# the nation's June 2024 stock by sex, beside its `ensemble` row (F: the rest)
REPARTITION = {"M": 40, "inconnu": 4}


def test_indicator_page_shows_the_breakdowns_of_the_nation_masked_and_says_where_there_are_none(instantane):
    """Issue #19: the breakdown view. The nation's June 2024 stock split by sex (M: 40, F: the rest,
    rows added to the hand-made mart): published, in the seed's order and labels; a second split
    holding a small count (`inconnu`: 4) is masked with its complement. A département says that
    its breakdowns are not published yet."""
    total = ajouter_repartition(instantane.path, "beneficiaires_sdd", date(2024, 6, 1), "sexe", REPARTITION, "F")
    at = lancer_indicateur("beneficiaires_sdd", niveau="national", code="FR", mois="2024-06")
    assert "Répartitions" in [h.value for h in at.header]
    tables = [unescape(m.value) for m in at.markdown if "socle-repartition" in m.value]
    assert len(tables) == 1 and "<caption>Sexe — France, juin 2024</caption>" in tables[0]
    cells = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td>', tables[0])
    # inconnu (4) is secret, and so is the smallest other category (M: 40), which would give it back
    assert cells == [("Femmes", fmt.nombre(total - 44), fmt.nombre(total - 44)), ("Hommes", "secret", "secret"),
                     ("Non renseigné", "secret", "secret")]
    at = lancer_indicateur("beneficiaires_sdd", niveau="departement", code="35", mois="2024-06")
    text = unescape("\n".join(m.value for m in at.markdown))
    assert ("sont publiées pour la France\u00a0; celles qui concernent les régions, les départements et les bassins "
            "ne le sont pas encore.") in text
    assert not [m for m in at.markdown if "socle-repartition" in m.value]
