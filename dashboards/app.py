"""Tableaux de bord des comités France Travail (socle commun d'indicateurs).

    streamlit run dashboards/app.py --server.headless true --browser.gatherUsageStats false

Reads the current published snapshot ($SOCLE_HOME/snapshots/CURRENT) read-only; every figure is
masked (secret statistique) as in the open data. Pages: the territory dashboard, one page per
indicator (from marts.dim_indicateurs), data quality, and the accessibility statement (linked from
every page by the navigation).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboards/ first on sys.path, not the repo root
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboards import data, style  # noqa: E402
from dashboards.ecrans import accessibilite, indicateur, qualite, tableau_de_bord  # noqa: E402

st.set_page_config(
    page_title="Socle – indicateurs des comités",
    layout="wide",
    initial_sidebar_state="expanded",
    menu_items={"About": "Socle commun d'indicateurs de l'insertion : chiffres partagés, soumis au secret "
                         "statistique, lus dans l'instantané publié (lecture seule)."},
)
style.appliquer()


def _page_indicateur(code: str):
    def page() -> None:
        indicateur.render(code)
    page.__name__ = f"indicateur_{code}"
    return page


def pages() -> dict[str, list]:
    accueil = st.Page(tableau_de_bord.render, title="Tableau de bord du territoire", url_path="tableau-de-bord",
                      default=True)
    out = {"Chiffres": [accueil]}
    try:
        snapshot = data.courant()
    except Exception:  # the dashboard page explains what is wrong
        snapshot = None
    if snapshot is not None:
        out["Définitions des indicateurs"] = [
            st.Page(_page_indicateur(code), title=libelle, url_path=code)
            for code, libelle in snapshot.indicateurs.select("indicateur", "libelle").iter_rows()]
        out["Qualité des données"] = [st.Page(qualite.render, title="Livraisons et quarantaine",
                                              url_path="qualite")]
    out[""] = [st.Page(accessibilite.render, title=accessibilite.TITRE_NAVIGATION, url_path="accessibilite")]
    return out


st.navigation(pages(), position="top").run()
