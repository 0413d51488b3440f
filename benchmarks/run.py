"""The national-scale benchmark (issues #8 and #21): `python -m benchmarks [options]` (or `make bench`).

Steps, each measured phase in its own child process (benchmarks.measure):

1. generate the landing folder (months debut … debut + N, the last one held back);
2. the floor: benchmarks/floor.sql on the N months (with the pipeline's pseudonymisation key);
3. the full pipeline (`python -m orchestration run`) from an empty $SOCLE_HOME to a published
   snapshot and open data;
4. check: the floor's figures against the snapshot's marts.indicateurs (not timed);
5. the dashboard's main queries at national level on that snapshot;
6. one more month lands: `python -m orchestration run` again (incremental); check again;
7. one département re-sends a corrected month: the same run; check again (the floor on the
   final landing folder against the final snapshot: the incremental runs must give the figures
   of a computation from scratch);
8. flat cost (`--flat 12,24`): the new month after each N months of history; N = the full run's
   months is step 6, a smaller N is its own case (the first N generated months, an empty
   $SOCLE_HOME, the full run, then month N + 1 lands and is measured, then checked);
9. the report: docs/performance.json and the measured part of docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import sys
import time
from pathlib import Path

from benchmarks import compare, machine, measure, report
from benchmarks.landing import land_held, resend
from socle.settings import COG_DIR, PROJECT_DIR

DEFAULT_BASSINS = PROJECT_DIR.parent / "shared" / "reference" / "clpe_communes_2026.csv"


def all_departements() -> list[str]:
    import polars as pl

    return pl.read_csv(COG_DIR / "cog_departements.csv", infer_schema=False)["code_departement"].to_list()


def month_add(label: str, n: int) -> str:
    y, m = int(label[:4]), int(label[5:7])
    k = y * 12 + (m - 1) + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--months", type=int, default=24, help="months in the full run (one more lands after)")
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 is about 2 million RSA persons a month nationally")
    ap.add_argument("--departements", default="all", help="'all' (the 101) or comma-separated INSEE codes")
    ap.add_argument("--debut", default="2024-01", help="first month, YYYY-MM")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--bassins", type=Path, default=DEFAULT_BASSINS,
                    help="bassin referential to land (default: the real CLPE file, when present)")
    ap.add_argument("--work", type=Path,
                    default=Path(os.environ.get("SOCLE_BENCH_DIR", "/tmp/socle-bench")),
                    help="work folder (landing, $SOCLE_HOME, logs); never inside the repository")
    ap.add_argument("--reps", type=int, default=50, help="repetitions of each dashboard query")
    ap.add_argument("--resend", default=None, help="DEP:YYYY-MM re-sent (default: 13, or the first "
                                                     "département, for the last month of the full run)")
    ap.add_argument("--docs", type=Path, default=PROJECT_DIR / "docs",
                    help="where performance.md and performance.json go ('-' for nowhere)")
    ap.add_argument("--flat", default=None,
                    help="months of history after which one more month is measured, comma-separated "
                         "(each ≤ --months; default: 12,24 in the issue's 24-month case, else none; 'none')")
    ap.add_argument("--no-final-check", action="store_true",
                    help="skip the floor checks after the new month and the re-send (and of the flat cases)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder at the end")
    return ap.parse_args(argv)


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.work = args.work.resolve()
        if self.work == PROJECT_DIR or PROJECT_DIR in self.work.parents:
            raise SystemExit(f"--work {self.work} is inside the repository: choose a folder outside it")
        self.landing, self.held, self.home = self.work / "landing", self.work / "held", self.work / "home"
        self.out = self.work / "out"
        self.log = self.out / "bench.log"
        self.results: dict = {"phases": {}, "checks": {}, "load": []}
        # One pseudonymisation key for the floor and every pipeline run of this bench (never written)
        self.key = secrets.token_hex(32)

    def env(self, home: Path | None = None, landing: Path | None = None) -> dict[str, str]:
        env = dict(os.environ)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        env.update(SOCLE_HOME=str(home or self.home), SOCLE_LANDING_DIR=str(landing or self.landing),
                   SOCLE_PSEUDO_KEY=self.key,
                   DBT_SEND_ANONYMOUS_USAGE_STATS="false", DO_NOT_TRACK="1", PYTHONUNBUFFERED="1")
        return env

    def say(self, msg: str) -> None:
        line = f"[{time.strftime('%H:%M:%S')}] {msg}"
        print(line, flush=True)
        with self.log.open("a") as f:
            f.write(line + "\n")

    def phase(self, key: str, label: str, phase: str, *extra: str, home: Path | None = None,
              landing: Path | None = None) -> measure.Measure:
        self.results["load"].append({"before": key, **machine.load()})
        out_json = self.out / f"{key}.json"
        self.say(f"{label} …")
        m = measure.run(label, [sys.executable, "-m", "benchmarks.phases", phase, "--out", str(out_json), *extra],
                        self.env(home, landing), self.log, cwd=PROJECT_DIR)
        if out_json.exists():
            m.details = json.loads(out_json.read_text())
            # peak memory of each Dagster step and dbt node, from the sampled timeline
            for item in [s for r in m.details.get("runs", []) for s in r["steps"]] + m.details.get("dbt_nodes", []):
                if "start" in item and "end" in item:
                    item["peak_rss_mb"] = m.peak_between(item["start"], item["end"])
        self.results["phases"][key] = m.to_json()
        self.say(f"{label}: {m.wall_s:.1f} s wall, {m.cpu_s:.1f} s CPU, peak {m.peak_tree_rss_mb:,.0f} MB "
                 f"(exit {m.exit_code})")
        if m.exit_code != 0:
            raise SystemExit(f"{label} failed (exit {m.exit_code}); see {self.log}")
        return m

    def run(self) -> dict:
        a = self.args
        deps = all_departements() if a.departements == "all" else [d.strip() for d in a.departements.split(",")]
        fin = month_add(a.debut, a.months)  # the month that lands after the full run
        last = month_add(a.debut, a.months - 1)
        resend_dep, resend_month = (a.resend.split(":") if a.resend else
                                    ("13" if "13" in deps else deps[0], last))
        bassins = a.bassins if a.bassins and a.bassins.exists() else None
        flat = flat_months(a.flat, a.months)
        self.work.mkdir(parents=True, exist_ok=True)
        for p in (self.landing, self.held, self.home, self.out):
            if p.exists():
                shutil.rmtree(p)
        self.out.mkdir(parents=True)
        self.results["case"] = {
            "months": a.months, "debut": a.debut, "last_month_full_run": last, "month_that_lands": fin,
            "scale": a.scale, "departements": "all" if a.departements == "all" else deps,
            "n_departements": len(deps), "seed": a.seed, "bassins": bassins.name if bassins else None,
            "resend": f"{resend_dep}:{resend_month}", "dashboard_repetitions": a.reps, "work": str(self.work),
            "issue_case": a.months == 24 and a.scale == 1.0 and len(deps) == 101,
            "flat": flat,
        }
        self.results["machine"] = machine.describe(self.work)
        t0 = time.perf_counter()
        self.say(f"bench: {len(deps)} départements, {a.months} months from {a.debut} (+ {fin}), scale {a.scale}, "
                 f"work {self.work}")

        self.phase("generate", "generate the landing folder", "generate", "--landing", str(self.landing),
                   "--held", str(self.held), "--departements", ",".join(deps), "--debut", a.debut, "--fin", fin,
                   "--seed", str(a.seed), "--scale", str(a.scale), *(["--bassins", str(bassins)] if bassins else []))
        self.results["landing"] = {**self.results["phases"]["generate"]["details"],
                                   "landing_bytes": _du(self.landing)}
        months = self.results["landing"]["months_landed"]
        for n in flat:  # the first n months and month n + 1, linked before the landing folder changes
            if n < a.months:
                flat_landing(self.landing, self.work / f"flat{n}", months[:n], months[n])
        floor_result = self.work / "floor.parquet"
        self.phase("floor", "floor (floor.sql, N months)", "floor", "--landing", str(self.landing),
                   "--result", str(floor_result), "--temp", str(self.work / "duckdb_tmp"))
        self.phase("pipeline_full", "full pipeline (empty $SOCLE_HOME)", "pipeline")
        self.results["home_bytes_after_full"] = _du(self.home)
        snap = self._snapshot()
        self.say("check: floor against the pipeline …")
        self.results["checks"]["full"] = compare.compare(floor_result, snap)
        self.say(f"check: identical = {self.results['checks']['full']['identical']}")
        self.phase("dashboard", "dashboard queries (national)", "dashboard", "--reps", str(a.reps))

        moved = land_held(self.held, self.landing)
        self.results["new_month_files"] = len(moved)
        self.phase("pipeline_new_month", f"pipeline after one more month ({fin}) lands", "pipeline")
        if not a.no_final_check:
            self.check("new_month", "floor_new_month", "floor on the landing folder with the new month")
        self.results["resend"] = resend(self.landing, resend_dep, resend_month)
        self.phase("pipeline_resend", f"pipeline after {resend_dep} re-sends {resend_month}", "pipeline")
        if not a.no_final_check:
            self.check("final", "floor_final", "floor on the final landing folder (N+1 months, re-sent file)")
        self.results["home_bytes_at_end"] = _du(self.home)
        for n in flat:
            if n < a.months:
                if not a.keep:  # the main case's $SOCLE_HOME is measured: make room for this one
                    shutil.rmtree(self.home, ignore_errors=True)
                self.flat_case(n, months[n])
        self.results["total_wall_s"] = time.perf_counter() - t0
        self.results["load"].append({"before": "end", **machine.load()})
        (self.out / "results.json").write_text(json.dumps(self.results, indent=1, default=str) + "\n")
        if str(a.docs) != "-":
            paths = report.write(self.results, a.docs)
            self.say("report: " + ", ".join(str(p) for p in paths))
        return self.results

    def check(self, name: str, key: str, label: str, home: Path | None = None, landing: Path | None = None) -> None:
        """The floor on the landing folder as it is now, against the current snapshot, every row."""
        result = self.work / f"{key}.parquet"
        self.phase(key, label, "floor", "--landing", str(landing or self.landing), "--result", str(result),
                   "--temp", str(self.work / "duckdb_tmp"))
        self.results["checks"][name] = compare.compare(result, self._snapshot(home))
        self.say(f"check ({name}): identical = {self.results['checks'][name]['identical']}")

    def flat_case(self, n: int, new_month: str) -> None:
        """n months of history from an empty $SOCLE_HOME, then month n + 1 lands: that run is measured."""
        root = self.work / f"flat{n}"
        landing, home = root / "landing", root / "home"
        self.phase(f"flat{n}_full", f"flat cost: full pipeline on the first {n} months", "pipeline",
                   home=home, landing=landing)
        land_held(root / "held", landing)
        self.phase(f"flat{n}_new_month", f"flat cost: one more month ({new_month}) after {n} months", "pipeline",
                   home=home, landing=landing)
        if not self.args.no_final_check:
            self.check(f"flat{n}", f"floor_flat{n}", f"floor on the first {n + 1} months", home, landing)
        if not self.args.keep:
            shutil.rmtree(root, ignore_errors=True)

    def _snapshot(self, home: Path | None = None) -> Path:
        home = home or self.home
        name = (home / "snapshots" / "CURRENT").read_text().strip()
        return home / "snapshots" / name


def flat_months(option: str | None, months: int) -> list[int]:
    """The months of history of the flat-cost measure: `--flat` (default 12,24 in a 24-month run)."""
    if option is None:
        return [12, 24] if months == 24 else []
    if option.strip().lower() in ("", "none", "non"):
        return []
    values = sorted({int(v) for v in option.split(",") if v.strip()})
    bad = [v for v in values if not 2 <= v <= months]
    if bad:
        raise SystemExit(f"--flat {option}: every value must lie between 2 and --months ({months})")
    return values


MONTH_OF_FILE = re.compile(r"_(\d{4}-\d{2})\.csv$")


def flat_landing(landing: Path, root: Path, history: list[str], new_month: str) -> dict:
    """`root/landing`: hard links to the files of `history`'s months and to the referentials;
    `root/held`: to those of `new_month` (same bytes and modification times, no copy)."""
    counts = {"history": 0, "held": 0}
    for folder in (root / "landing", root / "held"):
        if folder.exists():
            shutil.rmtree(folder)
    for path in sorted(p for p in landing.rglob("*") if p.is_file()):
        rel = path.relative_to(landing)
        m = MONTH_OF_FILE.search(path.name)
        month = m.group(1) if m else None
        if month is None or month in history:
            dest, key = root / "landing" / rel, "history"
        elif month == new_month:
            dest, key = root / "held" / rel, "held"
        else:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, dest)
        counts[key] += 1
    return counts


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    bench = Bench(args)
    try:
        bench.run()
    finally:
        if not args.keep and bench.work.exists():
            for p in (bench.landing, bench.held, bench.home, bench.work / "duckdb_tmp",
                      *bench.work.glob("flat*")):
                shutil.rmtree(p, ignore_errors=True)
            for p in bench.work.glob("floor*.parquet"):
                p.unlink()
    return 0
