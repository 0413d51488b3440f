"""Le même projet dbt sur DuckDB et sur Spark : les mêmes marts, ligne à ligne et valeur à valeur.

L'échantillon livré (data/sample) est déposé une fois ; la couche brute Parquet qui en sort
est lue par les deux moteurs : DuckDB par les vues raw.* de l'ingestion, Spark par ses tables
raw.* déclarées sur les mêmes fichiers (macros/sources_brutes.sql). Un `dbt build` par moteur
(graines, modèles, tests de données), chacun avec son propre dossier target, puis
comparaison exacte, doubles compris.

Les tests génériques de dbt-core (not_null, unique, accepted_values, relationships : 386 des 493
tests de données) sont exclus des deux constructions : leur SQL est celui de dbt-core sur chaque
moteur et ils tournent sur DuckDB à chaque run du pipeline ; les tests du projet (macros de
tests/ et macros/tests : unicité combinée, relations composites, expressions, additivité des
ventilations), dont le SQL est le nôtre, tournent sur les deux moteurs.

Les tests unitaires dbt sont exclus des deux constructions : ils portent sur la logique (des
lignes d'entrée écrites à la main), pas sur le moteur, et tournent dans tests/indicators ;
ils passent aussi sur Spark (`dbt test --select test_type:unit --target spark`) mais y
coûtent près de trois minutes de calcul à eux seuls.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest
import yaml

from ingestion.lake import TYPES, lake_schema
from ingestion.ledger import LEDGER_DDL

# Une JVM de deux minutes : compilation C1 seulement et ramasse-miettes série, un tiers de CPU
# en moins sur l'échantillon (README, « Passer à l'échelle »). Sans effet sur les résultats.
JVM_COURTE = "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m -XX:+UseSerialGC"
PROJET = Path(__file__).resolve().parents[2]
DBT_PROJET = PROJET / "dbt_project"
VENV_BIN = Path(sys.executable).parent
COLONNES = ["indicateur", "niveau", "code_territoire", "mois", "ventilation", "modalite",
            "numerateur", "denominateur", "valeur", "statut"]
TYPES_ATTENDUS = ["VARCHAR"] * 3 + ["DATE"] + ["VARCHAR"] * 2 + ["BIGINT", "BIGINT", "DOUBLE", "VARCHAR"]
TESTS_DE_DBT = ["test_name:not_null", "test_name:unique", "test_name:accepted_values", "test_name:relationships"]
# Ce que Spark laisse dans son dossier de travail quand on ne lui dit pas où écrire.
TRACES_SPARK = ("metastore_db", "derby.log", "spark-warehouse")
SPARK_SQL = {pl.String: "string", pl.Date: "date", pl.Int64: "bigint", pl.Int32: "int",
             pl.Boolean: "boolean", pl.Float64: "double"}
DUCKDB_VERS_SPARK = {"VARCHAR": "string", "DATE": "date", "BIGINT": "bigint", "INTEGER": "int",
                     "BOOLEAN": "boolean", "DOUBLE": "double", "TIMESTAMP": "timestamp"}


def test_le_schema_des_sources_suit_la_couche_brute():
    """Les data_type de _sources.yml (qui déclarent raw.* sur Spark) sont ceux que l'ingestion écrit."""
    sources = yaml.safe_load((DBT_PROJET / "models" / "staging" / "_sources.yml").read_text(encoding="utf-8"))
    tables = {t["name"]: {c["name"]: c.get("data_type") for c in t.get("columns", [])}
              for t in sources["sources"][0]["tables"]}
    attendu = {t: {c: SPARK_SQL[d if isinstance(d, type) else type(d)] for c, d in lake_schema(t).items()}
               for t in TYPES}
    with duckdb.connect() as con:
        con.execute(LEDGER_DDL)
        for table in ("livraisons", "quarantaine"):
            colonnes = con.execute("select column_name, data_type from information_schema.columns "
                                   "where table_schema = 'raw' and table_name = ? order by ordinal_position",
                                   [table]).fetchall()
            attendu[table] = {c: DUCKDB_VERS_SPARK[d] for c, d in colonnes}
    assert tables == attendu


def _dbt(home: Path, cible: str, travail: Path) -> float:
    """`dbt build` sur une cible, dossiers target et logs à part ; rend la durée en secondes."""
    # réglages par défaut du profil (local[*]…), quel que soit l'environnement du poste
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCLE_SPARK_")}
    env.update({"SOCLE_HOME": str(home), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1",
                "SPARK_LOCAL_IP": "127.0.0.1", "SOCLE_SPARK_JAVA_OPTIONS": JVM_COURTE,
                "PATH": f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"})
    for variable in ("DBT_TARGET_PATH", "DBT_LOG_PATH"):
        env.pop(variable, None)
    commande = [str(VENV_BIN / "dbt"), "build", "--target", cible, "--exclude-resource-type", "unit_test",
                "--exclude", *TESTS_DE_DBT, "--profiles-dir", str(DBT_PROJET), "--project-dir", str(DBT_PROJET),
                "--target-path", str(travail / f"target_{cible}"), "--log-path", str(travail / f"logs_{cible}")]
    debut = time.perf_counter()
    fini = subprocess.run(commande, env=env, capture_output=True, text=True, cwd=travail)
    duree = time.perf_counter() - debut
    assert fini.returncode == 0, (f"dbt build --target {cible} a échoué :\n{fini.stdout[-15000:]}\n"
                                  f"{fini.stderr[-5000:]}")
    return duree


def _traces(*dossiers: Path) -> set[Path]:
    return {dossier / t for dossier in dossiers for t in TRACES_SPARK if (dossier / t).exists()}


def _lignes(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple]:
    colonnes = ", ".join(COLONNES)
    return con.execute(f"select {colonnes} from {relation} order by {colonnes}").fetchall()


@pytest.fixture(scope="module")
def constructions(tmp_path_factory):
    from ingestion.land import land_all
    from synthetic import restore_mtimes
    from socle.settings import get_settings

    if shutil.which("java") is None:
        pytest.fail("la cible Spark demande Java (17) sur la machine")
    racine = tmp_path_factory.mktemp("parite")
    depot, home, travail = racine / "depot", racine / "home", racine / "travail"
    shutil.copytree(PROJET / "data" / "sample", depot)
    restore_mtimes(depot, json.loads((PROJET / "data" / "sample.manifest.json").read_text(encoding="utf-8")))
    travail.mkdir()
    avant = _traces(PROJET, DBT_PROJET)
    mp = pytest.MonkeyPatch()
    mp.setenv("SOCLE_LANDING_DIR", str(depot))
    mp.setenv("SOCLE_HOME", str(home))
    mp.setenv("SOCLE_PSEUDO_KEY", "test-key")
    try:
        debut = time.perf_counter()
        land_all(get_settings())
        durees = {"depot": time.perf_counter() - debut}
        durees["duckdb"] = _dbt(home, "duckdb", travail)
        durees["spark"] = _dbt(home, "spark", travail)
    finally:
        mp.undo()
    print("\ndurées (s) : " + ", ".join(f"{k} {v:.1f}" for k, v in durees.items()))
    yield home, travail, durees, avant


@pytest.mark.slow
def test_indicateurs_identiques_sur_duckdb_et_spark(constructions):
    home, *_ = constructions
    # La table Spark est une table gérée au format Parquet, sous le dossier d'entrepôt de Spark
    # (spark.sql.warehouse.dir, profiles.yml) : DuckDB lit ses fichiers sans démarrer de JVM.
    dossier = home / "spark" / "warehouse" / "marts.db" / "indicateurs"
    assert any(dossier.glob("*.parquet")), f"table Spark introuvable sous {dossier}"
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        spark = f"read_parquet('{dossier.as_posix()}/*.parquet')"
        types_spark = [t for _, t, *_ in con.execute(f"describe select {', '.join(COLONNES)} from {spark}").fetchall()]
        types_duckdb = [t for _, t, *_ in con.execute(
            f"describe select {', '.join(COLONNES)} from marts.indicateurs").fetchall()]
        lignes_duckdb = _lignes(con, "marts.indicateurs")
        lignes_spark = _lignes(con, spark)
    assert types_duckdb == types_spark == TYPES_ATTENDUS
    # L'échantillon donne des chiffres non triviaux : taux, délais, mois provisoires.
    assert len(lignes_duckdb) > 10_000
    valeurs = {ligne[8] for ligne in lignes_duckdb if ligne[8] is not None}
    assert any(0 < v < 1 for v in valeurs) and any(v != int(v) and v > 1 for v in valeurs)
    assert {ligne[9] for ligne in lignes_duckdb} == {"definitif", "provisoire"}
    assert len(lignes_spark) == len(lignes_duckdb)
    # Égalité exacte, doubles compris (même somme entière divisée par le même effectif).
    differences = [(d, s) for d, s in zip(lignes_duckdb, lignes_spark) if d != s]
    assert not differences, f"{len(differences)} lignes différentes, dont : {differences[:5]}"


@pytest.mark.slow
def test_tous_les_marts_ont_le_meme_contenu(constructions):
    """Au-delà de marts.indicateurs : chaque table de marts, ligne à ligne (multiensembles).

    Chaque mart a un contrat de types (les mêmes types portables sur les deux moteurs, les
    modèles convertissent là où ils diffèrent : une somme d'entiers est un HUGEINT sur DuckDB,
    un écart de dates en jours un INT sur Spark) ; la comparaison porte sur les valeurs.
    """
    home, *_ = constructions
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        marts = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                           "where table_schema = 'marts' order by 1").fetchall()]
        assert "indicateurs" in marts and len(marts) >= 10
        for table in marts:
            dossier = home / "spark" / "warehouse" / "marts.db" / table
            assert dossier.is_dir(), f"marts.{table} absente de Spark"
            colonnes = ", ".join(f'"{c}"' for c, *_ in con.execute(f"describe marts.{table}").fetchall())
            duck = f"select {colonnes} from marts.{table}"
            spark = f"select {colonnes} from read_parquet('{dossier.as_posix()}/*.parquet')"
            ecarts = con.execute(f"select (select count(*) from ({duck} except all {spark})), "
                                 f"(select count(*) from ({spark} except all {duck}))").fetchone()
            assert ecarts == (0, 0), f"marts.{table} : {ecarts[0]} lignes DuckDB sans pareille sur Spark, " \
                                     f"{ecarts[1]} lignes Spark sans pareille sur DuckDB"


@pytest.mark.slow
def test_spark_n_ecrit_rien_hors_de_socle_home(constructions):
    """Métastore, derby.log et tables Spark vont sous $SOCLE_HOME/spark, jamais dans le dépôt."""
    home, travail, _, avant = constructions
    assert (home / "spark" / "metastore_db").is_dir() and (home / "spark" / "derby.log").is_file()
    assert _traces(travail) == set() and _traces(PROJET, DBT_PROJET) == avant
