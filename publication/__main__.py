"""`python -m publication opendata [--date AAAA-MM-JJ]` | `python -m publication analystes` | `... tout`."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from datetime import date

from publication.analysts import build_analyst_files
from publication.gate import PublicationRefusee
from publication.opendata import export_opendata
from publication.source import SnapshotMissing
from socle.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(prog="python -m publication", description="Publication du socle")
    sub = parser.add_subparsers(dest="command", required=True)
    od = sub.add_parser("opendata", help="exporte les données ouvertes datées (contrôlées, masquées)")
    od.add_argument("--date", type=date.fromisoformat, default=None, help="date de publication (AAAA-MM-JJ)")
    sub.add_parser("analystes", help="reconstruit les fichiers DuckDB des analystes (national et régions)")
    everything = sub.add_parser("tout", help="données ouvertes puis fichiers analystes")
    everything.add_argument("--date", type=date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    settings = get_settings()
    try:
        if args.command in ("opendata", "tout"):
            t = time.perf_counter()
            folder = export_opendata(settings, args.date)
            print(f"Données ouvertes publiées : {folder} ({time.perf_counter() - t:.1f} s) ; "
                  f"latest → {folder.name}")
        if args.command in ("analystes", "tout"):
            t = time.perf_counter()
            paths = build_analyst_files(settings)
            print(f"Fichiers analystes : {len(paths)} fichiers sous {settings.analysts} "
                  f"({time.perf_counter() - t:.1f} s)")
    except PublicationRefusee as refused:
        print(str(refused), file=sys.stderr)
        return 2
    except (SnapshotMissing, ValueError) as error:
        print(str(error), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
