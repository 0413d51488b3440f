"""The project's command line: `python -m socle <command>`."""

from __future__ import annotations

import argparse
import logging

from socle.settings import get_settings


def _run(_: argparse.Namespace) -> None:
    from ingestion.land import land_all

    settings = get_settings()
    outcomes = land_all(settings)
    accepted = sum(o.statut == "acceptee" for o in outcomes)
    rejected = sum(o.statut == "rejetee" for o in outcomes)
    quarantined = sum(o.lignes_quarantaine for o in outcomes)
    print(f"Ingestion : {accepted} fichiers acceptés, {rejected} rejetés, {quarantined} lignes en quarantaine")
    print(f"Entrepôt : {settings.warehouse}")


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(prog="socle", description="Socle commun d'indicateurs")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="exécute tout le pipeline sur le dossier de dépôt").set_defaults(func=_run)
    args = parser.parse_args(argv)
    args.func(args)
