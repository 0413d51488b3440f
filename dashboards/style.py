"""The look of French public services: the DSFR's stylesheets and components (cards, tables,
badges, callouts, alerts), its colours and Marianne (Arial when absent), and the HTML of the
indicator cards. Every text put into HTML goes through `html.escape`."""

from __future__ import annotations

from html import escape

import streamlit as st

from dashboards import cibles, fenetres
from dashboards import formatting as fmt

BLEU_FRANCE = "#000091"
ROUGE_MARIANNE = "#E1000F"
GRIS = {"50": "#161616", "200": "#3A3A3A", "425": "#666666", "625": "#929292", "900": "#DDDDDD",
        "950": "#EEEEEE", "975": "#F6F6F6"}
POLICE = 'Marianne, Arial, "Helvetica Neue", Helvetica, sans-serif'

# The DSFR's own stylesheets (its core and the components the screens use: tables, badges, callouts,
# alerts, cards), served by Streamlit from dashboards/static where `make` installs the package
# (dashboards/static/package.json). Without them (no npm), the rules of CSS below keep the colours of
# figures, badges and tables; cards lose their frame, callouts and alerts become plain text.
DSFR = "app/static/node_modules/@gouvfr/dsfr/dist"
DSFR_CSS = ("core/core.min.css", "component/badge/badge.min.css", "component/callout/callout.min.css",
            "component/alert/alert.min.css", "component/table/table.min.css", "component/card/card.min.css")
FEUILLES_DSFR = "<style>" + "".join(f'@import url("{DSFR}/{f}");' for f in DSFR_CSS) + "</style>"

CSS = f"""
<style>
html, body, .stApp, .stMarkdown, button, input, select, textarea, [data-testid="stSidebar"] {{
  font-family: {POLICE};
}}
h1, h2, h3 {{ color: {GRIS['50']}; font-weight: 700; }}
.socle-bandeau {{ border-bottom: 1px solid {GRIS['900']}; padding: 0 0 .75rem 0; margin-bottom: 1rem; }}
.socle-bandeau .socle-service {{ color: {BLEU_FRANCE}; font-weight: 700; font-size: 1.25rem; }}
.socle-bandeau .socle-sous-titre {{ color: {GRIS['200']}; font-size: 1rem; }}
.socle-grille {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem;
  margin: .5rem 0 1rem 0; }}
.socle-carte {{ border-bottom: 4px solid {BLEU_FRANCE}; }}
.socle-carte .fr-card__body {{ padding: 0 1.25rem; }}
.socle-carte .fr-card__content {{ padding: 1.25rem 1.25rem 1rem 1.25rem; margin: 0 -1.25rem; }}
.socle-carte h3.fr-card__title {{ font-size: 1.05rem; line-height: 1.35; margin: 0 0 .5rem 0; padding: 0; }}
.socle-carte .fr-card__desc {{ margin-top: 0; font-size: 1rem; }}
.socle-carte .fr-card__desc > p, .socle-carte .fr-card__end > p {{ margin-bottom: 0; }}
.socle-carte .fr-card__end {{ padding: 0; margin-top: 0; height: auto; }}
.socle-valeur {{ font-size: 2.25rem; font-weight: 700; color: {BLEU_FRANCE}; line-height: 1.2; }}
.socle-valeur.socle-secret {{ color: {GRIS['200']}; font-style: italic; font-size: 1.75rem; }}
.socle-valeur.socle-vide {{ color: {GRIS['425']}; font-size: 1.5rem; }}
.socle-cible {{ font-weight: 700; }}
.socle-valeur.socle-en-cours {{ color: {GRIS['425']}; font-size: 1.1rem; font-weight: 700; }}
.socle-badge {{ display: inline-block; vertical-align: middle; font-size: .8rem; font-weight: 700;
  text-transform: uppercase; padding: .05rem .5rem; margin-left: .5rem; border-radius: .25rem; }}
.socle-badge-provisoire {{ color: #B34000; background: #FFE9E6; }}
.socle-badge-secret {{ color: {GRIS['200']}; background: {GRIS['950']}; }}
.socle-ligne {{ font-size: .95rem; color: {GRIS['200']}; margin: .2rem 0 0 0; }}
.socle-ligne b {{ color: {GRIS['50']}; }}
.socle-comparaison {{ border-top: 1px solid {GRIS['950']}; margin-top: .5rem; padding-top: .4rem; }}
.socle-legende {{ font-size: .9rem; color: {GRIS['200']}; }}
.socle-cadre {{ overflow-x: auto; margin: .5rem 0 1rem 0; }}
.socle-table {{ border-collapse: collapse; width: 100%; font-size: .95rem; }}
.socle-table caption {{ caption-side: top; text-align: left; font-weight: 700; padding: .25rem 0 .5rem 0;
  color: {GRIS['50']}; }}
.socle-table th, .socle-table td {{ padding: .45rem .75rem; border-bottom: 1px solid {GRIS['900']};
  text-align: right; white-space: nowrap; }}
.socle-table thead th {{ background: {GRIS['975']}; border-bottom: 2px solid {BLEU_FRANCE}; vertical-align: bottom;
  white-space: normal; min-width: 6.5rem; }}
.socle-table th[scope="row"], .socle-table thead th:first-child {{ text-align: left; position: sticky; left: 0;
  background: #fff; min-width: 14rem; white-space: normal; }}
.socle-table thead th:first-child {{ background: {GRIS['975']}; }}
.socle-table tbody tr:nth-child(even) td, .socle-table tbody tr:nth-child(even) th {{ background: {GRIS['975']}; }}
.socle-table td.socle-td-secret {{ color: {GRIS['200']}; font-style: italic; }}
.socle-table td.socle-td-provisoire {{ color: #B34000; }}
.socle-parcours {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem;
  margin: .5rem 0 1rem 0; }}
.socle-etapes-cadre {{ max-width: 80rem; }}
.socle-etapes {{ border-collapse: collapse; width: 100%; font-size: .95rem; }}
.socle-etapes caption {{ caption-side: top; text-align: left; font-weight: 700; padding: .25rem 0 .5rem 0;
  color: {GRIS['50']}; }}
.socle-etapes th, .socle-etapes td {{ padding: .45rem .75rem; border-bottom: 1px solid {GRIS['900']};
  text-align: right; }}
.socle-etapes thead th {{ background: {GRIS['975']}; border-bottom: 2px solid {BLEU_FRANCE}; }}
.socle-etapes th[scope="row"], .socle-etapes thead th:first-child {{ text-align: left; }}
.socle-etapes td.socle-td-secret {{ color: {GRIS['200']}; font-style: italic; }}
.socle-etapes td.socle-td-provisoire {{ color: #B34000; }}
.socle-note {{ font-size: .8rem; color: {GRIS['425']}; font-weight: 400; }}
.socle-texte {{ font-size: 1.05rem; line-height: 1.6; max-width: 60rem; }}
.socle-cadre:focus-visible {{ outline: 3px solid {BLEU_FRANCE}; outline-offset: 2px; }}
.socle-evitement {{ position: fixed; left: .5rem; top: -4rem; z-index: 1000000; padding: .5rem 1rem;
  background: #fff; color: {BLEU_FRANCE}; font-weight: 700; border: 2px solid {BLEU_FRANCE}; }}
.socle-evitement:focus {{ top: .5rem; }}
</style>
"""

# The page is French (Streamlit's index.html says lang="en"), and its first focusable element is a
# skip link to the main content (RGAA 12.7). Streamlit draws the page itself: set both from the page,
# once per document (the script is idempotent, re-running it on a rerun changes nothing).
ACCESSIBILITE = """<script>
(function () {
  const doc = window.document;
  doc.documentElement.setAttribute("lang", "fr");
  const main = doc.querySelector('[data-testid="stMain"]') || doc.querySelector("main");
  if (main && !main.id) { main.id = "contenu"; main.setAttribute("tabindex", "-1"); }
  if (doc.getElementById("socle-evitement")) return;
  const a = doc.createElement("a");
  a.id = "socle-evitement";
  a.className = "socle-evitement";
  a.href = "#" + ((main && main.id) || "contenu");
  a.textContent = "Aller au contenu";
  a.addEventListener("click", function (e) {
    const main = doc.querySelector('[data-testid="stMain"]') || doc.querySelector("main");
    if (!main) return;
    e.preventDefault();
    main.id = main.id || "contenu";
    main.setAttribute("tabindex", "-1");
    main.focus();
  });
  doc.body.insertBefore(a, doc.body.firstChild);
})();
</script>"""


def appliquer() -> None:
    st.html(FEUILLES_DSFR)
    st.html(CSS)
    st.html(ACCESSIBILITE, unsafe_allow_javascript=True)


def bandeau(titre: str, sous_titre: str) -> None:
    st.markdown(
        f'<div class="socle-bandeau"><div class="socle-service">Socle commun d\'indicateurs – insertion</div>'
        f'<h1 style="margin:.25rem 0; padding:0">{escape(titre)}</h1>'
        f'<div class="socle-sous-titre">{escape(sous_titre)}</div></div>', unsafe_allow_html=True)


def encadre(texte: str, kind: str = "info") -> None:
    """The DSFR's callout (information) or small warning alert; `texte` is escaped."""
    texte = escape(fmt.typographie(texte))
    if kind == "avertissement":
        html = f'<div class="fr-alert fr-alert--warning fr-alert--sm socle-avertissement" role="note"><p>{texte}</p></div>'
    else:
        html = f'<div class="fr-callout socle-info" role="note"><p class="fr-callout__text">{texte}</p></div>'
    st.markdown(html, unsafe_allow_html=True)


def legende(html_text: str) -> None:
    """A legend paragraph (the caller escapes what it inserts)."""
    st.markdown(f'<p class="socle-legende">{fmt.typographie(html_text)}</p>', unsafe_allow_html=True)


def badge(statut: str | None) -> str:
    if statut == fmt.PROVISOIRE:
        return '<span class="fr-badge fr-badge--sm fr-badge--warning socle-badge socle-badge-provisoire">provisoire</span>'
    if statut == fmt.SECRET:
        return '<span class="fr-badge fr-badge--sm fr-badge--no-icon socle-badge socle-badge-secret">secret statistique</span>'
    return ""


def _figure(valeur, statut, type_ind, denominateur) -> str:
    """The figure of a card or comparison line: « secret » for a masked cell, never a number."""
    return escape(fmt.cellule(valeur, statut, type_ind, denominateur))


def libelle_annee(r: dict) -> str:
    """What the yearly line of a card covers: the year, or its computed months when it is not
    over; for a stock, the month it copies (pilotage.md: December, or the last computed month)."""
    fin = r["fin_an"]
    if r.get("chiffre_annuel") == "stock":
        return f"Année {fin.year} (chiffre de {fmt.mois_long(fin)})"
    if fin.month == 12:
        return f"Année {fin.year}"
    debut = "janvier" if fin.month > 1 else None
    return (f"Année {fin.year}, de {debut} à {fmt.MOIS[fin.month - 1]}" if debut else
            f"Année {fin.year}, janvier seul")


def carte(r: dict, libelle_parent: str | None, mois) -> str:
    """One indicator card from a row of queries.cartes. A figure whose observation window is still
    running (`attendu_en`) shows when its result is expected, never its partial value."""
    typ = r["type_indicateur"]
    statut = r["statut"]
    attendu = r.get("attendu_en")
    if attendu is not None:
        valeur_html = (f'<div class="socle-valeur socle-en-cours">{escape(fenetres.texte(attendu))}</div>')
    elif statut == fmt.SECRET:
        valeur_html = '<div class="socle-valeur socle-secret">secret</div>'
    elif r["valeur"] is None:
        valeur_html = f'<div class="socle-valeur socle-vide">{_figure(None, statut, typ, r["denominateur"])}</div>'
    else:
        valeur_html = f'<div class="socle-valeur">{escape(fmt.valeur(r["valeur"], typ))}</div>'
    lignes = []
    for suffix, label, m in (("_m1", "Mois précédent", fmt.mois_decale(mois, -1)),
                             ("_m12", "Un an plus tôt", fmt.mois_decale(mois, -12))):
        avant, st_avant = r[f"valeur{suffix}"], r[f"statut{suffix}"]
        en_cours = r.get(f"attendu_en{suffix}") is not None
        if en_cours:
            shown = fenetres.MESSAGE
        else:
            shown = _figure(avant, st_avant, typ, r[f"denominateur{suffix}"]) if st_avant else "non calculé"
        publie = statut != fmt.SECRET and st_avant not in (None, fmt.SECRET) and not en_cours and attendu is None
        evo = fmt.evolution(r["valeur"], avant, typ) if publie else None
        arrow = fmt.fleche(r["valeur"], avant) + " " if evo and evo != "stable" else ""
        evo_html = (f' <b>{escape(arrow + evo)}</b>' if evo else
                    (" <i>évolution non publiable</i>" if fmt.SECRET in (statut, st_avant) and attendu is None
                     and not en_cours else ""))
        lignes.append(f'<p class="socle-ligne">{label} ({escape(fmt.mois_long(m))}) : {shown}{evo_html}</p>')
    if r.get("statut_an") is not None:
        shown = (escape(fenetres.texte(r["attendu_en_an"])) if r.get("attendu_en_an") is not None else
                 _figure(r["valeur_an"], r["statut_an"], typ, r["denominateur_an"]))
        lignes.append(f'<p class="socle-ligne socle-annee">{escape(libelle_annee(r))} : {shown}</p>')
    comp = []

    def _comp(suffix: str) -> str:
        if attendu is not None:  # same indicator and month: the same window is running
            return fenetres.MESSAGE
        return _figure(r[f"valeur{suffix}"], r[f"statut{suffix}"], typ, r[f"denominateur{suffix}"])

    if libelle_parent is not None:
        comp.append(f'{escape(libelle_parent)} : <b>{_comp("_parent")}</b>')
    if r.get("statut_fr") is not None:
        comp.append(f'France : <b>{_comp("_fr")}</b>')
    comp_html = (f'<p class="socle-ligne socle-comparaison">{" · ".join(comp)}</p>' if comp else "")
    cible_html = ""
    if r.get("valeur_cible") is not None:
        ligne = cibles.texte(r["valeur"], statut, r["valeur_cible"], r["sens"], typ, mesurable=attendu is None)
        cible_html = (f'<p class="socle-ligne socle-cible" title="{escape(r.get("source_cible") or "")}">'
                      f'{escape(ligne)}</p>')
    # the DSFR's card: title, then the figure and its lines (description), then the comparisons (end)
    return (f'<div class="fr-card fr-card--no-arrow socle-carte" data-indicateur="{escape(r["indicateur"])}" '
            f'data-statut="{escape(statut or "")}"><div class="fr-card__body"><div class="fr-card__content">'
            f'<h3 class="fr-card__title">{escape(r["libelle"])}{badge(statut) if attendu is None else ""}</h3>'
            f'<div class="fr-card__desc">{valeur_html}{cible_html}{"".join(lignes)}</div>'
            f'<div class="fr-card__end">{comp_html}</div></div></div></div>')


def tableau(titre: str, entetes: list[str], corps: str, classe: str = "socle-table", multiligne: bool = False) -> str:
    """An accessible HTML table: its caption, the column headers (plain text, given a scope, or `<th>`
    cells as they are) and the rows' HTML (the caller escapes what it puts in either). A wide table
    scrolls sideways inside its frame, so the frame takes the keyboard focus and bears the table's
    name (RGAA 7.3, axe-core's `scrollable-region-focusable`). `multiligne`: cells wrap their text
    (the DSFR's tables keep each cell on one line otherwise)."""
    th = "".join(h if h.startswith("<th") else f'<th scope="col">{escape(h)}</th>' for h in entetes)
    cadre = f"fr-table__container socle-cadre {classe.split()[0]}-cadre"
    dsfr = "fr-table fr-table--sm fr-table--bordered" + (" fr-table--multiline" if multiligne else "")
    return (f'<div class="{dsfr}"><div class="fr-table__wrapper">'
            f'<div class="{cadre}" tabindex="0" role="region" aria-label="{escape(titre)}">'
            f'<div class="fr-table__content"><table class="{classe}"><caption>{escape(titre)}</caption>'
            f'<thead><tr>{th}</tr></thead><tbody>{corps}</tbody></table></div></div></div></div>')


def grille(cartes_html: list[str], classe: str = "socle-grille") -> None:
    st.markdown(f'<div class="{escape(classe)}">{"".join(cartes_html)}</div>', unsafe_allow_html=True)
