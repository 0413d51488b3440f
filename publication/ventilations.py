"""The breakdowns (pilotage.md: `ventilation`, `modalite`) as people read them: their labels and
order, read from the dbt seed `ventilations` (the one place they are written), for the open data's
README and the dashboards."""

from __future__ import annotations

from functools import cache

import polars as pl

from socle.settings import DBT_PROJECT_DIR

SEED = DBT_PROJECT_DIR / "seeds" / "parametres" / "ventilations.csv"


@cache
def labels() -> pl.DataFrame:
    """ventilation, ordre_ventilation, libelle_ventilation, modalite, ordre_modalite, libelle_modalite."""
    return pl.read_csv(SEED, schema_overrides={"modalite": pl.String}).sort("ordre_ventilation", "ordre_modalite")


LEVEL_NAMES = {"national": "la France", "region": "les régions", "departement": "les départements",
               "bassin": "les bassins"}


def _enumerate(names: list[str]) -> str:
    return (", ".join(names[:-1]) + " et " + names[-1]) if len(names) > 1 else "".join(names)


def levels_text(levels: tuple[str, ...]) -> tuple[str, str]:
    """(the levels whose breakdowns are published, the others), in words: ("la France", "les régions,
    les départements et les bassins"); every text that says where breakdowns are published uses it."""
    return (_enumerate([LEVEL_NAMES[level] for level in levels]),
            _enumerate([name for level, name in LEVEL_NAMES.items() if level not in levels]))


def readme_lines(levels: tuple[str, ...]) -> list[str]:
    """The open data README's paragraph and table on the breakdown rows published at `levels`."""
    where, rest = levels_text(levels)
    rows = (labels().group_by("ventilation", "ordre_ventilation", "libelle_ventilation", maintain_order=True)
            .agg((pl.lit("`") + pl.col("modalite") + pl.lit("` ") + pl.col("libelle_modalite")).str.join(", ")))
    return [
        f"Les lignes `ensemble` (toute la population) sont publiées à tous les niveaux ; les répartitions "
        f"(ventilations) le sont pour {where} : leurs catégories s'additionnent exactement à la ligne "
        "`ensemble` du même indicateur, territoire et mois, et sont masquées avec elle (secret statistique "
        "ci-dessous)." + (f" Celles qui concernent {rest} ne sont pas encore publiées." if rest else ""),
        "",
        "| `ventilation` | signification | `modalite` |",
        "|---|---|---|",
        *[f"| `{v}` | {label} | {mods} |" for v, _o, label, mods in rows.iter_rows()],
    ]
