"""README.md of an open-data folder, in French, generated from marts.dim_indicateurs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from publication.readme_annuels import FILE_ROW_TARGETS, FILE_ROWS_YEARLY, targets_section, yearly_masking, yearly_section
from publication.licence import readme_section
from publication.schema import DESCRIPTIONS
from publication import ventilations
from publication.table import BREAKDOWN_LEVELS, COLUMNS, indicator_kinds
from socle import quality
from socle.settings import DEFAULT_OPENDATA_PRODUCER

KIND_LABELS = {
    "effectif": "effectif (nombre de personnes), publié en entier",
    "taux": "taux, publié comme une fraction entre 0 et 1 arrondie à 4 décimales",
    "delai_moyen": "délai moyen en jours, arrondi à 1 décimale",
    "delai_median": "délai médian en jours, arrondi à 1 décimale",
}
NIVEAU_LABELS = {"national": "France entière (code FR)", "region": "régions (codes COG)",
                 "departement": "départements (codes COG)", "bassin": "bassins d'emploi (comités locaux)"}
MOIS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"]


def _mois(text: str) -> str:
    year, month = text.split("-")
    return f"{MOIS_FR[int(month) - 1]} {year}"


def _date(d: date) -> str:
    return f"{d.day} {MOIS_FR[d.month - 1]} {d.year}"


def _bassin_notes(dim_territoires: pl.DataFrame) -> list[str]:
    """What the bassins are: the referential's, "hors référentiel" ones, or arrondissements standing in."""
    bassins = dim_territoires.filter(pl.col("niveau") == "bassin")
    if not bassins.height:
        return []
    n = bassins.filter(pl.col("est_substitut_arrondissement").fill_null(False)).height
    notes = []
    if n < bassins.height:
        notes += ["Les bassins sont ceux du référentiel des bassins d'emploi qui s'applique à chaque mois (celui de "
                  "l'année du mois) ; les communes absentes du référentiel sont regroupées dans un bassin « hors "
                  "référentiel » de leur département (code HR suivi du code du département).", ""]
    if n:
        notes += [f"**Attention** : {substitute_note(dim_territoires)}", ""]
    return notes


def substitute_note(dim_territoires: pl.DataFrame) -> str | None:
    """The warning every file showing bassins gives when arrondissements stand in for them (territories.md)."""
    if "est_substitut_arrondissement" not in dim_territoires.columns:
        return None
    n = dim_territoires.filter((pl.col("niveau") == "bassin")
                               & pl.col("est_substitut_arrondissement").fill_null(False)).height
    if not n:
        return None
    return (f"faute de référentiel de bassins chargé, {n} bassins sont en réalité des arrondissements du COG, "
            "qui en tiennent lieu (libellé suivi de « (arrondissement) »).")


def _cell(text: str) -> str:
    """Text for a cell of a Markdown table: a `|` would split the cell."""
    return text.replace("|", "\\|")


def _multi_departement_bassins(table: pl.DataFrame) -> int:
    if "departements_bassin" not in table.columns:
        return 0
    bassins = table.filter(pl.col("niveau") == "bassin").select("code_territoire", "departements_bassin").unique()
    return bassins.filter(pl.col("departements_bassin").str.contains("|", literal=True)).height


def render(*, day: date, folder_name: str | None = None, built_at: str, table: pl.DataFrame, dim_indicateurs: pl.DataFrame,
           dim_territoires: pl.DataFrame, threshold: int, snapshot_name: str, commit: str | None,
           previous: str | None, n_revisions: int, latest_deliveries: dict[str, str],
           warnings: list[dict] | None = None, producer: str = DEFAULT_OPENDATA_PRODUCER,
           contact: str | None = None, yearly: pl.DataFrame | None = None,
           targets: pl.DataFrame | None = None) -> str:
    """`yearly`: the published yearly table, `targets`: marts.cibles (their sections, when given)."""
    kinds = indicator_kinds(dim_indicateurs)
    months = sorted(table["mois"].unique().to_list())
    n_secret = table.filter(pl.col("statut") == "secret").height
    counts = dim_territoires.group_by("niveau").len()
    counts = dict(zip(counts["niveau"], counts["len"]))
    ind = dim_indicateurs.sort("ordre")
    lines = [
        f"# Socle commun d'indicateurs RSA — données ouvertes du {_date(day)}",
        "",
        "Indicateurs du socle commun de l'accompagnement des bénéficiaires du RSA (instruction "
        "DGEFP/DPE/2023/192, annexe 4, et rapport de préfiguration France Travail), calculés une seule "
        "fois à partir des fichiers partagés par la CAF/MSA, France Travail et les départements : le même "
        "chiffre pour le comité local, l'analyste de la DREETS et ce fichier.",
        "",
        "## Millésime",
        "",
        f"- Publication du {_date(day)} (dossier `{folder_name or day.isoformat()}`), construite le {built_at}.",
        f"- Mois couverts : de {_mois(months[0])} à {_mois(months[-1])} ({len(months)} mois)." if months
        else "- Aucun mois calculé.",
        f"- Instantané de l'entrepôt : `{snapshot_name}` ; version du code : `{commit or 'inconnue'}`.",
    ]
    if latest_deliveries:
        lines.append("- Dernier mois livré, par fichier source : " + " ; ".join(
            f"{name} {_mois(m)}" for name, m in sorted(latest_deliveries.items())) + ".")
    lines += [
        f"- {table.height} lignes, dont {n_secret} cases secrètes.",
        f"- Publication précédente : {previous} ({n_revisions} chiffres révisés, voir `revisions.csv`)."
        if previous else "- Première publication : aucune révision.",
        "- La liste des livraisons utilisées (avec leur empreinte SHA-256), la version du code et le seuil "
        "du secret figurent dans `manifest.json`.",
        *([f"- **Avertissements qualité** : {len(warnings)} fichier(s) déposé(s) avec une part élevée de lignes "
           "écartées (en quarantaine) ; les chiffres de ces producteurs pour ces mois sont publiés mais à lire avec "
           "prudence (détail dans `manifest.json`, rubrique `avertissements_qualite`) : "
           + " ; ".join(f"{w['fichier']} ({quality.percent(w['part'])})" for w in warnings) + "."]
          if warnings else []),
        "",
        *readme_section(producer, contact),
        "## Fichiers",
        "",
        "| fichier | contenu |",
        "|---|---|",
        "| `indicateurs.csv` | une ligne par indicateur × territoire × mois × catégorie ; UTF-8 sans BOM, virgule, "
        "ligne d'en-tête (un tableur qui l'ouvre directement peut mal afficher les accents : importez-le en "
        "UTF-8, ou ouvrez `indicateurs.xlsx`) |",
        "| `indicateurs.parquet` | la même table au format Parquet |",
        *(FILE_ROWS_YEARLY if yearly is not None else []),
        *([FILE_ROW_TARGETS] if targets is not None else []),
        "| `indicateurs.xlsx` | la même table au format Excel, pour les tableurs : une feuille par niveau "
        "géographique (une feuille de plus d'un million de lignes continue sur « bassin (2) »…) et une feuille "
        "`lisez-moi` ; les codes y restent du texte (`01`) et les accents s'affichent correctement |",
        "| `datapackage.json` | description des fichiers (Table Schema : types, valeurs permises, clé primaire) |",
        "| `revisions.csv` | chiffres de la publication précédente modifiés dans celle-ci |",
        "| `manifest.json` | date de construction, livraisons sources et leurs empreintes, version du code, seuil du secret |",
        "| `validation/` | résultats des contrôles de publication |",
        "",
        "Chaque publication a son propre dossier, nommé par sa date et son numéro d'ordre dans la journée "
        "(`AAAA-MM-JJ-NN`, par exemple `2024-03-05-01` puis `2024-03-05-02` pour une deuxième publication le "
        "même jour) : une publication n'en remplace jamais une autre, et les noms se trient dans l'ordre des "
        "publications. `latest` désigne toujours la plus récente.",
        "",
        "## Colonnes de `indicateurs.csv`",
        "",
        "| colonne | signification |",
        "|---|---|",
        *[f"| `{c}` | {_cell(DESCRIPTIONS[c])} |" for c in COLUMNS],
        "",
        "La clé d'une ligne est (`indicateur`, `niveau`, `code_territoire`, `mois`, `ventilation`, "
        "`modalite`).",
        "",
        *ventilations.readme_lines(BREAKDOWN_LEVELS),
        "",
        "Une `valeur` vide se lit sans calcul dans `motif_valeur_vide` : `secret` (case masquée), `sans_objet` "
        "(aucune personne dans la population de référence du taux ou du délai : dénominateur nul) ou "
        "`non_disponible` (chiffre pas encore calculable : fichiers nécessaires non livrés).",
        "",
        *(yearly_section(yearly) if yearly is not None else []),
        *(targets_section(targets) if targets is not None else []),
        "## Les indicateurs",
        "",
    ]
    for row in ind.iter_rows(named=True):
        kind = kinds.get(row["indicateur"], "effectif")
        lines += [
            f"### {row['libelle']} (`{row['indicateur']}`)",
            "",
            f"- **Nature** : {KIND_LABELS.get(kind, kind)}"
            + (f" ; unité : {row['unite']}." if row.get("unite") else "."),
            f"- **Définition** : {row.get('definition') or 'non renseignée'}",
            f"- **Sources** : {row.get('sources') or 'non renseignées'}",
            f"- **Maturité** : {row.get('regle_maturite') or 'non renseignée'}",
            "",
        ]
    lines += [
        "## Territoires",
        "",
        "Chaque chiffre est rattaché au territoire de la commune de résidence de la personne. Les quatre "
        "niveaux sont chacun calculés directement à partir des données individuelles ; ils ne sont pas "
        "additionnés les uns à partir des autres (un bassin peut déborder d'un département, voire d'une "
        "région).",
        "",
        *[f"- {NIVEAU_LABELS[n]} : {counts.get(n, 0)}" for n in NIVEAU_LABELS],
        "",
        "Pour filtrer ou regrouper sans autre fichier, chaque ligne porte le département (`code_departement`) "
        "et la région (`code_region`) de son territoire quand il est entièrement compris dans un seul "
        "département ou une seule région (pour un département ou une région, son propre code). Un bassin qui "
        "s'étend sur plusieurs départements a `code_departement` vide et la liste de ses départements dans "
        "`departements_bassin` (par exemple `13|84`) ; de même pour les régions (`code_region` vide, "
        "`regions_bassin`). Ses chiffres ne s'additionnent donc à ceux d'aucun département : filtrer les "
        "bassins d'un département, c'est chercher son code dans `departements_bassin`.",
        "",
        *([f"Bassins qui s'étendent sur plusieurs départements dans cette publication : {n_multi}.", ""]
          if (n_multi := _multi_departement_bassins(table)) else []),
        *_bassin_notes(dim_territoires),
        "## Statut des chiffres : règle de maturité",
        "",
        "- `definitif` : le chiffre ne bougera plus, sauf correction d'un fichier source (signalée dans "
        "`revisions.csv`).",
        "- `provisoire` : des fichiers nécessaires au calcul n'ont pas encore été livrés (la règle de chaque "
        "indicateur est donnée plus haut) ; le chiffre peut changer dans une prochaine publication. Un mois "
        "dont le fichier RSA de la CAF/MSA n'a jamais été livré a tous ses chiffres vides et provisoires.",
        "- `secret` : chiffre masqué au titre du secret statistique (ci-dessous).",
        "",
        "## Secret statistique",
        "",
        f"Seuil appliqué : **{threshold}** (paramètre gouverné `seuil_secret`).",
        "",
        f"- Une case est secrète quand son effectif (effectifs), son numérateur ou son dénominateur (taux, "
        f"délais) est compris entre 1 et {threshold - 1}. Zéro n'est pas secret.",
        "- Une case secrète est publiée avec `statut = secret` et `valeur`, `numerateur`, `denominateur` vides.",
        "- Secret secondaire : à partir de tout ce que publie la publication (chaque indicateur, niveau et "
        "mois), personne ne peut retrouver exactement un effectif, un numérateur ou un dénominateur secret, "
        "ni le réduire à moins de trois valeurs possibles, en se servant des relations connues : départements "
        "d'une région, régions, départements et bassins de la France, bassins d'un département quand tous les "
        "bassins qui touchent ce département y sont entièrement, catégories d'une ventilation sous leur ligne "
        "`ensemble` ; la même population publiée par plusieurs indicateurs (les nouveaux entrants sont le "
        "dénominateur des deux taux d'orientation, les bénéficiaires soumis aux droits et devoirs celui des "
        "parts du stock…) ; un numérateur ne dépasse pas son dénominateur. Pour cela, une population masquée "
        "l'est dans tous les indicateurs qui la publient, et d'autres cases sont masquées en complément : à "
        "chaque fois la plus petite qui n'est ni nulle ni déjà déductible des chiffres publiés.",
        *(yearly_masking() if yearly is not None else []),
        "- Les chiffres publiés sont arrondis : taux à 4 décimales, délais à 1 décimale (arrondi au plus "
        "proche, les demis s'éloignant de zéro) ; les effectifs sont exacts.",
        "",
        "## Révisions",
        "",
        "`revisions.csv` liste chaque chiffre (mensuel ou annuel : la colonne `fichier` dit lequel, `mois` ou "
        "`annee` sa période) de la publication précédente dont la valeur, le numérateur ou le "
        "dénominateur publiés ont changé (une case devenue secrète ou sortie du secret comprise), avec "
        "l'ancienne et la nouvelle valeur. Le motif est, dans cet ordre :",
        "",
        "1. `correction` : un fichier du mois du chiffre (d'un mois de l'année, pour un chiffre annuel) a été relivré et a remplacé celui de la publication "
        "précédente, ou un chiffre définitif a changé, ou la ligne a disparu ;",
        "2. `maturite` : le chiffre est passé de provisoire à définitif ;",
        "3. `nouvelle_livraison` : un chiffre provisoire a bougé parce que de nouveaux fichiers sont arrivés.",
        "",
        "## Contrôles de publication",
        "",
        "Une publication n'est mise en ligne que si tous ses contrôles passent (sinon la publication "
        "précédente reste en place) : schéma et valeurs permises, aucune case visible sous le seuil du secret, "
        "secret secondaire respecté (le contrôle attaque la table publiée avec ces relations et refuse la "
        "publication si une case secrète peut être retrouvée ou réduite à moins de trois valeurs), chaque territoire du référentiel présent pour chaque mois et chaque "
        "indicateur, taux entre 0 et 1, fichiers CSV et Parquet identiques, et `frictionless validate` sur "
        "`datapackage.json`. Les chiffres annuels passent les mêmes contrôles (schéma, secret, attaque de la table "
        "des entrées et cohortes, l'année tenant lieu de mois), plus un contrôle propre : aucun chiffre annuel de "
        "stock publié quand la case mensuelle qu'il copie est secrète. Les résultats sont dans `validation/`.",
        "",
    ]
    return "\n".join(lines)


def write_readme(folder: Path, **kwargs) -> Path:
    path = folder / "README.md"
    path.write_text(render(**kwargs), encoding="utf-8")
    return path
