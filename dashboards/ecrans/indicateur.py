"""One page per indicator: its definition, sources and maturity rule in plain French, read from
`marts.dim_indicateurs` (the texts of the dbt docs, never a second copy), with the national series."""

from __future__ import annotations

from html import escape

import polars as pl
import streamlit as st

from dashboards import fenetres, graphiques, queries, style
from dashboards import formatting as fmt
from dashboards.ecrans import commun

NATURE = {"effectif": "un effectif (nombre de personnes)", "taux": "une part, affichée en pourcentage",
          "delai_moyen": "un délai moyen, en jours", "delai_median": "un délai médian, en jours"}


def _bloc(titre: str, texte: str | None) -> None:
    st.subheader(titre)
    st.markdown(f'<p class="socle-texte">{escape(texte or "Non renseigné.")}</p>', unsafe_allow_html=True)


def render(code: str) -> None:
    snapshot = commun.snapshot()
    with st.sidebar:
        commun.veille(snapshot.cle)
    row = snapshot.indicateurs.filter(pl.col("indicateur") == code)
    if row.is_empty():
        st.error("Cet indicateur ne figure pas dans l'instantané publié.")
        st.stop()
    r = row.row(0, named=True)
    typ = r["type_indicateur"] or ""
    style.bandeau(r["libelle"], f"Indicateur « {code} » — définition, sources et règles")

    _bloc("Définition", r["definition"])
    _bloc("Sources", r["sources"])
    _bloc("Quand le chiffre devient définitif", r["regle_maturite"])
    st.subheader("Lecture du chiffre")
    unite = f" (unité : {r['unite']})" if r.get("unite") else ""
    st.markdown(
        f'<p class="socle-texte">Le chiffre est {escape(NATURE.get(typ, typ))}{escape(unite)}. Il est calculé une '
        f'seule fois, pour la France, chaque région, chaque département et chaque bassin, à partir des lignes '
        f'individuelles : un niveau n\'est pas la somme d\'un autre. Sur les écrans et dans les données ouvertes, '
        f'une case est masquée (« secret ») quand son effectif, son numérateur ou son dénominateur est compris entre '
        f'1 et {snapshot.seuil - 1}, ou quand elle permettrait de recalculer une case masquée. Dans le fichier des données '
        f'ouvertes, cet indicateur porte le code <code>{escape(code)}</code>.</p>', unsafe_allow_html=True)

    serie = queries.serie_nationale(snapshot.cle, code)
    if not serie.is_empty():
        last = serie.row(-1, named=True)
        shown = (fenetres.texte(last["attendu_en"]) if last["attendu_en"] is not None else
                 fmt.valeur(last["valeur"], typ) if last["statut"] != fmt.SECRET and last["valeur"] is not None
                 else fmt.cellule(last["valeur"], last["statut"], typ, last["denominateur"]))
        st.subheader(f"France entière — dernier mois calculé ({fmt.mois_long(last['mois'])})")
        st.markdown(f'<div class="socle-grille"><div class="socle-carte" data-indicateur="{escape(code)}">'
                    f'<h3>France{style.badge(last["statut"])}</h3><div class="socle-valeur">'
                    f'{escape(shown)}</div></div></div>',
                    unsafe_allow_html=True)
        s = serie.with_columns(role=pl.lit("territoire"), libelle_territoire=pl.lit("France"))
        st.vega_lite_chart(spec=graphiques.evolution(s, typ, "France", None), width="stretch",
                           alt=graphiques.texte_alternatif(s, r["libelle"], typ, "France"))
    commun.pied(snapshot)
