"""French number, date and status formats for the screens (no Streamlit here: plain functions).

Figures follow French typography: a no-break space between thousands, a decimal comma,
a no-break space before « % ». Masked cells never show a number: they show « secret ».
"""

from __future__ import annotations

import math
from datetime import date, datetime

from socle.rounding import round_half_up_text

NBSP = "\u00a0"
MINUS = "\u2212"

SECRET = "secret"
PROVISOIRE = "provisoire"
DEFINITIF = "definitif"

MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre"]

NIVEAUX = {"national": "France entière", "region": "Région", "departement": "Département", "bassin": "Bassin"}

STATUTS = {DEFINITIF: "définitif", PROVISOIRE: "provisoire", SECRET: "secret"}

PRODUCTEURS = {"caf": "CAF/MSA", "ft": "France Travail", "referentiel": "Référentiel des bassins"}
TYPES_FICHIER = {
    "rsa": "RSA (fichier mensuel)",
    "orientations": "Orientations",
    "accompagnements": "Accompagnements",
    "inscriptions": "Inscriptions",
    "reprises_emploi": "Reprises d'emploi",
    "bassins": "Référentiel des bassins",
}


def _group(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return NBSP.join(out)


def nombre(x: float | int | None, decimales: int = 0, signe: bool = False) -> str:
    """12345.6 -> '12 345,6' (no-break spaces); signe=True adds '+' (and a true minus sign).
    Rounded as the open data rounds (socle.rounding, ties away from zero: 8.25 -> '8,3')."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    text = round_half_up_text(abs(x), decimales)
    neg = x < 0 and text.strip("0.") != ""
    entier, _, frac = text.partition(".")
    body = _group(entier) + ("," + frac if frac else "")
    if neg:
        return MINUS + body
    return ("+" + body) if signe else body


def est_taux(type_indicateur: str) -> bool:
    return type_indicateur == "taux"


def est_delai(type_indicateur: str) -> bool:
    return type_indicateur.startswith("delai")


def valeur(x: float | None, type_indicateur: str) -> str:
    """The figure as shown: counts as integers, rates in % with one decimal, delays in days."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if est_taux(type_indicateur):
        return nombre(100 * x, 1) + NBSP + "%"
    if est_delai(type_indicateur):
        return nombre(x, 1) + NBSP + "j"
    return nombre(x, 0)


def cellule(x: float | None, statut: str | None, type_indicateur: str, denominateur: int | None = None) -> str:
    """A cell of a table or card: « secret » for a masked cell, never a number; (p) for provisoire."""
    if statut == SECRET:
        return SECRET
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "sans objet" if denominateur == 0 else "non disponible"
    text = valeur(x, type_indicateur)
    return text + (NBSP + "(p)" if statut == PROVISOIRE else "")


def evolution(actuel: float | None, avant: float | None, type_indicateur: str) -> str | None:
    """Change between two published figures: points for rates, days for delays, count and % for counts.
    None when either side is missing (a masked side is never used: callers pass None for it)."""
    if actuel is None or avant is None or any(isinstance(v, float) and math.isnan(v) for v in (actuel, avant)):
        return None
    diff = actuel - avant
    if diff == 0:
        return "stable"
    if est_taux(type_indicateur):
        return nombre(100 * diff, 1, signe=True) + NBSP + "pt"
    if est_delai(type_indicateur):
        return nombre(diff, 1, signe=True) + NBSP + "j"
    text = nombre(diff, 0, signe=True)
    if avant:
        text += f" ({nombre(100 * diff / avant, 1, signe=True)}{NBSP}%)"
    return text


def typographie(texte: str) -> str:
    """French spacing: no-break spaces inside « » and before : ; ! ?."""
    for a, b in (("« ", "«" + NBSP), (" »", NBSP + "»"), (" :", NBSP + ":"), (" ;", NBSP + ";"),
                 (" !", NBSP + "!"), (" ?", NBSP + "?")):
        texte = texte.replace(a, b)
    return texte


def fleche(actuel: float | None, avant: float | None) -> str:
    if actuel is None or avant is None:
        return ""
    if actuel > avant:
        return "▲"
    if actuel < avant:
        return "▼"
    return "="


def mois_decale(m: date, n: int) -> date:
    """The first day of the month n months after m (n < 0: before)."""
    k = m.year * 12 + m.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


def mois_long(m: date) -> str:
    return f"{MOIS[m.month - 1]} {m.year}"


def mois_court(m: date) -> str:
    return f"{m.year:04d}-{m.month:02d}"


def horodatage(t: datetime | None) -> str:
    if t is None:
        return "—"
    return t.strftime("%d/%m/%Y à %H:%M")


def jour(t: date | datetime | None) -> str:
    if t is None:
        return "—"
    return t.strftime("%d/%m/%Y")


def statut(s: str | None) -> str:
    return STATUTS.get(s or "", s or "")


def producteur(code: str, libelles_departements: dict[str, str] | None = None) -> str:
    if code in PRODUCTEURS:
        return PRODUCTEURS[code]
    lib = (libelles_departements or {}).get(code)
    return f"Département {code}" + (f" – {lib}" if lib else "")


def type_fichier(code: str) -> str:
    return TYPES_FICHIER.get(code, code)
