"""The README's parts on the yearly figures and the targets (French, publication.readme)."""

from __future__ import annotations

import polars as pl

FILE_ROWS_YEARLY = [
    "| `indicateurs_annuels.csv` | chiffres annuels : une ligne par indicateur × territoire × année civile × "
    "catégorie ; mêmes colonnes que `indicateurs.csv`, avec `annee` (AAAA) à la place de `mois` |",
    "| `indicateurs_annuels.parquet` | la même table au format Parquet |",
]
FILE_ROW_TARGETS = ("| `cibles.csv` | cibles des chiffres mensuels (publiques, non masquées) : une ligne par "
                    "indicateur × territoire × mois qui a une cible |")


def yearly_section(yearly: pl.DataFrame) -> list[str]:
    years = sorted(yearly["annee"].unique().to_list())
    n_secret = yearly.filter(pl.col("statut") == "secret").height
    return [
        "## Chiffres annuels (`indicateurs_annuels.csv`)",
        "",
        (f"Années couvertes : {', '.join(str(y) for y in years)} ; {yearly.height} lignes, dont {n_secret} "
         "cases secrètes.") if years else "Aucune année calculée.",
        "",
        "Une ligne par indicateur × territoire × année civile ayant au moins un mois calculé, avec les "
        "colonnes de `indicateurs.csv` (`annee` à la place de `mois`). Aujourd'hui seule la ventilation "
        "`ensemble` est publiée.",
        "",
        "- **Stocks** (bénéficiaires soumis aux droits et devoirs, orientés, en attente d'orientation, et les "
        "parts du stock) : le chiffre de décembre (convention « au 31 décembre » de la DREES), ou celui du "
        "dernier mois calculé de l'année quand décembre ne l'est pas encore. C'est une copie du chiffre mensuel.",
        "- **Entrées** (nouveaux entrants, taux et délais d'orientation et de premier rendez-vous) : sur la "
        "première entrée de l'année de chaque personne dans chaque département (une personne entrée deux fois "
        "dans le même département compte une fois ; entrée dans deux départements, elle compte dans chacun, "
        "et la France est la somme des départements).",
        "- **Cohortes** (taux de retour à l'emploi) : pour chaque personne, son premier enregistrement daté "
        "dans l'année.",
        "- `statut` est `provisoire` quand décembre n'est pas encore calculé ou qu'un chiffre mensuel lu est "
        "provisoire, sinon `definitif`.",
        "",
    ]


def yearly_masking() -> list[str]:
    return [
        "- Chiffres annuels : un chiffre annuel de stock est la copie d'un chiffre mensuel (décembre, ou le "
        "dernier mois calculé de l'année) ; il prend exactement le masque de cette case mensuelle (secrète "
        "dans `indicateurs.csv`, secrète dans `indicateurs_annuels.csv`), si bien que la copie annuelle ne "
        "révèle aucune case mensuelle masquée. Les chiffres annuels d'entrées et de cohortes forment une "
        "table à part, de même structure que la table mensuelle (France = somme des départements, région = "
        "somme de ses départements, bassins compris dans un département, mêmes populations partagées entre "
        "indicateurs) : ils sont masqués par la même règle (secret primaire puis secondaire, l'année tenant "
        "lieu de mois), et le contrôle de publication les attaque de la même façon. Un chiffre annuel "
        "d'entrées ou de cohorte est le plus souvent exactement la somme de ses mois (une personne y compte "
        "une fois dans l'année) : publié à côté des mois publiés, il donnerait par soustraction un mois "
        "secret. Il est donc masqué dès que l'un des mois de l'année est secret "
        "pour le même territoire (sauf s'il vaut 0), et protégé comme un secret quelle que soit sa valeur : "
        "ni la table annuelle ni les mois ne permettent de le retrouver ou de l'encadrer à moins de trois "
        "valeurs. Un chiffre annuel d'entrées publié ne somme donc que des mois publiés.",
    ]


def targets_section(targets: pl.DataFrame) -> list[str]:
    sources = sorted(s for s in targets["source"].unique().to_list() if s) if targets.height else []
    return [
        "## Cibles (`cibles.csv`)",
        "",
        "Une cible est l'objectif fixé à un indicateur pour un territoire et un mois par un texte (une "
        "instruction, une annexe) : `valeur_cible` (une part entre 0 et 1 pour un taux, des jours pour un "
        "délai, des personnes pour un effectif) et `sens` : `minimum` (au moins) ou `maximum` (au plus). Les "
        "cibles sont tenues dans une table gouvernée de l'entrepôt, changée par une revue de code ; pour un "
        "territoire, la cible est celle de son propre code, sinon celle de tout son niveau, dont la période "
        "contient le mois. Elles s'appliquent aux chiffres mensuels `ensemble` seulement.",
        "",
        "- **Écart** : `valeur − valeur_cible`, en joignant `indicateurs.csv` sur (`indicateur`, `niveau`, "
        "`code_territoire`, `mois`).",
        "- **Cible atteinte** quand l'écart est ≥ 0 (sens `minimum`) ou ≤ 0 (sens `maximum`). Une case secrète "
        "ou vide n'a pas d'écart.",
        "- Les cibles sont publiques : rien n'y est masqué.",
        "- Une cible peut viser un indicateur qui n'est pas encore calculé (il n'est alors pas dans "
        "`indicateurs.csv` et son `libelle_indicateur` est vide) : elle est publiée telle qu'elle est fixée.",
        f"- {targets.height} lignes dans cette publication.",
        *(["- Sources :"] + [f"  - {s}" for s in sources] if sources else []),
        "",
    ]
