"""One page per indicator: its definition, sources and maturity rule in plain French, read from
`marts.dim_indicateurs` (the texts of the dbt docs, never a second copy), then the figure of the
territory and month chosen (those of the link, `?niveau=departement&code=35&mois=2024-05`, and the
sidebar's selector, shared with the dashboard): its card and its series against the parent territory."""

from __future__ import annotations

from html import escape

import polars as pl
import streamlit as st

from dashboards import couverture, graphiques, queries, selection, style
from dashboards import formatting as fmt
from dashboards.ecrans import commun

NATURE = {"effectif": "un effectif (nombre de personnes)", "taux": "une part, affichée en pourcentage",
          "delai_moyen": "un délai moyen, en jours", "delai_median": "un délai médian, en jours"}


def _bloc(titre: str, texte: str | None) -> None:
    st.header(titre)
    st.markdown(f'<p class="socle-texte">{escape(texte or "Non renseigné.")}</p>', unsafe_allow_html=True)


def _chiffres(snapshot, sel: selection.Selection, r: dict) -> None:
    if sel.mois is None:
        st.info("L'instantané publié ne contient encore aucun chiffre.")
        return
    code, typ = r["indicateur"], r["type_indicateur"] or ""
    lib = snapshot.libelle_territoire(sel.niveau, sel.code)
    par = queries.parent(snapshot, sel.niveau, sel.code)
    lib_parent = snapshot.libelle_territoire(*par) if par else None
    cartes = queries.cartes(snapshot.cle, sel.niveau, sel.code, sel.mois).filter(pl.col("indicateur") == code)
    st.header(f"{lib} — {fmt.mois_long(sel.mois)}", anchor="chiffre")
    couv = couverture.message(snapshot, sel.niveau, sel.code, lib)
    if couv is not None:
        style.encadre(couv[0], "avertissement" if couv[1] == "vide" else "info")
        if couv[1] == "vide":
            return
    style.grille([style.carte(c, lib_parent, sel.mois) for c in cartes.iter_rows(named=True)])
    serie = queries.series(snapshot.cle, sel.niveau, sel.code).filter(pl.col("indicateur") == code)
    st.header("Évolution dans le temps", anchor="evolution-indicateur")
    style.legende(f"{escape(lib)} (trait plein, bleu)"
                  + (f" comparé à {escape(lib_parent)} (tirets, rouge)" if lib_parent else "")
                  + ". Points creux : chiffres provisoires ; trait interrompu : mois masqué ou sans objet.")
    st.vega_lite_chart(spec=graphiques.evolution(serie, typ, lib, lib_parent), width="stretch",
                       alt=graphiques.texte_alternatif(serie, r["libelle"], typ, lib))


def render(code: str) -> None:
    snapshot = commun.snapshot()
    row = snapshot.indicateurs.filter(pl.col("indicateur") == code)
    if row.is_empty():
        st.error("Cet indicateur ne figure pas dans l'instantané publié.")
        st.stop()
    sel = selection.barre_laterale(snapshot)  # the territory and month of the link, and the selector
    with st.sidebar:
        commun.veille(snapshot.cle)
    for message in st.session_state.get("messages_url", []):
        st.warning(message)
    r = row.row(0, named=True)
    typ = r["type_indicateur"] or ""
    territoire = snapshot.libelle_territoire(sel.niveau, sel.code)
    style.bandeau(r["libelle"], f"Indicateur « {code} » — {territoire} — définition, sources et règles")

    _bloc("Définition", r["definition"])
    _bloc("Sources", r["sources"])
    _bloc("Quand le chiffre devient définitif", r["regle_maturite"])
    st.header("Lecture du chiffre")
    unite = f" (unité : {r['unite']})" if r.get("unite") else ""
    st.markdown(
        f'<p class="socle-texte">Le chiffre est {escape(NATURE.get(typ, typ))}{escape(unite)}. Il est calculé une '
        f'seule fois, pour la France, chaque région, chaque département et chaque bassin, à partir des lignes '
        f'individuelles : un niveau n\'est pas la somme d\'un autre. Sur les écrans et dans les données ouvertes, '
        f'une case est masquée (« secret ») quand son effectif, son numérateur ou son dénominateur est compris entre '
        f'1 et {snapshot.seuil - 1}, ou quand elle permettrait de recalculer une case masquée. Dans le fichier des données '
        f'ouvertes, cet indicateur porte le code <code>{escape(code)}</code>.</p>', unsafe_allow_html=True)

    _chiffres(snapshot, sel, r)
    commun.pied(snapshot)
