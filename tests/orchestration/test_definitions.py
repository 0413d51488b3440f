"""Every Dagster definition loads, with the expected assets, checks, sensor and schedule."""

import dagster as dg

from orchestration.definitions import defs


def test_definitions_load_with_groups_checks_sensor_and_schedule():
    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    for key in ("raw/rsa", "raw/orientations", "raw/accompagnements", "raw/inscriptions", "raw/reprises_emploi",
                "raw/bassins", "raw/livraisons", "raw/quarantaine", "marts/indicateurs", "publication/instantane"):
        assert key in keys, key
    checks = {c.name for c in repo.asset_graph.asset_check_keys}
    assert {"part_quarantaine", "livraisons_manquantes", "fraicheur_producteurs"} <= checks
    assert any(name.startswith("unicite") or name.startswith("not_null") or "unique" in name for name in checks)
    assert [s.name for s in repo.sensor_defs] == ["depot_sensor", "mois_sensor"]  # ingestion, then the months
    assert [s.name for s in repo.schedule_defs] == ["opendata_mensuel"]
    assert repo.asset_graph.get(dg.AssetKey("raw/livraisons".split("/"))).group_name == "registre"
