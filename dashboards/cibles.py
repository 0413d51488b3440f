"""Targets of the figures (pilotage.md, « Targets »): the target of a card and its gap, in words.

The target of a figure is the row of `marts.cibles` for its (indicator, territory, month); the gap is
`valeur − valeur_cible`; the figure meets its target when the gap is ≥ 0 (`sens` minimum) or ≤ 0
(`sens` maximum). Met or not is said in words (never by colour alone). A masked figure has no gap
shown (it would give the figure away); a figure not yet measurable has none either.
"""

from __future__ import annotations

from dashboards import formatting as fmt


def valeur_cible(v: float, type_indicateur: str) -> str:
    """'100 %' for 1.0 (no decimal when the target is a whole percentage), '30 j', '1 200'."""
    if fmt.est_taux(type_indicateur):
        pct = 100 * v
        return fmt.nombre(pct, 0 if round(pct, 1) == round(pct) else 1) + fmt.NBSP + "%"
    if fmt.est_delai(type_indicateur):
        return fmt.nombre(v, 0 if v == round(v) else 1) + fmt.NBSP + "j"
    return fmt.nombre(v, 0)


def atteinte(valeur: float, cible: float, sens: str) -> bool:
    ecart = valeur - cible
    return ecart <= 0 if sens == "maximum" else ecart >= 0


def ecart(valeur: float, cible: float, type_indicateur: str) -> str:
    """'−88,2 points' (rates), '+3,5 jours' (delays), '−120' (counts)."""
    d = valeur - cible
    if fmt.est_taux(type_indicateur):
        x, dec, unite = 100 * d, 1, fmt.NBSP + "points"
    elif fmt.est_delai(type_indicateur):
        x, dec, unite = d, 1, fmt.NBSP + "jours"
    else:
        x, dec, unite = d, 0, ""
    return fmt.nombre(x, dec, signe=round(abs(x), dec) != 0) + unite  # a nil gap has no sign


def texte(valeur: float | None, statut: str | None, cible: float, sens: str, type_indicateur: str,
          mesurable: bool = True) -> str:
    """The target line of a card, e.g. 'Cible : 100 % — écart : −88,2 points, non atteinte'."""
    prefixe = "Cible : " + ("au plus " if sens == "maximum" else "") + valeur_cible(cible, type_indicateur)
    if not mesurable:
        return prefixe + " — écart non mesurable avant la fin de la fenêtre d'observation"
    if statut == fmt.SECRET:
        return prefixe + " — écart non publiable (secret statistique)"
    if valeur is None:
        return prefixe + " — écart non calculable (chiffre non disponible)"
    mot = "atteinte" if atteinte(valeur, cible, sens) else "non atteinte"
    return f"{prefixe} — écart : {ecart(valeur, cible, type_indicateur)}, {mot}"
