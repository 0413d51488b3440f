"""Main screen: for the chosen territory and month, one card per indicator, each indicator over time
against the parent territory, and the sub-territories side by side in a sortable table."""

from __future__ import annotations

from html import escape

import polars as pl
import streamlit as st

from dashboards import couverture, exports, fenetres, graphiques, queries, selection, style
from dashboards import formatting as fmt
from dashboards.data import Snapshot
from dashboards.ecrans import commun, entonnoir

CIBLES = ("Quand une cible est fixée pour le mois, la carte la donne avec l'écart (chiffre moins cible) et dit si "
          "elle est atteinte.")
NON_COUVERT = "non couvert"
TITRE_SOUS = {"national": "Les régions", "region": "Les départements", "departement": "Les bassins"}


def tableau_sous_territoires(snapshot: Snapshot, long: pl.DataFrame, tri: str = "territoire",
                             decroissant: bool = False) -> tuple[list[str], list[dict]]:
    """The table of sub-territories, one row per sub-territory and one column per indicator, sorted
    by `tri` ('territoire' or an indicator code): masked cells, and figures that do not exist, always
    last. Returns (headers, rows); each row holds 'territoire' and, per indicator, the shown text
    (« secret » for a masked cell, never a number; « (p) » after a provisoire figure) and the number
    used for sorting."""
    inds = snapshot.indicateurs.select("indicateur", "libelle_court", "type_indicateur").rows()
    terr = long.select("code_territoire", "libelle_territoire", "autres_departements").unique("code_territoire")
    by_key = {(r["code_territoire"], r["indicateur"]): r for r in long.iter_rows(named=True)}
    dernier = snapshot.mois[-1] if snapshot.mois else None
    rows = []
    niveaux = dict(long.select("code_territoire", "niveau").unique("code_territoire").iter_rows())
    for code, lib, autres in terr.iter_rows():
        row = {"code": code, "territoire": f"{lib} ({code})", "autres": autres, "cells": {}}
        non_couvert = couverture.couverture(snapshot, niveaux[code], code).vide
        for code_ind, _libelle, typ in inds:
            r = by_key.get((code, code_ind))
            statut = r["statut"] if r else None
            v = r["valeur"] if r else None
            texte = fmt.cellule(v, statut, typ, r["denominateur"]) if r else "—"
            nombre = None if (statut == fmt.SECRET or v is None) else float(v)
            if r and r["mois"] is not None and fenetres.attendu_en(code_ind, r["mois"], dernier) is not None:
                texte, nombre = fenetres.MESSAGE, None
            if non_couvert:  # no file reaches it: its zeros are not measured
                texte, nombre, statut = NON_COUVERT, None, None
            row["cells"][code_ind] = {"texte": texte, "nombre": nombre, "statut": statut}
        rows.append(row)
    if tri in dict((c, 1) for c, *_ in inds):
        present = [r for r in rows if r["cells"][tri]["nombre"] is not None]
        absent = [r for r in rows if r["cells"][tri]["nombre"] is None]
        present.sort(key=lambda r: (r["cells"][tri]["nombre"], r["territoire"]), reverse=decroissant)
        absent.sort(key=lambda r: (r["cells"][tri]["texte"] != fmt.SECRET, r["territoire"]))
        rows = present + absent
    else:
        rows.sort(key=lambda r: r["territoire"], reverse=decroissant)
    heads = [court for _, court, _ in inds]  # short labels: seed indicateurs_definitions.libelle_court
    return heads, rows


def tableau_html(snapshot: Snapshot, heads: list[str], rows: list[dict], titre: str) -> str:
    """An accessible HTML table (caption, header cells with scope) in the DSFR look."""
    inds = snapshot.indicateurs.select("indicateur", "libelle").rows()
    th = [f'<th scope="col" title="{escape(lib)}" data-indicateur="{escape(c)}">{escape(h)}</th>'
          for (c, lib), h in zip(inds, heads)]
    body = []
    for r in rows:
        cross = (f'<br><span class="socle-note">à cheval sur {escape(r["autres"])}</span>' if r["autres"] else "")
        tds = []
        for c, _lib in inds:
            cell = r["cells"][c]
            cls = ("socle-td-secret" if cell["statut"] == fmt.SECRET else
                   "socle-td-provisoire" if cell["statut"] == fmt.PROVISOIRE else "")
            tds.append(f'<td class="{cls}" data-indicateur="{escape(c)}">{escape(cell["texte"])}</td>')
        body.append(f'<tr data-code="{escape(r["code"])}"><th scope="row">{escape(r["territoire"])}{cross}</th>'
                    f'{"".join(tds)}</tr>')
    return style.tableau(titre, ["Territoire", *th], "".join(body))


def _cartes(snapshot: Snapshot, sel: selection.Selection, lib_parent: str | None) -> pl.DataFrame:
    rows = queries.cartes(snapshot.cle, sel.niveau, sel.code, sel.mois)
    style.grille([style.carte(r, lib_parent, sel.mois) for r in rows.iter_rows(named=True)])
    return rows


def _evolution(snapshot: Snapshot, serie: pl.DataFrame, lib: str, lib_parent: str | None) -> None:
    inds = snapshot.indicateurs.select("indicateur", "libelle", "type_indicateur").rows()
    cols = st.columns(2, gap="large")
    for i, (code_ind, libelle, typ) in enumerate(inds):
        s = serie.filter(pl.col("indicateur") == code_ind)
        with cols[i % 2]:
            st.markdown(f"### {libelle}")
            st.vega_lite_chart(spec=graphiques.evolution(s, typ, lib, lib_parent), width="stretch",
                               alt=graphiques.texte_alternatif(s, libelle, typ, lib), key=f"evolution_{code_ind}")
            mine = s.filter(pl.col("role") == "territoire")
            n_secret = mine.filter((pl.col("statut") == fmt.SECRET) & pl.col("attendu_en").is_null()).height
            en_cours = mine.filter(pl.col("attendu_en").is_not_null())
            mine = mine.filter(pl.col("attendu_en").is_null())
            n_prov = mine.filter(pl.col("statut") == fmt.PROVISOIRE).height
            notes = []
            if en_cours.height:
                notes.append(f"{en_cours.height} derniers mois non tracés : fenêtre d'observation en cours "
                             f"(résultat de {fmt.mois_long(en_cours['mois'].max())} attendu en "
                             f"{fmt.mois_long(en_cours['attendu_en'].max())})")
            if n_secret:
                notes.append(f"{n_secret} mois masqués (secret statistique) ne sont pas tracés")
            if n_prov:
                notes.append(f"{n_prov} mois provisoires (points creux)")
            if typ == "effectif" and lib_parent:
                notes.append(f"un seul axe pour {lib} et {lib_parent}")
            if notes:
                st.caption(" ; ".join(notes) + ".")


def render() -> None:
    snapshot = commun.snapshot()
    sel = selection.barre_laterale(snapshot)
    with st.sidebar:
        commun.veille(snapshot.cle)

    for message in st.session_state.get("messages_url", []):
        st.warning(message)

    if sel.mois is None:
        style.bandeau("Aucun mois calculé", "L'instantané publié ne contient encore aucun chiffre.")
        commun.pied(snapshot)
        return

    lib = snapshot.libelle_territoire(sel.niveau, sel.code)
    par = queries.parent(snapshot, sel.niveau, sel.code)
    lib_parent = snapshot.libelle_territoire(*par) if par else None
    niveau_txt = fmt.NIVEAUX[sel.niveau] + (f" {sel.code}" if sel.niveau != "national" else "")
    style.bandeau(lib, f"{niveau_txt} · {fmt.mois_long(sel.mois)} · chiffres soumis au secret statistique")

    if snapshot.bassins_substituts and sel.niveau in ("departement", "bassin"):
        style.encadre("Bassins : aucun référentiel des bassins (périmètres des comités locaux pour l'emploi) n'a "
                      "été chargé ; les arrondissements du Code officiel géographique en tiennent lieu sur cet écran.",
                      "avertissement")
    if sel.niveau == "bassin":
        deps = queries.departements_du_bassin(snapshot, sel.code)
        if len(deps) > 1:
            style.encadre(f"Ce bassin s'étend sur plusieurs départements ({', '.join(deps)}) : il est comparé au "
                          f"département {par[1] if par else deps[0]}, qui regroupe la plus grande part de sa population.")

    couv = couverture.message(snapshot, sel.niveau, sel.code, lib)
    if couv is not None:
        style.encadre(couv[0], "avertissement" if couv[1] == "vide" else "info")
        if couv[1] == "vide":
            commun.pied(snapshot)
            return

    cartes_long = queries.cartes_long(snapshot.cle, sel.niveau, sel.code, sel.mois)
    serie = queries.series(snapshot.cle, sel.niveau, sel.code)
    sous = queries.tableau(snapshot.cle, sel.niveau, sel.code, sel.mois)
    t_cartes = exports.table(snapshot, "cartes", cartes_long)
    t_annee = exports.table(snapshot, "annee", queries.annee_long(snapshot.cle, sel.niveau, sel.code, sel.mois))
    t_serie = exports.table(snapshot, "evolution", serie)
    t_sous = exports.table(snapshot, "sous_territoires", sous.drop("autres_departements"))
    base = f"socle_{sel.niveau}_{sel.code}_{fmt.mois_court(sel.mois)}"

    st.download_button("Télécharger tous les chiffres affichés (CSV)", exports.csv(t_cartes, t_annee, t_serie, t_sous),
                       file_name=f"{base}.csv", mime="text/csv", on_click="ignore",
                       key="dl_tout")

    st.header(f"Chiffres de {fmt.mois_long(sel.mois)}", anchor="chiffres")
    if par:
        pour = "la France entière" if par == ("national", "FR") else f"{escape(lib_parent)} et pour la France entière"
        style.legende(f"Chaque carte donne le chiffre du mois, son évolution sur un mois et sur un an, et le même "
                      f"chiffre pour {pour}. « secret » : case masquée (secret statistique) ; « provisoire » : "
                      f"chiffre qui peut encore être révisé. {CIBLES}")
    else:
        style.legende("Chaque carte donne le chiffre national du mois et son évolution sur un mois et sur un an. "
                      f"« provisoire » : chiffre qui peut encore être révisé. {CIBLES}")
    rows_cartes = _cartes(snapshot, sel, lib_parent)
    st.download_button("Télécharger les cartes (CSV)", exports.csv(t_cartes, t_annee), file_name=f"{base}_cartes.csv",
                       mime="text/csv", on_click="ignore", key="dl_cartes")

    entonnoir.render(rows_cartes, lib, lib_parent, sel.mois)

    st.header("Évolution dans le temps", anchor="evolution")
    style.legende(f"{escape(lib)} (trait plein, bleu)"
                  + (f" comparé à {escape(lib_parent)} (tirets, rouge)" if lib_parent else "")
                  + ". Points creux : chiffres provisoires ; trait interrompu : mois masqué ou sans objet.")
    _evolution(snapshot, serie, lib, lib_parent)
    st.download_button("Télécharger les séries (CSV)", exports.csv(t_serie), file_name=f"{base}_evolution.csv",
                       mime="text/csv", on_click="ignore", key="dl_evolution")

    if sel.niveau == "bassin":
        st.header("Sous-territoires", anchor="sous-territoires")
        st.info("Le bassin est le niveau le plus fin : aucun territoire plus petit n'est publié.")
    else:
        st.header(f"{TITRE_SOUS[sel.niveau]}"
                  + (f" de {lib}" if sel.niveau != "national" else "") + f" — {fmt.mois_long(sel.mois)}",
                  anchor="sous-territoires")
        if sous.is_empty():
            st.info("Aucun sous-territoire dans le référentiel.")
        else:
            inds = snapshot.indicateurs.select("indicateur", "libelle").rows()
            options = ["territoire"] + [c for c, _ in inds]
            libelles = {"territoire": "Territoire (ordre alphabétique)", **dict(inds)}
            c1, c2 = st.columns([3, 2])
            tri = c1.selectbox("Trier le tableau par", options, format_func=libelles.get, key="tri_tableau")
            ordre = c2.segmented_control("Ordre", ["croissant", "décroissant"], default="décroissant"
                                         if tri != "territoire" else "croissant", key=f"ordre_{tri}")
            heads, rows = tableau_sous_territoires(snapshot, sous, tri, ordre == "décroissant")
            titre = (f"{TITRE_SOUS[sel.niveau]}" + (f" de {lib}" if sel.niveau != "national" else "")
                     + f", {fmt.mois_long(sel.mois)}")
            st.markdown(tableau_html(snapshot, heads, rows, titre), unsafe_allow_html=True)
            style.legende("Taux en %, délais en jours ; « secret » : case masquée (secret statistique) ; "
                          "« (p) » : chiffre provisoire ; « sans objet » : aucune personne dans la population "
                          "du chiffre. Les cases masquées restent en bas du tableau, quel que soit l'ordre.")
            st.download_button("Télécharger le tableau (CSV)", exports.csv(t_sous),
                               file_name=f"{base}_sous_territoires.csv", mime="text/csv", on_click="ignore",
                               key="dl_sous")
    commun.pied(snapshot)
