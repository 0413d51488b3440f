"""Publication: a new read-only snapshot of the warehouse, switched to atomically."""

from __future__ import annotations

import dagster as dg
import duckdb

from socle import snapshot

INDICATEURS = dg.AssetKey(["indicateurs"])


@dg.asset(key=["publication", "instantane"], group_name="publication", deps=[INDICATEURS],
          required_resource_keys={"socle"}, kinds={"duckdb"},
          description="Instantané en lecture seule des marts, publié après le succès des contrôles "
                      "bloquants ; le pointeur CURRENT est basculé en une seule opération atomique.")
def instantane(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = context.resources.socle
    with duckdb.connect(str(settings.warehouse)) as con:
        path = snapshot.publish(con, settings)
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("select count(*) from marts.indicateurs").fetchone()[0]
    return dg.MaterializeResult(metadata={"fichier": str(path), "lignes_indicateurs": rows})
