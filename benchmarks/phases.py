"""What each measured child process runs: `python -m benchmarks.phases <phase> --out FILE.json …`.

- `pipeline`: `python -m orchestration run` itself (the `pipeline` job: ingestion → dbt build →
  checks → snapshot → analyst files; then the `opendata` job) on $SOCLE_LANDING_DIR and
  $SOCLE_HOME, as a child of this process; writes the step times of every Dagster run it made and
  dbt's per-node times.
- `floor`: benchmarks/floor.sql on the landing folder with DuckDB, result saved as Parquet.
- `dashboard`: the dashboard's main queries at national level on the current snapshot.
- `generate`: the bench's landing folder (benchmarks.landing).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import re
import sys
import time
from pathlib import Path

from socle.settings import DBT_PROJECT_DIR, SEEDS_DIR

HERE = Path(__file__).resolve().parent


# --- pipeline ------------------------------------------------------------------------------

def _steps(instance, run_id: str) -> list[dict]:
    out = []
    for s in instance.get_run_step_stats(run_id):
        if s.start_time and s.end_time:
            out.append({"step": s.step_key, "seconds": round(s.end_time - s.start_time, 3),
                        "status": str(s.status.value if s.status else ""),
                        "start": s.start_time, "end": s.end_time})
    return sorted(out, key=lambda s: -s["seconds"])


def _epoch(iso: str) -> float:
    from datetime import datetime, timezone

    d = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return (d if d.tzinfo else d.replace(tzinfo=timezone.utc)).timestamp()


def _dbt_nodes(since: float) -> list[dict]:
    """dbt's per-node execution times from the newest run_results.json written during the phase."""
    candidates = [p for root in (Path(os.environ.get("SOCLE_HOME", "")), DBT_PROJECT_DIR / "target")
                  if root.exists() for p in root.rglob("run_results.json") if p.stat().st_mtime >= since]
    if not candidates:
        return []
    data = json.loads(max(candidates, key=lambda p: p.stat().st_mtime).read_text())
    nodes = []
    for r in data.get("results", []):
        node = {"node": r["unique_id"], "seconds": round(r.get("execution_time") or 0.0, 3), "status": r["status"]}
        for t in r.get("timing", []):
            if t.get("name") == "execute" and t.get("started_at") and t.get("completed_at"):
                node["start"] = _epoch(t["started_at"])
                node["end"] = _epoch(t["completed_at"])
        nodes.append(node)
    return sorted(nodes, key=lambda n: -n["seconds"])


def phase_pipeline(args) -> dict:
    """`python -m orchestration run` (what a user runs: a full build from an empty $SOCLE_HOME, the
    months a run's deliveries reach once the warehouse exists), then the step times of every
    Dagster run it made (read from the run's instance) and dbt's per-node times."""
    import subprocess
    from datetime import datetime, timezone

    import dagster as dg

    from orchestration.dagster_home import prepare
    from socle.settings import PROJECT_DIR, get_settings

    since = time.time()
    cmd = [sys.executable, "-m", "orchestration", "run"]
    code = subprocess.run(cmd, cwd=PROJECT_DIR, stdin=subprocess.DEVNULL).returncode
    prepare(get_settings())  # DAGSTER_HOME of this $SOCLE_HOME, as the run had it
    instance = dg.DagsterInstance.get()
    records = instance.get_run_records(
        filters=dg.RunsFilter(created_after=datetime.fromtimestamp(since - 1, timezone.utc)), ascending=True)
    report: dict = {"command": " ".join(cmd[1:]), "exit_code": code, "runs": []}
    for rec in records:
        run = rec.dagster_run
        wall = (rec.end_time - rec.start_time) if rec.start_time and rec.end_time else None
        report["runs"].append({"job": run.job_name, "success": run.status == dg.DagsterRunStatus.SUCCESS,
                               "status": run.status.value, "wall_s": round(wall, 3) if wall else None,
                               "steps": _steps(instance, run.run_id)})
    report["success"] = code == 0 and bool(report["runs"]) and all(r["success"] for r in report["runs"])
    report["dbt_nodes"] = _dbt_nodes(since)
    return report


# --- floor ---------------------------------------------------------------------------------

def statements(sql: str) -> list[str]:
    """The statements of floor.sql (each ends with ';' at the end of a line; comments dropped)."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in re.split(r";\s*\n", body + "\n") if s.strip()]


def floor_variables(con, landing: Path, key: str) -> None:
    """The variables floor.sql reads: the landing folder, the seed folders, the pseudonymisation key."""
    con.execute("set variable landing = ?", [Path(landing).as_posix()])
    con.execute("set variable cog = ?", [(SEEDS_DIR / "cog").as_posix()])
    con.execute("set variable parametres = ?", [(SEEDS_DIR / "parametres").as_posix()])
    con.execute("set variable cle = ?", [key])


def phase_floor(args) -> dict:
    import duckdb

    from socle.settings import get_settings

    key = get_settings().pseudo_key
    if not key:  # the bench sets it for every phase: the floor and the pipeline hash with one key
        raise SystemExit("SOCLE_PSEUDO_KEY is not set: the floor needs the pipeline's pseudonymisation key")
    # the memory the pipeline's dbt build gets (dbt_project/profiles.yml): the floor spills like it
    # instead of holding the whole national history in memory (18.6 GB at scale 1.0 without a limit)
    con = duckdb.connect(config={"memory_limit": os.environ.get("SOCLE_DUCKDB_MEMORY_LIMIT", "6GB")})
    if args.temp:
        con.execute(f"set temp_directory = '{args.temp}'")
    floor_variables(con, Path(args.landing), key)
    timings = []
    for stmt in statements((HERE / "floor.sql").read_text(encoding="utf-8")):
        t = time.perf_counter()
        con.execute(stmt)
        name = re.search(r"create (?:temp )?table (\w+)|set variable (\w+)", stmt)
        timings.append({"statement": (name.group(1) or name.group(2)) if name else stmt[:40],
                        "seconds": round(time.perf_counter() - t, 3)})
    t = time.perf_counter()
    con.execute(f"copy floor_indicateurs to '{args.result}' (format parquet)")
    timings.append({"statement": "write result", "seconds": round(time.perf_counter() - t, 3)})
    rows = con.execute("select count(*) from floor_indicateurs").fetchone()[0]
    return {"rows": rows, "statements": timings, "result": args.result}


# --- dashboard -----------------------------------------------------------------------------

def _percentiles(samples: list[float]) -> dict:
    xs = sorted(samples)
    n = len(xs)

    def pct(q: float) -> float:  # nearest rank: the ceil(q × n)-th smallest
        return xs[min(n - 1, max(0, math.ceil(q * n) - 1))]

    return {"n": n, "median_ms": round(1000 * pct(0.5), 2), "p95_ms": round(1000 * pct(0.95), 2),
            "max_ms": round(1000 * xs[-1], 2), "min_ms": round(1000 * xs[0], 2)}


def phase_dashboard(args) -> dict:
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for name in ("streamlit.runtime.caching.cache_data_api", "streamlit.runtime.caching.cache_resource_api"):
        logging.getLogger(name).setLevel(logging.ERROR)
    import streamlit as st

    from dashboards import data, queries

    cle = data.cle_courante()
    if cle is None:
        raise SystemExit("no published snapshot")
    out: dict = {"snapshot": cle.path, "repetitions": args.reps, "queries": {}}

    # First read of a snapshot (once per snapshot and server process): whole marts.indicateurs
    # read and masked, the dimension tables read.
    load = []
    for _ in range(args.load_reps):
        t = time.perf_counter()
        snap = data.charger.__wrapped__(cle) if hasattr(data.charger, "__wrapped__") else data.charger(cle)
        load.append(time.perf_counter() - t)
    out["load"] = _percentiles(load)
    data.charger(cle)  # the shared cached copy every query below reads, as in the app
    mois = snap.mois[-1]
    producteurs, types, tous_mois = queries.valeurs_qualite(cle)
    debut, fin = tous_mois[0], tous_mois[-1]
    ind = "nouveaux_entrants"
    screen = {
        "cartes (cards, M, M-1, M-12, France)": lambda: queries.cartes(cle, "national", "FR", mois),
        "series (monthly series)": lambda: queries.series(cle, "national", "FR"),
        "tableau (regions at M)": lambda: queries.tableau(cle, "national", "FR", mois),
        "serie_nationale (indicator page)": lambda: queries.serie_nationale(cle, ind),
        "etat_producteurs (quality)": lambda: queries.etat_producteurs(cle, tuple(producteurs), tuple(types)),
        "livraisons (quality)": lambda: queries.livraisons(cle, tuple(producteurs), tuple(types), debut, fin),
        "manquantes (quality)": lambda: queries.manquantes(cle, tuple(producteurs), tuple(types), debut, fin),
        "quarantaine (quality)": lambda: queries.quarantaine(cle, tuple(producteurs), tuple(types), debut, fin),
    }

    def main_screen():
        queries.cartes(cle, "national", "FR", mois)
        queries.series(cle, "national", "FR")
        queries.tableau(cle, "national", "FR", mois)

    screen["main screen (cartes + series + tableau)"] = main_screen
    for name, fn in screen.items():
        fn()  # warm-up (imports, first connection)
        samples = []
        for _ in range(args.reps):
            st.cache_data.clear()  # every repetition computes (the app would serve a cached answer)
            t = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t)
        out["queries"][name] = _percentiles(samples)
    out["figures_rows"] = snap.figures.height
    return out


# --- generate ------------------------------------------------------------------------------

def phase_generate(args) -> dict:
    from benchmarks import landing

    deps = args.departements.split(",")
    return landing.generate(Path(args.landing), Path(args.held), deps, args.debut, args.fin, args.seed,
                            args.scale, Path(args.bassins) if args.bassins else None,
                            log=lambda m: print(m, flush=True))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.phases")
    ap.add_argument("phase", choices=["pipeline", "floor", "dashboard", "generate"])
    ap.add_argument("--out", required=True, help="JSON file for the phase's own figures")
    ap.add_argument("--landing")
    ap.add_argument("--held")
    ap.add_argument("--result")
    ap.add_argument("--temp")
    ap.add_argument("--reps", type=int, default=50)
    ap.add_argument("--load-reps", type=int, default=5)
    ap.add_argument("--departements")
    ap.add_argument("--debut")
    ap.add_argument("--fin")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--scale", type=float)
    ap.add_argument("--bassins")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    fn = {"pipeline": phase_pipeline, "floor": phase_floor, "dashboard": phase_dashboard,
          "generate": phase_generate}[args.phase]
    result = fn(args)
    Path(args.out).write_text(json.dumps(result, indent=1, default=str) + "\n", encoding="utf-8")
    return 0 if result.get("success", True) else 1


if __name__ == "__main__":
    sys.exit(main())
