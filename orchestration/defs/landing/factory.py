"""Build the ingestion asset of one file kind (each source group uses it)."""


import dagster as dg

from ingestion.land import land_all


def ingestion_asset(type_fichier: str, group: str, description: str) -> dg.AssetsDefinition:
    @dg.asset(key=["raw", type_fichier], group_name=group, description=description,
              required_resource_keys={"socle"}, kinds={"polars", "parquet"})
    def _asset(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        outcomes = land_all(context.resources.socle, types={type_fichier})
        new = [o for o in outcomes if o.statut != "deja_vue"]
        for o in new:
            if o.statut == "rejetee":
                context.log.warning(o.message)
        return dg.MaterializeResult(metadata={
            "fichiers_nouveaux": len(new),
            "fichiers_rejetes": sum(o.statut == "rejetee" for o in new),
            "lignes_chargees": sum(o.lignes_chargees for o in new),
            "lignes_quarantaine": sum(o.lignes_quarantaine for o in new),
        })

    _asset.__name__ = f"raw_{type_fichier}"
    return _asset
