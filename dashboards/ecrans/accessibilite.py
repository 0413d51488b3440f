"""The accessibility statement (« déclaration d'accessibilité », RGAA 4.1.2 model of the DINUM),
linked from every page by the navigation (« Accessibilité : non conforme », the wording the law
asks for while no conformity audit exists)."""

from __future__ import annotations

import streamlit as st

from dashboards import style
from publication.licence import contact_text
from socle.settings import get_settings

ETAT = "non conforme"
TITRE_NAVIGATION = f"Accessibilité : {ETAT}"
ETABLIE_LE = "7 décembre 2026"
PAGES_CONTROLEES = (
    "le tableau de bord de la France",
    "le tableau de bord d'un département (Ille-et-Vilaine)",
    "le tableau de bord d'un bassin d'emploi",
    "la page d'un indicateur pour un département",
    "la page « Livraisons et quarantaine » (qualité des données)",
    "la page d'un indicateur pour la France, avec ses répartitions",
    "cette déclaration",
)


def texte(contact: str | None) -> str:
    """The statement (Markdown), `contact` the settings' contact (SOCLE_OPENDATA_CONTACT)."""
    pages = "\n".join(f"- {p} ;" for p in PAGES_CONTROLEES[:-1]) + f"\n- {PAGES_CONTROLEES[-1]}."
    return f"""
Le socle commun d'indicateurs s'engage à rendre ses tableaux de bord accessibles, conformément à
l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration s'applique aux tableaux de
bord des comités France Travail servis par le socle (cette application).

## État de conformité

Les tableaux de bord du socle sont **{ETAT}s** au référentiel général d'amélioration de
l'accessibilité (RGAA), version 4.1.2 : aucun audit de conformité n'a encore été réalisé.

## Résultats des tests

Un contrôle automatique est fait à chaque exécution des tests du socle, dans un navigateur
Chromium, avec le moteur de règles axe-core : aucune violation critique ni grave n'est admise, et
les titres doivent se suivre sans sauter de niveau. Pages contrôlées :

{pages}

Les mêmes tests vérifient que la page est déclarée en français, que le premier appui sur la touche
Tab atteint le lien d'évitement « Aller au contenu », que les tableaux qui défilent se parcourent au
clavier et que chaque graphique a un titre. Un contrôle automatique ne couvre qu'une partie des
critères du RGAA : il ne remplace pas un audit.

## Contenus non accessibles

- Les graphiques sont dessinés par Vega-Lite : leur titre dit ce qu'ils montrent, mais le graphique
  lui-même ne se parcourt pas point par point. Les mêmes chiffres sont publiés en open data (CSV et
  tableur), et ceux des cartes se téléchargent en CSV depuis la page.
- Les listes de choix, curseurs et onglets sont les composants de Streamlit : ils se manient au
  clavier, mais n'ont pas été audités avec un lecteur d'écran.
- Le Système de design de l'État (DSFR) est chargé (sa feuille de style de base, la police Marianne) et
  ses composants sont repris pour les cartes des indicateurs, les tableaux, les badges, les mises en
  avant et les alertes ; l'en-tête, la navigation et les listes de choix restent ceux du socle et de
  Streamlit, qui ne suivent pas les gabarits du DSFR.

## Établissement de cette déclaration

Cette déclaration a été établie le {ETABLIE_LE}.

- Technologies utilisées : HTML5, CSS, JavaScript (Streamlit), SVG et Canvas (Vega-Lite).
- Environnement de test : Chromium sans interface, piloté par Playwright ; axe-core.

## Retour d'information et contact

Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le responsable
du socle pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre
forme (les mêmes chiffres sont publiés en open data, en CSV et en tableur) : {contact_text(contact)}.

## Voies de recours

Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une
fonctionnalité, que vous nous l'avez signalé et que vous n'avez pas obtenu de réponse satisfaisante,
vous êtes en droit de saisir le Défenseur des droits :

- par le formulaire en ligne du site du Défenseur des droits ;
- en contactant le délégué du Défenseur des droits de votre région ;
- par téléphone : 09 69 39 00 00 ;
- par courrier, gratuitement, sans affranchissement : Défenseur des droits, Libre réponse 71120,
  75342 Paris CEDEX 07.
"""


def render() -> None:
    style.bandeau("Déclaration d'accessibilité", f"Tableaux de bord du socle commun d'indicateurs : {ETAT}s au RGAA 4.1.2")
    st.markdown(texte(get_settings().opendata_contact))
