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
from publication import ventilations
from publication.table import BREAKDOWN_LEVELS

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
    _repartitions(snapshot, sel, code, typ, lib)


def repartitions(snapshot, niveau: str, code_territoire: str, mois, indicateur: str) -> list[tuple[str, pl.DataFrame]]:
    """(label of the breakdown, its rows in the seed's order) of an indicator, territory and month:
    the published (masked) breakdown rows, labelled from the seed `ventilations`."""
    rows = snapshot.ventilations if snapshot.ventilations is not None else pl.DataFrame()
    if rows.is_empty():
        return []
    rows = rows.filter((pl.col("indicateur") == indicateur) & (pl.col("niveau") == niveau)
                       & (pl.col("code_territoire") == code_territoire) & (pl.col("mois") == mois))
    labelled = rows.join(ventilations.labels(), on=["ventilation", "modalite"], how="left").sort(
        "ordre_ventilation", "ordre_modalite", nulls_last=True)
    return [(group["libelle_ventilation"][0] or name, group)
            for (name,), group in labelled.group_by("ventilation", maintain_order=True)]


def _repartitions(snapshot, sel: selection.Selection, code: str, typ: str, lib: str) -> None:
    st.header("Répartitions", anchor="repartitions")
    if sel.niveau not in BREAKDOWN_LEVELS:
        where, rest = ventilations.levels_text(BREAKDOWN_LEVELS)
        style.legende(f"Les répartitions (sexe, âge, ancienneté du droit, organisme référent…) sont publiées pour "
                      f"{where} ; celles qui concernent {rest} ne le sont pas encore.")
        return
    blocs = repartitions(snapshot, sel.niveau, sel.code, sel.mois, code)
    if not blocs:
        style.legende("Aucune répartition n'est publiée pour cet indicateur.")
        return
    style.legende("Les catégories d'une répartition s'additionnent au chiffre d'ensemble ; « secret » : case "
                  "masquée (secret statistique), avec celles qui permettraient de la recalculer.")
    for titre, rows in blocs:
        caption = f"{titre} — {lib}, {fmt.mois_long(sel.mois)}"
        body = "".join(
            f'<tr><th scope="row">{escape(m or "")}</th>'
            f'<td>{escape(fmt.cellule(v["valeur"], v["statut"], typ, v["denominateur"]))}</td>'
            f'<td>{escape(_quantites(v))}</td><td>{escape(fmt.statut(v["statut"]))}</td></tr>'
            for m, v in zip(rows["libelle_modalite"].fill_null(rows["modalite"]), rows.iter_rows(named=True)))
        st.markdown(f"### {escape(titre)}")
        st.markdown(style.tableau(caption, ["Catégorie", "Chiffre", "Numérateur / dénominateur", "Statut"], body,
                                  classe="socle-table socle-repartition"), unsafe_allow_html=True)


def _quantites(v: dict) -> str:
    if v["statut"] == fmt.SECRET:
        return "secret"
    num, den = v["numerateur"], v["denominateur"]
    return " / ".join(fmt.nombre(x) for x in (num, den) if x is not None) or "—"


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
