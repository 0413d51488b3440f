"""The project's command line: `python -m orchestration <command>`."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from pathlib import Path

from socle.settings import PROJECT_DIR, get_settings

BIN = Path(sys.executable).parent


def _summary(settings) -> None:
    import duckdb

    from socle import quality, snapshot
    from socle.lock import PipelineBusy, pipeline_lock

    # Only with the pipeline lock: a run of its own opens the warehouse, and an open file (even
    # read-only) would make that run fail.
    try:
        with pipeline_lock(settings.lock_file), duckdb.connect(str(settings.warehouse), read_only=True) as con:
            accepted, rejected, current, quarantined = con.execute(
                "select count(*) filter (where statut = 'acceptee'), count(*) filter (where statut = 'rejetee'), "
                "count(*) filter (where est_courante), "
                "coalesce(sum(lignes_quarantaine) filter (where est_courante), 0) from raw.livraisons").fetchone()
            warnings = quality.quarantine_warnings(con, source="raw")
    except PipelineBusy:
        print("\nUn autre run du pipeline tient l'entrepôt : pas de résumé des livraisons.")
        return
    print(f"\nLivraisons : {accepted} acceptées ({current} courantes), {rejected} rejetées ; "
          f"{quarantined} lignes en quarantaine dans les livraisons courantes.")
    if warnings:
        print(f"\nAvertissements qualité ({len(warnings)} fichier{'s' if len(warnings) > 1 else ''} au-dessus du seuil "
              "de lignes en quarantaine ; le run publie quand même, ces chiffres sont signalés sur la page "
              "qualité et dans le manifeste de l'open data) :")
        for w in warnings:
            print(f"  - {quality.message(w)}")
    current_snap = snapshot.current_snapshot(settings)
    if current_snap is None:
        print("Aucun instantané publié.")
        return
    with duckdb.connect(str(current_snap), read_only=True) as con:
        rows = con.execute("""
            select i.indicateur, strftime(i.mois, '%Y-%m'), i.valeur, i.numerateur, i.denominateur, i.statut
            from marts.indicateurs i
            where i.niveau = 'national' and i.ventilation = 'ensemble'
              and i.mois = (select max(mois) from marts.indicateurs)
            order by i.indicateur""").fetchall()
    if rows:
        print(f"\nIndicateurs nationaux du dernier mois calculé ({rows[0][1]}) :")
        for ind, _, val, num, den, statut in rows:
            shown = "—" if val is None else (f"{val:.4f}" if isinstance(val, float) and val < 1.0 and den else f"{val:g}")
            print(f"  {ind:32s} {shown:>10s}   ({num if num is not None else '-'}/{den if den is not None else '-'}, {statut})")
    print(f"\nInstantané publié (lecture seule) : {current_snap}")
    print(f"Open data : {settings.opendata / 'latest'}   |   Fichiers analystes : {settings.analysts}")
    print(f"Entrepôt de travail : {settings.warehouse}")
    print("Tableau de bord : make dashboard (puis http://127.0.0.1:8501)   |   Interface Dagster : make dagster")


def _run(args: argparse.Namespace) -> None:
    from orchestration import unchanged
    from orchestration.journal import quiet, verbose
    from socle.lock import PipelineBusy, pipeline_lock

    if args.tout_recalculer:  # read by the dbt asset through the settings (socle/settings.py)
        os.environ["SOCLE_TOUT_RECALCULER"] = "1"
    settings = get_settings()
    try:  # a clear answer when another run holds the warehouse (the run's own lock still decides)
        with pipeline_lock(settings.lock_file):
            start_inputs = unchanged.inputs(settings)
            last = unchanged.last_unchanged_run(settings, unchanged.fingerprint(settings, start_inputs))
    except PipelineBusy as busy:
        print(f"{busy} : rien n'est fait.", file=sys.stderr)
        sys.exit(1)
    if last is not None and not (args.forcer or settings.force or settings.full_recompute):
        print(f"Rien de nouveau depuis le dernier run ({last}) : aucun chiffre ne change.")
        print("Le pipeline n'est pas relancé : mêmes fichiers déposés, même code et mêmes référentiels, "
              "instantané et open data toujours publiés (--forcer pour le relancer quand même).")
        _summary(settings)
        return
    loud = args.verbeux or settings.verbose
    with (verbose() if loud else quiet(settings.logs)) as console:
        code = _execute(settings, console, start_inputs, progress=not loud)
    if code:
        sys.exit(code)


REFUSED_BUSY = ("\nRun refusé : un autre run du pipeline est en cours ; ce run n'a rien écrit, "
                "l'instantané courant n'a pas changé.")


def _execute(settings, console, start_inputs: str, progress: bool) -> int:
    """The jobs in sequence, under the sequence lock: each Dagster run takes the pipeline lock
    itself, and a second command must not slip in between two runs of this one (it would see the
    landing ingested but the warehouse not rebuilt yet)."""
    from socle.lock import PipelineBusy, pipeline_lock

    try:
        with pipeline_lock(settings.home / "sequence.lock"):
            return _execute_sequence(settings, console, start_inputs, progress)
    except PipelineBusy:
        console.say(REFUSED_BUSY, error=True)
        return 1


def _execute_sequence(settings, console, start_inputs: str, progress: bool) -> int:
    """The jobs (ingestion, the warehouse on the months that changed, then open data), a line per
    step when `progress`, the summary; the exit code."""
    import time

    from orchestration import progress as lines
    from orchestration import unchanged
    from orchestration.journal import to_console
    from orchestration.run import failure_report, run_pipeline
    from publication.opendata import latest_publication
    from socle import snapshot

    unchanged.forget(settings)
    before = _read_ledger(settings, lines.delivery_ids) if progress else None
    snapshot_before, opendata_before = snapshot.current_snapshot(settings), latest_publication(settings.opendata)
    started = time.time()
    result = run_pipeline(settings)
    refused = not result.success and _refused_busy(result)
    opendata = result.success
    if progress and not refused:
        ingestion = _read_ledger(settings, lambda con: lines.ingestion_line(con, before or set()))
        transformation = (lines.transformation_line(settings.home / "dbt" / "target" / "run_results.json", started)
                          + lines.months_text(result.mois, len(result.results) > 1))
        for line in (ingestion, transformation, lines.checks_line(result)):
            if line:
                console.say(line)
    if result.success:
        result = run_pipeline(settings, job_name="opendata")
    if progress and not refused:
        console.say(lines.publication_line(snapshot.current_snapshot(settings) if opendata else None,
                                           latest_publication(settings.opendata) if result.success else None,
                                           snapshot_before, opendata_before))
    with to_console(console):
        _summary(settings)
    if console.path is not None:
        console.say(f"Journal complet : {console.path}")
    if result.success:
        unchanged.remember(settings, unchanged.fingerprint(settings, start_inputs))
        return 0
    if refused:
        console.say(REFUSED_BUSY, error=True)
        return 1
    state = ("l'instantané courant a été publié, mais l'open data précédent (latest) reste en place"
             if opendata else "l'instantané courant et l'open data publiés n'ont pas changé")
    console.say(f"\nLe run a échoué : {state}.", error=True)
    for line in failure_report(result):
        console.say(f"- {line}", error=True)
    return 1


def _read_ledger(settings, read):
    """`read(con)` on the warehouse, read-only and under the pipeline lock; None when there is no
    warehouse yet or another run holds it."""
    import duckdb

    from socle.lock import PipelineBusy, pipeline_lock

    if not settings.warehouse.exists():
        return None
    try:
        with pipeline_lock(settings.lock_file), duckdb.connect(str(settings.warehouse), read_only=True) as con:
            return read(con)
    except PipelineBusy:
        return None


def _refused_busy(result) -> bool:
    """The run failed because another run held the pipeline lock (its resource could not start)."""
    for event in result.all_events:
        error = getattr(event.event_specific_data, "error", None)
        while error is not None:
            if error.cls_name == "PipelineBusy":
                return True
            error = error.cause
    return False


def _month(text: str) -> str:
    import datetime as dt

    try:
        return dt.datetime.strptime(text, "%Y-%m").strftime("%Y-%m")
    except ValueError:
        raise argparse.ArgumentTypeError(f"mois attendu au format AAAA-MM (ex. 2024-03), reçu « {text} »") from None


def _recalculer(args: argparse.Namespace) -> None:
    """The warehouse job (dbt build, snapshot, analyst files) on a range of months, in process."""
    import dagster as dg

    from orchestration import progress as lines
    from orchestration.defs.warehouse import partitions
    from orchestration.journal import quiet, to_console, verbose
    from orchestration.run import failure_report, run_warehouse

    settings = get_settings()
    keys = partitions.MOIS.get_partition_keys()
    if args.de > args.a:
        sys.exit(f"--de {args.de} est après --a {args.a} : rien n'est fait.")
    if args.de < keys[0] or args.a > keys[-1]:
        sys.exit(f"Mois hors des partitions de l'entrepôt ({keys[0]} à {keys[-1]} ; début réglé par "
                 "SOCLE_PARTITIONS_DEBUT) : rien n'est fait.")
    loud = args.verbeux or settings.verbose
    with (verbose() if loud else quiet(settings.logs)) as console:
        import time

        started = time.time()
        result = run_warehouse(settings, dg.PartitionKeyRange(args.de, args.a))
        if not _refused_busy(result):
            console.say(lines.transformation_line(settings.home / "dbt" / "target" / "run_results.json", started)
                        + lines.months_text(dg.PartitionKeyRange(args.de, args.a), True))
        if console.path is not None:
            console.say(f"Journal complet : {console.path}")
        if result.success:
            console.say("Instantané et fichiers analystes republiés ; l'open data suit au prochain run "
                        "ou à sa publication mensuelle.")
            return
        if _refused_busy(result):
            console.say("Recalcul refusé : un autre run du pipeline est en cours ; rien n'a été écrit.", error=True)
        else:
            console.say("\nLe recalcul a échoué : l'instantané courant n'a pas changé.", error=True)
            for line in failure_report(result):
                console.say(f"- {line}", error=True)
    sys.exit(1)


def _dagster(_: argparse.Namespace) -> None:
    from orchestration.dagster_home import prepare

    prepare(get_settings())
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"  # dbt for dagster-dbt
    os.execv(BIN / "dagster", ["dagster", "dev", "-m", "orchestration.definitions", "-h", "127.0.0.1"])


def _dashboard(args: argparse.Namespace) -> None:
    os.execv(BIN / "streamlit", ["streamlit", "run", str(PROJECT_DIR / "dashboards" / "app.py"),
                            "--server.headless", "true", "--server.address", "127.0.0.1",
                            "--server.port", str(args.port), "--browser.gatherUsageStats", "false"])


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(prog="python -m orchestration",
                                     description="Socle commun d'indicateurs")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="exécute tout le pipeline sur le dossier de dépôt")
    run.add_argument("--verbeux", action="store_true",
                     help="affiche tout (Dagster, dbt) au fil du run au lieu d'une ligne par étape "
                          "(aussi : SOCLE_VERBEUX=1)")
    run.add_argument("--forcer", action="store_true",
                     help="relance le pipeline même sans rien de nouveau depuis le dernier run "
                          "(aussi : SOCLE_FORCER=1)")
    run.add_argument("--tout-recalculer", action="store_true",
                     help="reconstruit tous les mois de l'entrepôt (dbt --full-refresh) au lieu des seuls "
                          "mois que les livraisons nouvelles ou renvoyées atteignent ; implique --forcer "
                          "(aussi : SOCLE_TOUT_RECALCULER=1)")
    run.set_defaults(func=_run)
    again = sub.add_parser(
        "recalculer", help="recalcule l'entrepôt sur une plage de mois (une partition Dagster par mois) "
                           "puis republie l'instantané et les fichiers analystes",
        description="Recalcule les mois de --de à --a inclus en un seul dbt build (vars mois_debut et "
                    "mois_fin), comme un backfill de l'interface Dagster.")
    again.add_argument("--de", type=_month, required=True, metavar="AAAA-MM", help="premier mois recalculé")
    again.add_argument("--a", type=_month, required=True, metavar="AAAA-MM", help="dernier mois recalculé (inclus)")
    again.add_argument("--verbeux", action="store_true", help="affiche tout (Dagster, dbt) au fil du recalcul")
    again.set_defaults(func=_recalculer)
    sub.add_parser("dagster", help="lance l'interface Dagster (dagster dev)").set_defaults(func=_dagster)
    dash = sub.add_parser("dashboard", help="lance le tableau de bord Streamlit sur l'instantané courant")
    dash.add_argument("--port", type=int, default=8501)
    dash.set_defaults(func=_dashboard)
    args = parser.parse_args(argv)
    os.chdir(PROJECT_DIR)
    args.func(args)
