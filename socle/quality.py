"""Quality warnings on a producer's delivery (issue 16, finding 8).

A current delivery whose share of quarantined rows is above the governed
`seuil_avertissement_quarantaine` does not stop the run: the checks that block a publication
are those of publication.md (a secret cell left visible, a schema violation, an expected
territory or month missing). It flags that producer's figures instead, naming the file, the
share of quarantined rows and the main rules broken, in the run summary (`socle run`), in the
open-data manifest (`avertissements_qualite`), on the dashboards' quality page and in the
Dagster check `part_quarantaine` (severity WARN).

One function reads the warnings, from the warehouse's raw layer (`raw.livraisons`,
`raw.quarantaine`: before dbt, with the file's path in the landing folder) or from the marts of
a snapshot (`marts.fct_livraisons`, `marts.fct_quarantaine_motifs`: the path is rebuilt from the
contract's naming, since the marts do not carry it).
"""

from __future__ import annotations

from datetime import date

from socle.parameters import parameter

PARAMETER = "seuil_avertissement_quarantaine"
MAIN_RULES = 3

_SOURCES = {
    "raw": {
        "livraisons": "raw.livraisons",
        "chemin": "l.chemin",
        "motifs": "(select id_livraison, regle, count(distinct ligne) as nb_lignes from raw.quarantaine "
                  "group by id_livraison, regle)",
    },
    "marts": {
        "livraisons": "marts.fct_livraisons",
        "chemin": "null",
        "motifs": "(select id_livraison, regle, sum(nb_lignes) as nb_lignes from marts.fct_quarantaine_motifs "
                  "group by id_livraison, regle)",
    },
}


def threshold() -> float:
    return float(parameter(PARAMETER))


def contract_path(type_fichier: str | None, producteur: str | None, mois, extension: str | None) -> str:
    """The file's path in the landing folder as sources.md names it (`departements/35/orientations_2024-03.csv`)."""
    month = mois.strftime("%Y-%m") if isinstance(mois, date) else str(mois or "")[:7]
    folder = {"caf": "caf/", "ft": "ft/", "referentiel": "referentiels/"}.get(
        producteur or "", f"departements/{producteur}/" if producteur else "")
    return f"{folder}{type_fichier}_{month}.{extension or 'csv'}"


def _tables(con) -> set[str]:
    return {f"{s}.{t}" for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = current_database()"
    ).fetchall()}


def quarantine_warnings(con, limit: float | None = None, source: str = "marts") -> list[dict]:
    """Current deliveries whose share of quarantined rows is above `limit` (default: the governed
    parameter), worst first: fichier, type_fichier, producteur, mois (YYYY-MM), lignes_lues,
    lignes_quarantaine, part (0–1), seuil, regles ([{regle, lignes}], the MAIN_RULES most frequent)."""
    limit = threshold() if limit is None else limit
    rel = _SOURCES[source]
    present = _tables(con)
    livraisons = rel["livraisons"]
    if livraisons not in present:
        return []
    motifs_table = "raw.quarantaine" if source == "raw" else "marts.fct_quarantaine_motifs"
    motifs = rel["motifs"] if motifs_table in present else \
        "(select null::varchar as id_livraison, null::varchar as regle, 0::bigint as nb_lignes where false)"
    rows = con.execute(f"""
        select l.id_livraison, {rel['chemin']} as chemin, l.type_fichier, l.producteur, l.mois, l.extension,
               l.lignes_lues, l.lignes_quarantaine,
               (select list(struct_pack(regle := m.regle, lignes := m.nb_lignes::bigint)
                            order by m.nb_lignes desc, m.regle)
                from {motifs} m where m.id_livraison = l.id_livraison) as regles
        from {livraisons} l
        where l.est_courante and l.statut = 'acceptee' and l.lignes_lues > 0
          and l.lignes_quarantaine > ? * l.lignes_lues
        order by l.lignes_quarantaine::double / l.lignes_lues desc, l.type_fichier, l.producteur, l.mois""",
                       [limit]).fetchall()
    out = []
    for id_, chemin, type_, producteur, mois, ext, lues, quarantaine, regles in rows:
        out.append({
            "fichier": chemin or contract_path(type_, producteur, mois, ext),
            "id_livraison": id_, "type_fichier": type_, "producteur": producteur,
            "mois": mois.strftime("%Y-%m") if isinstance(mois, date) else mois,
            "lignes_lues": int(lues), "lignes_quarantaine": int(quarantaine),
            "part": round(quarantaine / lues, 4), "seuil": limit,
            "regles": [{"regle": r["regle"], "lignes": int(r["lignes"])} for r in (regles or [])[:MAIN_RULES]],
        })
    return out


def percent(share: float) -> str:
    return f"{100 * share:.1f}".replace(".", ",") + " %"


def message(warning: dict) -> str:
    """One warning in French, for a person: file, share, threshold, main rules, what it means."""
    rules = ", ".join(f"{r['regle']} ({r['lignes']} ligne{'s' if r['lignes'] > 1 else ''})"
                      for r in warning["regles"]) or "non détaillées"
    return (f"{warning['fichier']} : {percent(warning['part'])} des lignes en quarantaine "
            f"({warning['lignes_quarantaine']} sur {warning['lignes_lues']}, seuil d'avertissement "
            f"{percent(warning['seuil'])}) ; règles principales : {rules}. Les chiffres qui dépendent de ce "
            f"fichier (producteur {warning['producteur']}, {warning['mois']}) sont à lire avec prudence ; "
            f"les autres producteurs ne sont pas touchés. À faire : le producteur corrige le fichier et le redépose.")
