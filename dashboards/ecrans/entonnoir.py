"""Sections of the territory dashboard: the stock funnel of the month and the parcours after
orientation (issue #19). Figures are the masked cells of the cards (`queries.cartes`), as they are."""

from __future__ import annotations

from html import escape

import polars as pl
import streamlit as st

from dashboards import entonnoir, graphiques, style
from dashboards import formatting as fmt


def tableau_html(liste: list[entonnoir.Etape], titre: str) -> str:
    """The funnel as an accessible table (the text equivalent of the chart)."""
    body = []
    for e in liste:
        cls = "socle-td-secret" if e.secret else ("socle-td-provisoire" if e.provisoire else "")
        part = e.part_texte if e.part_texte is not None else "—"
        body.append(f'<tr data-etape="{escape(e.code)}"><th scope="row">{escape(e.libelle)}</th>'
                    f'<td class="{cls}" data-colonne="effectif">{escape(e.effectif_texte)}</td>'
                    f'<td data-colonne="part">{escape(part)}</td>'
                    f'<td data-colonne="statut">{escape(e.statut_texte)}</td>'
                    f'<td data-colonne="cible">{escape(e.cible_texte or "—")}</td></tr>')
    return style.tableau(titre, ["Étape", "Personnes", "Part", "Statut", "Cible de la part"], "".join(body),
                         classe="socle-etapes", multiligne=True)


def render(cartes: pl.DataFrame, lib: str, lib_parent: str | None, mois) -> None:
    """Both sections, from the rows of `queries.cartes` for the territory and month shown."""
    par_code = {r["indicateur"]: r for r in cartes.iter_rows(named=True)}
    mois_txt = fmt.mois_long(mois)
    liste = entonnoir.etapes(par_code)

    st.header(f"Entonnoir du stock — {mois_txt}", anchor="entonnoir")
    style.legende("Bénéficiaires soumis aux droits et devoirs à la fin du mois, puis ceux qui sont orientés, ceux "
                  "qui ont signé leur contrat d'engagement, ceux qui sont inscrits à France Travail, et ceux qui "
                  "attendent leur orientation. Chaque chiffre est celui publié, jamais recalculé à partir d'autres "
                  "cases : « secret » : case masquée (secret statistique), sans barre ; barre creuse : chiffre "
                  "provisoire.")
    st.vega_lite_chart(spec=graphiques.entonnoir(entonnoir.donnees_graphique(liste)), width="stretch",
                       alt=entonnoir.texte_alternatif(liste, lib, mois_txt), key="entonnoir")
    st.markdown(tableau_html(liste, f"Entonnoir du stock, {lib}, {mois_txt}"), unsafe_allow_html=True)
    st.caption(entonnoir.ANCIENNETE)

    st.header(f"Parcours après orientation — {mois_txt}", anchor="parcours")
    style.legende("Nouveaux entrants du mois : part reçue en premier rendez-vous d'accompagnement dans les 30 jours "
                  "suivant l'orientation, et délais du premier rendez-vous comptés depuis la réception de la "
                  "notification (T0).")
    rows = [par_code[c] for c in entonnoir.PARCOURS if c in par_code]
    if rows:
        style.grille([style.carte(r, lib_parent, mois) for r in rows], classe="socle-parcours")
    else:
        st.info("Les indicateurs du parcours après orientation ne sont pas dans l'instantané publié.")
