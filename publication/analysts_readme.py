"""The French README.md of the analyst files' folder: what each file holds, how to open it (which
DuckDB versions, the `duckdb` command, Parquet), what is unmasked, and what the secret
statistique requires before anything taken from a file is re-published."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from publication.analysts_format import CLI_PACKAGE, CLI_VERSION, LICENCE, OLDEST_DUCKDB, STORAGE_VERSION
from publication.dictionnaire import describe_table
from socle.files import fsync_path

ORDER = ["indicateurs", "comparaison", "definitions_indicateurs", "territoires", "appartenance_territoires",
         "personnes_mois", "livraisons", "livraisons_manquantes", "quarantaine_motifs", "liaison",
         "referentiel_bassins", "indicateurs_lisibles", "indicateurs_dernier_mois", "livraisons_courantes",
         "dictionnaire", "manifeste", "manifeste_livraisons"]


def objects_of(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()]
    finally:
        con.close()


def _where(name: str, national: set[str], regional: set[str]) -> str:
    if name in national and name not in regional:
        return " *(fichier national seulement)*"
    if name in regional and name not in national:
        return " *(fichiers régionaux seulement)*"
    return ""


def readme_text(paths: list[Path], threshold: int) -> str:
    national = set(objects_of(paths[0])) if paths and paths[0].name == "national.duckdb" else set()
    regional: set[str] = set()
    for path in paths:
        if path.name != "national.duckdb":
            regional |= set(objects_of(path))
    names = sorted(national | regional, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    regions = [p.name.removesuffix(".duckdb") for p in paths if p.name != "national.duckdb"]
    example = "national.duckdb" if not regions else ("53.duckdb" if "53" in regions else f"{regions[0]}.duckdb")
    tables = "\n".join(f"- `{n}` ({describe_table(n)[0]}) : {describe_table(n)[1]}{_where(n, national, regional)}"
                       for n in names)
    return f"""# Fichiers des analystes (DREETS, DGEFP)

Reconstruits à chaque publication à partir de l'instantané courant du socle. Ce dossier contient :

- `national.duckdb` : pour la DGEFP et les analystes nationaux, tous les territoires ;
- un fichier par région, `<code_region>.duckdb` ({", ".join(f"`{r}.duckdb`" for r in regions) or "aucun"}) :
  pour la DREETS de la région, sa région, ses départements et les bassins qui la touchent ;
- à côté de chaque fichier, un dossier `<nom>_parquet/` (par exemple `{example.removesuffix(".duckdb")}_parquet/`) :
  les mêmes tables et vues, une par fichier Parquet, pour R, Python ou un outil de BI ;
- ce README.

Chaque fichier contient sa propre documentation : la table `dictionnaire` (chaque table, vue et
colonne, en français) et la table `manifeste` (date de construction, instantané source, version du
code, seuil du secret statistique ; `manifeste_livraisons` : les fichiers sources et leur empreinte).

## Ouvrir un fichier

- **Format** : DuckDB, écrit en **version de stockage `{STORAGE_VERSION}`**. Il s'ouvre avec
  **DuckDB {OLDEST_DUCKDB} ou plus récent** (1.4, 1.5, 2.x), donc avec DBeaver et son pilote DuckDB
  1.4 ou 1.5. DuckDB 1.3 et les versions antérieures ne l'ouvrent pas : utilisez alors les fichiers Parquet.
- **En ligne de commande** : `make` installe la commande `duckdb` dans l'environnement du projet
  (paquet PyPI `{CLI_PACKAGE}`, version {CLI_VERSION}) ; ailleurs : `pip install {CLI_PACKAGE}=={CLI_VERSION}`.

  ```
  .venv/bin/duckdb -readonly var/analystes/{example}
  D select * from dictionnaire;
  D select * from indicateurs_lisibles where niveau = 'departement' and ventilation = 'ensemble';
  ```
- **Python** : `duckdb.connect("var/analystes/{example}", read_only=True)`, ou
  `polars.read_parquet("var/analystes/{example.removesuffix(".duckdb")}_parquet/indicateurs.parquet")`.
- **R** : `arrow::read_parquet(".../indicateurs.parquet")`, ou
  `DBI::dbConnect(duckdb::duckdb(), ".../{example}", read_only = TRUE)` (paquet duckdb ≥ 1.4).

Ouvrez toujours le fichier en lecture seule : il est remplacé à chaque publication.

## Ce que contient un fichier

{tables}

`indicateurs` contient toutes les ventilations : la ligne `ventilation = 'ensemble'` (modalité
`ensemble`) est la population entière, les autres lignes ses catégories. Filtrez sur la ventilation
avant d'additionner.

## Le mois : une date ici, un texte dans l'open data

Dans les fichiers des analystes (DuckDB et Parquet), toute colonne `mois` est de type **DATE** : le
premier jour du mois (`2024-01-01` pour janvier 2024), pour trier, filtrer et calculer des écarts
en SQL. Dans l'open data, la colonne `mois` est un **texte `AAAA-MM`** (`2024-01`) : même mois, même
sens. `strftime(mois, '%Y-%m')` passe de l'un à l'autre ; les vues `indicateurs_lisibles` et
`indicateurs_dernier_mois` ont aussi la colonne `mois_texte` sous la forme de l'open data.

## Non masqué : ce que cela implique

- Les chiffres de `indicateurs` **ne sont pas masqués** : une case dont l'effectif, le numérateur ou
  le dénominateur est entre 1 et {threshold - 1} y figure en clair, alors que l'open data et les tableaux
  de bord la publient « secret ». La table `comparaison` des fichiers régionaux, elle, ne contient
  que les chiffres publics de la France et des régions, masqués comme dans l'open data.
- `personnes_mois` contient des **données personnelles pseudonymisées** : une ligne par personne et
  par mois, des personnes résidant dans la région du fichier (dans tout le pays pour le fichier
  national), identifiées par un pseudonyme (empreinte à clé du NIR), avec des mois et des valeurs
  codées seulement : ni nom, ni NIR, ni commune, ni année de naissance, ni date exacte, ni donnée de
  santé, rien sur un conseiller. Pseudonymisé ne veut pas dire anonyme : le RGPD s'applique.
- Obligations qui en découlent : accès réservé aux agents habilités de la DREETS (ou de la DGEFP) ;
  usage limité au pilotage de l'action publique (jamais pour contrôler ou sanctionner une personne
  ou un conseiller, ni pour orienter une personne automatiquement) ; aucune tentative de
  ré-identification, aucun rapprochement avec un autre fichier nominatif ; pas de copie hors de
  l'environnement habilité ; aucune copie de lignes individuelles n'est gardée au-delà de la durée
  de conservation des données individuelles du socle (48 mois par défaut) : quand le fichier
  reconstruit n'a plus les mois purgés, vos extraits ne doivent plus les avoir non plus.

## Avant de republier quoi que ce soit : le secret statistique

Tout chiffre tiré de ces fichiers et montré hors de l'audience habilitée (rapport, diaporama,
tableau, carte, réponse à une demande) doit d'abord respecter le secret statistique, comme l'open data :

1. **Secret primaire** : une case dont l'effectif, le numérateur ou le dénominateur est
   entre 1 et {threshold - 1} (seuil de {threshold}) est secrète : ni sa valeur, ni son numérateur,
   ni son dénominateur ne sont publiés. Zéro n'est pas secret.
2. **Secret secondaire** : personne ne doit pouvoir retrouver une case secrète, ni la réduire à
   moins de trois valeurs possibles, par différence ou par recoupement : départements d'une région,
   régions de la France, bassins d'un département, catégories d'une ventilation sous leur ligne
   `ensemble`, indicateurs qui partagent une population, **et les chiffres déjà publiés en open data**
   (ceux de la table `comparaison`). Masquez d'autres cases tant qu'un tel calcul reste possible.
3. **Aucune ligne individuelle**, aucun pseudonyme, aucune liste de personnes n'est republiée.

Dans le doute, ne republiez que des chiffres déjà publiés dans l'open data.

## Licence

Les fichiers des analystes ne sont pas des données ouvertes : diffusion restreinte à leur audience.
Les chiffres qui en sont tirés, une fois le secret statistique appliqué, se réutilisent sous
**{LICENCE}**, comme l'open data, en citant la source (socle, DGEFP).
"""


def write_readme(folder: Path, paths: list[Path], threshold: int) -> Path:
    """Write the folder's README.md, unless it already holds exactly this text (left untouched)."""
    final = folder / "README.md"
    text = readme_text(paths, threshold)
    if final.is_file() and final.read_text(encoding="utf-8") == text:
        return final
    tmp = folder / f".README.md.construction-{os.getpid()}"
    tmp.write_text(text, encoding="utf-8")
    fsync_path(tmp)
    os.replace(tmp, final)
    fsync_path(folder)
    return final
