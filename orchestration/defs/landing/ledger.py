"""The delivery ledger as an asset, and the ingestion quality checks on it."""


import dagster as dg
import duckdb

from ingestion import ledger
from ingestion.land import land_all
from socle import quality

INGESTED = [dg.AssetKey(["raw", k]) for k in
            ("rsa", "inscriptions", "reprises_emploi", "orientations", "accompagnements", "bassins")]
LEDGER = dg.AssetKey(["raw", "livraisons"])
QUARANTINE = dg.AssetKey(["raw", "quarantaine"])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(LEDGER, deps=INGESTED, group_name="registre", kinds={"duckdb"},
                     description="Registre des livraisons : chaque fichier vu (empreinte, taille, producteur, "
                                 "mois, lignes lues, chargées, en quarantaine) et la livraison courante de "
                                 "chaque (type, producteur, mois) ; les chemins hors contrat y sont rejetés."),
        dg.AssetSpec(QUARANTINE, deps=INGESTED, group_name="registre", kinds={"duckdb"},
                     description="Quarantaine : ligne, colonne, valeur (pseudonymisée ou réduite à sa "
                                 "longueur) et règle de chaque cellule non conforme."),
    ],
    required_resource_keys={"socle"}, name="registre_livraisons")
def registre_livraisons(context: dg.AssetExecutionContext):
    settings = context.resources.socle
    unknown = land_all(settings, types={None})  # paths outside the contract: rejected and recorded
    for o in unknown:
        if o.statut == "rejetee":
            context.log.warning(o.message)
    with ledger.connect(settings.warehouse) as con:
        ledger.refresh_views(con, settings.lake)
        accepted, rejected, quarantined = con.execute(
            "select count(*) filter (where statut = 'acceptee'), count(*) filter (where statut = 'rejetee'), "
            "coalesce(sum(lignes_quarantaine) filter (where est_courante), 0) from raw.livraisons").fetchone()
    yield dg.MaterializeResult(asset_key=LEDGER, metadata={
        "livraisons_acceptees": accepted, "livraisons_rejetees": rejected})
    yield dg.MaterializeResult(asset_key=QUARANTINE, metadata={
        "lignes_en_quarantaine_courantes": int(quarantined)})


def _query(context, sql: str, params=()):
    with duckdb.connect(str(context.resources.socle.warehouse), read_only=False) as con:
        return con.execute(sql, list(params)).fetchall()


@dg.asset_check(asset=LEDGER, required_resource_keys={"socle"},
                description="Avertissement (non bloquant) : livraisons courantes dont la part de lignes en "
                            "quarantaine dépasse le seuil gouverné seuil_avertissement_quarantaine. Les chiffres "
                            "du producteur sont signalés (résumé du run, manifeste, page qualité) ; le run publie "
                            "quand même : le fichier d'un producteur n'arrête jamais les autres.")
def part_quarantaine(context) -> dg.AssetCheckResult:
    limit = quality.threshold()
    with duckdb.connect(str(context.resources.socle.warehouse), read_only=False) as con:
        warnings = quality.quarantine_warnings(con, limit, source="raw")
    for w in warnings:
        context.log.warning("Avertissement qualité — " + quality.message(w))
    return dg.AssetCheckResult(
        passed=not warnings, severity=dg.AssetCheckSeverity.WARN,
        metadata={"seuil": limit, "fichiers_au_dessus": len(warnings),
                  "detail": "; ".join(
                      f"{w['fichier']} : {w['lignes_quarantaine']}/{w['lignes_lues']} ({quality.percent(w['part'])}), "
                      f"règles : {', '.join(r['regle'] for r in w['regles'])}" for w in warnings[:20])})


@dg.asset_check(asset=LEDGER, required_resource_keys={"socle"},
                description="Livraisons attendues manquantes : pour chaque mois entre le premier et le dernier "
                            "fichier CAF, chaque producteur déjà vu doit avoir livré chacun de ses types.")
def livraisons_manquantes(context) -> dg.AssetCheckResult:
    rows = _query(context, """
        with months as (
            select distinct mois from raw.livraisons where type_fichier = 'rsa' and statut = 'acceptee'),
        span as (select min(mois) lo, max(mois) hi from months),
        expected as (
            select distinct l.type_fichier, l.producteur, m.mois
            from raw.livraisons l, span,
                 (select unnest(generate_series(lo, hi, interval 1 month))::date mois from span) m
            where l.statut = 'acceptee' and l.type_fichier <> 'bassins')
        select e.type_fichier, e.producteur, strftime(e.mois, '%Y-%m') from expected e
        where not exists (select 1 from raw.livraisons l where l.statut = 'acceptee'
                          and l.type_fichier = e.type_fichier and l.producteur = e.producteur
                          and l.mois = e.mois)
        order by 1, 2, 3""")
    return dg.AssetCheckResult(
        passed=not rows, severity=dg.AssetCheckSeverity.WARN,
        metadata={"manquantes": len(rows), "detail": "; ".join(f"{t} {p} {m}" for t, p, m in rows[:50])})


@dg.asset_check(asset=LEDGER, required_resource_keys={"socle"},
                description="Fraîcheur : chaque producteur a livré le dernier mois livré par la CAF.")
def fraicheur_producteurs(context) -> dg.AssetCheckResult:
    rows = _query(context, """
        with last_caf as (select max(mois) m from raw.livraisons where type_fichier = 'rsa' and statut = 'acceptee')
        select producteur, strftime(max(mois), '%Y-%m') from raw.livraisons, last_caf
        where statut = 'acceptee' and type_fichier <> 'bassins'
        group by producteur, last_caf.m having max(mois) < last_caf.m order by 1""")
    return dg.AssetCheckResult(
        passed=not rows, severity=dg.AssetCheckSeverity.WARN,
        metadata={"producteurs_en_retard": len(rows), "detail": "; ".join(f"{p} (dernier : {m})" for p, m in rows)})
