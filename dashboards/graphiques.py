"""Charts over time, as plain Vega-Lite specifications drawn by `st.vega_lite_chart`
(Altair builds and validates the same charts ten times slower, which a page of nine charts feels).

The territory (bleu France, solid) is drawn against its parent (rouge Marianne, dashed). Masked
months are left out (the line breaks there: no point, no number); provisoire points are hollow.
Every chart has one y axis shared by the territory and its parent, counts included (never two
unrelated axes: they make a département and its région look alike). Dates are read in UTC.
"""

from __future__ import annotations

import polars as pl

from dashboards import formatting as fmt
from dashboards.style import BLEU_FRANCE, GRIS, ROUGE_MARIANNE

_AXE_FR = {
    "taux": "replace(format(datum.value, '.0f'), '.', ',') + ' %'",
    "delai": "replace(format(datum.value, '.0f'), '.', ',') + ' j'",
    "effectif": "replace(format(datum.value, ',.0f'), regexp(',', 'g'), ' ')",
}
# aria: False: the marks and axes of the SVG are not exposed one by one to screen readers (a mark
# container without a name is an axe "svg-img-alt" violation); the chart is named as a whole by the
# text alternative given to st.vega_lite_chart (texte_alternatif), and its figures are in the table
# and the downloads.
_CONFIG = {"font": "Arial, sans-serif", "view": {"strokeWidth": 0}, "mark": {"aria": False},
           "axis": {"aria": False, "labelFontSize": 12, "titleFontSize": 12, "labelColor": GRIS["200"], "gridColor": GRIS["950"]},
           "legend": {"labelFontSize": 13, "labelLimit": 400, "symbolStrokeWidth": 3, "orient": "bottom"}}


def _kind(type_indicateur: str) -> str:
    return "taux" if fmt.est_taux(type_indicateur) else ("delai" if fmt.est_delai(type_indicateur) else "effectif")


def donnees(serie: pl.DataFrame, type_indicateur: str) -> list[dict]:
    """Chart rows: the plotted value (rates in %; None for a masked or empty month) and the labels.
    A month whose observation window is still running (`attendu_en` set) is left out: it has no
    result yet, and drawing its partial count would drop the line to 0."""
    rows = []
    for r in serie.iter_rows(named=True):
        if r.get("attendu_en") is not None:
            continue
        v = r["valeur"]
        hidden = r["statut"] == fmt.SECRET or v is None
        rows.append({
            "mois": r["mois"].isoformat(), "serie": r["libelle_territoire"], "role": r["role"],
            "y": None if hidden else (100 * v if fmt.est_taux(type_indicateur) else v),
            "statut": fmt.statut(r["statut"]), "mois_txt": fmt.mois_long(r["mois"]),
            "affiche": fmt.cellule(v, r["statut"], type_indicateur, r["denominateur"]),
        })
    return rows


def evolution(serie: pl.DataFrame, type_indicateur: str, libelle_territoire: str,
              libelle_parent: str | None) -> dict:
    """The Vega-Lite spec of one indicator over time (data inline). The spec itself names no territory
    (names travel in the data, the tooltips and the text around the chart), so that choosing another
    territory only changes the data and the browser updates the chart instead of rebuilding it."""
    kind = _kind(type_indicateur)
    roles = ["territoire"] + (["parent"] if libelle_parent else [])
    scale = {"domain": roles, "range": [BLEU_FRANCE, ROUGE_MARIANNE][: len(roles)]}
    color = {"field": "role", "type": "nominal", "scale": scale, "legend": None}
    x = {"field": "mois", "type": "temporal", "title": None, "scale": {"type": "utc"},
         "axis": {"format": "%m/%Y", "labelAngle": 0, "grid": False, "tickCount": 6}}
    tooltip = [{"field": "serie", "title": "Territoire"}, {"field": "mois_txt", "title": "Mois"},
               {"field": "affiche", "title": "Valeur"}, {"field": "statut", "title": "Statut"}]

    def couche(role: str, orient: str, titre: str | None) -> dict:
        y = {"field": "y", "type": "quantitative", "title": titre, "scale": {"zero": kind != "delai"},
             "axis": {"labelExpr": _AXE_FR[kind], "orient": orient,
                      "titleColor": BLEU_FRANCE if role == "territoire" else ROUGE_MARIANNE}}
        dash = [1, 0] if role == "territoire" else [6, 4]
        return {"transform": [{"filter": f"datum.role === '{role}'"}], "layer": [
            {"mark": {"type": "line", "strokeWidth": 2.5, "strokeDash": dash,
                      "invalid": "break-paths-show-domains"},
             "encoding": {"x": x, "y": y, "color": color}},
            {"mark": {"type": "point", "size": 55, "strokeWidth": 2, "opacity": 1},
             "encoding": {"x": x, "y": y, "color": color, "tooltip": tooltip,
                          "fill": {"condition": {"test": "datum.statut === 'provisoire'", "value": "white"},
                                   "field": "role", "type": "nominal", "scale": scale, "legend": None}}},
        ]}

    spec: dict = {"height": 260, "data": {"values": donnees(serie, type_indicateur)}, "config": _CONFIG}
    # one y axis for every series, counts included: the territory is read against its parent on the
    # same scale (two independent axes drew a département and its région as the same line)
    spec["layer"] = [couche(role, "left", None) for role in roles]
    spec["resolve"] = {"scale": {"y": "shared"}}
    return spec


def barres(rows: list[dict], champ: str, valeur: str, titre: str) -> dict:
    """Horizontal bars (e.g. quarantined rows by reason), longest first."""
    return {
        "height": max(120, 32 * len(rows)), "data": {"values": rows}, "config": _CONFIG,
        "mark": {"type": "bar", "color": BLEU_FRANCE},
        "encoding": {
            # counts: whole numbers on the axis (never 0.00 … 1.00)
            "x": {"field": valeur, "type": "quantitative", "title": titre,
                  "axis": {"tickMinStep": 1, "format": "d"}},
            "y": {"field": champ, "type": "nominal", "sort": "-x", "title": None,
                  "axis": {"labelLimit": 400, "labelFontSize": 13}},
            "tooltip": [{"field": champ, "title": "Motif"}, {"field": valeur, "title": "Lignes"}],
        },
    }


def texte_alternatif(serie: pl.DataFrame, libelle: str, type_indicateur: str, libelle_territoire: str) -> str:
    """A sentence for screen readers: first and last published figures of the territory."""
    mine = [r for r in serie.filter(pl.col("role") == "territoire").iter_rows(named=True)
            if r["statut"] != fmt.SECRET and r["valeur"] is not None and r.get("attendu_en") is None]
    if not mine:
        return f"{libelle}, {libelle_territoire} : aucun chiffre publiable sur la période."
    a, b = mine[0], mine[-1]
    return (f"{libelle}, {libelle_territoire} : {fmt.valeur(a['valeur'], type_indicateur)} en "
            f"{fmt.mois_long(a['mois'])}, {fmt.valeur(b['valeur'], type_indicateur)} en {fmt.mois_long(b['mois'])}.")


def entonnoir(rows: list[dict]) -> dict:
    """The stock funnel as horizontal bars, steps in their order (rows of `entonnoir.donnees_graphique`).
    A masked step draws no bar: only its text (« secret ») sits at the start of its line. Provisional
    counts are drawn hollow (outlined), as the provisional points of the time series."""
    # the steps in their order (an explicit list: a sort by field is lost in a layered chart)
    y = {"field": "etape", "type": "nominal", "sort": [r["etape"] for r in rows], "title": None,
         "axis": {"labelLimit": 420, "labelFontSize": 13}}
    tooltip = [{"field": "etape", "title": "Étape"}, {"field": "affiche", "title": "Effectif"},
               {"field": "statut", "title": "Statut"}]
    plus_grand = max([r["effectif"] for r in rows if r["effectif"] is not None], default=0)
    x_scale = {"domain": [0, max(1, plus_grand) * 1.3], "nice": False}  # room for the text after the bar
    return {
        "height": 44 * max(1, len(rows)), "data": {"values": rows}, "config": _CONFIG,
        "encoding": {"y": y},
        "layer": [
            {"mark": {"type": "bar", "color": BLEU_FRANCE, "stroke": BLEU_FRANCE, "strokeWidth": 2},
             "encoding": {"x": {"field": "effectif", "type": "quantitative", "title": "Personnes",
                                "scale": x_scale, "axis": {"labelExpr": _AXE_FR["effectif"]}},
                          "fillOpacity": {"condition": {"test": "datum.statut === 'provisoire'", "value": 0.15},
                                          "value": 1},
                          "tooltip": tooltip}},
            {"mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 13, "color": "#161616"},
             "encoding": {"x": {"field": "x_texte", "type": "quantitative", "scale": x_scale},
                          "text": {"field": "affiche"},
                          "tooltip": tooltip},
             "transform": [{"calculate": "datum.effectif === null ? 0 : datum.effectif", "as": "x_texte"}]},
        ],
    }
