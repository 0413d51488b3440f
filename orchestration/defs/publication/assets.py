"""Publication: the read-only snapshot, the analyst files, and the open data."""

import dagster as dg
import duckdb

from publication.analysts import rebuild_analyst_files
from publication.annuels import store_masked_yearly
from publication.gate_attack import CACHE_FOLDER
from publication.opendata import YEARLY_CACHE, publish_opendata
from publication.source import masking_threshold
from publication.table import store_masked_table
from socle import snapshot

INDICATEURS = dg.AssetKey(["marts", "indicateurs"])
SNAPSHOT = dg.AssetKey(["publication", "instantane"])


def store_masked_tables(con, catalog: str, threshold: int, settings) -> None:
    """The masked tables of a new snapshot, monthly then yearly (the yearly stock figures take the
    mask of the monthly cells they copy): what the dashboards and the open data read."""
    attack_cache = settings.home / CACHE_FOLDER
    store_masked_table(con, catalog, threshold, attack_cache=attack_cache)
    store_masked_yearly(con, catalog, threshold, cache=settings.home / YEARLY_CACHE, attack_cache=attack_cache)


@dg.asset(key=SNAPSHOT, group_name="publication", deps=[INDICATEURS],
          required_resource_keys={"socle"}, kinds={"duckdb"},
          description="Instantané en lecture seule des marts (et de publie.indicateurs_masques, la table "
                      "masquée que lisent les tableaux de bord, calculée une fois ici), publié après le succès "
                      "des contrôles bloquants ; le pointeur CURRENT est basculé en une seule opération atomique.")
def instantane(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = context.resources.socle
    threshold, _ = masking_threshold()
    with duckdb.connect(str(settings.warehouse)) as con:
        published = snapshot.publish_snapshot(
            con, settings, complete=lambda c, catalog: store_masked_tables(c, catalog, threshold, settings))
    with duckdb.connect(str(published.path), read_only=True) as con:
        rows = con.execute("select count(*) from marts.indicateurs").fetchone()[0]
    context.log.info(published.message)
    return dg.MaterializeResult(metadata={"fichier": str(published.path), "lignes_indicateurs": rows,
                                          "seuil_secret": threshold, "nouvel_instantane": published.new,
                                          "message": published.message})


@dg.asset(key=["publication", "analystes"], group_name="publication", deps=[SNAPSHOT],
          required_resource_keys={"socle"}, kinds={"duckdb"},
          description="Fichiers DuckDB en lecture seule des analystes : national.duckdb et un fichier par "
                      "région (agrégats non masqués et faits individuels pseudonymisés de leur périmètre).")
def analystes(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    built = rebuild_analyst_files(context.resources.socle)
    return dg.MaterializeResult(metadata={"fichiers": len(built.paths), "reconstruits": len(built.rebuilt),
                                          "dossier": str(built.paths[0].parent)})


@dg.asset(key=["publication", "opendata"], group_name="publication", deps=[SNAPSHOT],
          required_resource_keys={"socle"}, kinds={"csv", "parquet"},
          description="Open data DGEFP : un dossier par publication (date et numéro d'ordre, AAAA-MM-JJ-NN) + "
                      "latest (CSV, Parquet, datapackage, README, révisions, manifeste et avertissements "
                      "qualité), masqué, publié seulement si le point de contrôle Great Expectations et "
                      "`frictionless validate` passent.")
def opendata(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    exported = publish_opendata(context.resources.socle)
    context.log.info(exported.message)
    return dg.MaterializeResult(metadata={"dossier": str(exported.folder), "nouvelle_publication": exported.new,
                                          "message": exported.message})
