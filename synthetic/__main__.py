"""Command line: python -m synthetic --help"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .calendar import build_calendar
from .generator import generate, restore_mtimes
from .referential import build_world, normalise_departement


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m synthetic", description=__doc__)
    ap.add_argument("--out", type=Path, required=True, help="landing folder to write")
    ap.add_argument("--departements", default="35,56,13", help="comma-separated INSEE codes")
    ap.add_argument("--debut", default="2024-01", help="first reference month, YYYY-MM")
    ap.add_argument("--fin", default="2025-03", help="last reference month, YYYY-MM")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--scale", type=float, default=0.02, help="1.0 is about 2 million RSA persons nationally")
    ap.add_argument("--mess", action="store_true", help="add the deviations real producers send")
    ap.add_argument("--bassins", type=Path, default=None,
                    help="a bassin referential to copy into referentiels/")
    ap.add_argument("--manifest", type=Path, default=None, help="where to write the manifest (JSON)")
    ap.add_argument("--force", action="store_true", help="replace the generator's folders in --out")
    ap.add_argument("--restore-mtimes", action="store_true",
                    help="only set the modification times of --out from --manifest, then exit")
    args = ap.parse_args(argv)

    if args.restore_mtimes:
        if args.manifest is None:
            ap.error("--restore-mtimes needs --manifest")
        n = restore_mtimes(args.out, json.loads(args.manifest.read_text(encoding="utf-8")))
        print(f"restored the modification time of {n} files")
        return 0

    deps = [normalise_departement(d) for d in args.departements.split(",") if d.strip()]
    world = build_world(deps)
    n_months = build_calendar(args.debut, args.fin).n
    stock = world.stock_size * args.scale
    # measured: a CAF row per person and month, plus the first month's initial loads and monthly changes
    rows = stock * (1.7 + 1.17 * n_months)
    print(f"{len(deps)} département(s), {n_months} month(s): about {stock:,.0f} RSA persons a month, "
          f"about {rows:,.0f} rows in all (estimate)", flush=True)
    t0 = time.perf_counter()
    manifest = generate(args.out, deps, args.debut, args.fin, args.seed, args.scale, args.mess, args.bassins,
                        replace=args.force, log=lambda msg: print(msg, flush=True))
    elapsed = time.perf_counter() - t0
    totals = manifest["totals"]
    print(f"wrote {totals['files']} files, {totals['rows']:,} rows, {totals['bytes']:,} bytes "
          f"in {elapsed:.1f}s", flush=True)
    for kind, n in sorted(totals["rows_by_kind"].items()):
        print(f"  {kind:16} {n:>12,} rows")
    if args.mess:
        print(f"  {len(manifest['mess'])} deviations recorded in the manifest")
    if args.manifest is not None:
        args.manifest.parent.mkdir(parents=True, exist_ok=True)
        args.manifest.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"manifest: {args.manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
