"""The stock funnel of a territory and month: each step's published count and rate, as shown.

Every number comes from a published (masked) cell, as it is: the count of a step is the `valeur` of a
count indicator or the `numerateur` of a rate (contract signed: numerator of
`part_orientes_contrat_signe`; registered at France Travail: numerator of `part_stock_inscrit_ft`).
Nothing is computed back from other cells (no subtraction, no rate × count): a masked cell shows
« secret », and a step whose count is masked shows no bar. A provisional figure says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboards import cibles, fenetres
from dashboards import formatting as fmt
from publication.table import BREAKDOWN_LEVELS
from publication.ventilations import levels_text

# (step, label, count indicator, count column, rate indicator, what the rate is a share of)
ETAPES = (
    ("stock", "Bénéficiaires soumis aux droits et devoirs", "beneficiaires_sdd", "valeur", None, None),
    ("orientes", "Orientés par leur département", "beneficiaires_orientes", "valeur", "part_stock_oriente",
     "du stock"),
    ("contrat", "Orientés ayant signé leur contrat d'engagement (CER ou PPAE)", "part_orientes_contrat_signe",
     "numerateur", "part_orientes_contrat_signe", "des orientés"),
    ("inscrits_ft", "Inscrits à France Travail", "part_stock_inscrit_ft", "numerateur", "part_stock_inscrit_ft",
     "du stock"),
    ("attente", "En attente d'orientation", "beneficiaires_en_attente_orientation", "valeur", None, None),
)
PARCOURS = ("taux_premier_rdv_30j", "delai_premier_rdv_moyen_j", "delai_premier_rdv_median_j")
NON_CALCULE = "non calculé"
ANCIENNETE = ("La répartition des personnes en attente d'orientation selon l'ancienneté de leur droit est "
              f"publiée pour {levels_text(BREAKDOWN_LEVELS)[0]} seulement, sur la page de l'indicateur "
              "« Bénéficiaires soumis aux droits et devoirs en attente d'orientation » (rubrique Répartitions) ; "
              "celles des autres territoires ne le sont pas encore.")


@dataclass(frozen=True)
class Etape:
    code: str
    libelle: str
    effectif: int | None        # the published count, None when masked or not available
    effectif_texte: str         # « secret », « 7 200 », « non disponible »…
    part_texte: str | None      # « 80,0 % du stock », « secret », None when the step has no rate
    provisoire: bool            # the count or the rate may still be revised
    secret: bool                # the count is masked
    cible_texte: str | None = None  # the target of the rate and its gap (marts.cibles), None without one

    @property
    def statut_texte(self) -> str:
        if self.effectif_texte == NON_CALCULE:
            return "—"
        if self.secret:
            return "secret statistique"
        return "provisoire" if self.provisoire else "définitif"


def _texte(row: dict | None, colonne: str, type_indicateur: str) -> tuple[str, float | None]:
    """The shown text of one published figure and its number (None when not shown as a number)."""
    if row is None or row.get("statut") is None:
        return NON_CALCULE, None
    if row.get("attendu_en") is not None:
        return fenetres.MESSAGE, None
    if row["statut"] == fmt.SECRET:
        return fmt.SECRET, None
    v = row[colonne]
    if v is None:
        return fmt.cellule(None, row["statut"], type_indicateur, row.get("denominateur")), None
    return fmt.valeur(float(v), type_indicateur), float(v)


def etapes(cartes: dict[str, dict]) -> list[Etape]:
    """The funnel steps from the rows of `queries.cartes` (indicator code → row at month M)."""
    out = []
    for code, libelle, ind_n, col_n, ind_p, de in ETAPES:
        rn = cartes.get(ind_n)
        texte_n, n = _texte(rn, col_n, "effectif")
        part = cible = None
        prov = rn is not None and rn.get("statut") == fmt.PROVISOIRE
        if ind_p is not None:
            rp = cartes.get(ind_p)
            texte_p, p = _texte(rp, "valeur", "taux")
            part = f"{texte_p} {de}" if p is not None else texte_p
            prov = prov or (rp is not None and rp.get("statut") == fmt.PROVISOIRE)
            if rp is not None and rp.get("valeur_cible") is not None:  # same line as the card's
                cible = cibles.texte(rp["valeur"], rp["statut"], rp["valeur_cible"], rp["sens"], "taux",
                                     mesurable=rp.get("attendu_en") is None)
        out.append(Etape(code=code, libelle=libelle, effectif=None if n is None else int(n), effectif_texte=texte_n,
                         part_texte=part, provisoire=prov, secret=texte_n == fmt.SECRET, cible_texte=cible))
    return out


def texte_alternatif(liste: list[Etape], libelle_territoire: str, mois_txt: str) -> str:
    """One sentence for screen readers: every step, its count, its rate and its status."""
    parts = []
    for e in liste:
        t = f"{e.libelle} : {e.effectif_texte}"
        if e.part_texte is not None and not e.secret:
            t += f" ({e.part_texte})"
        if e.provisoire and not e.secret:
            t += ", provisoire"
        parts.append(t)
    return f"Entonnoir du stock, {libelle_territoire}, {mois_txt}. " + " ; ".join(parts) + "."


def donnees_graphique(liste: list[Etape]) -> list[dict]:
    """Rows of the bar chart: a masked or missing step has no bar (effectif null) but keeps its label."""
    return [{"ordre": i, "etape": e.libelle, "effectif": e.effectif,
             "affiche": e.effectif_texte + (" (provisoire)" if e.provisoire and e.effectif is not None else ""),
             "statut": e.statut_texte} for i, e in enumerate(liste)]
