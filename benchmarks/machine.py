"""What the figures were measured on: machine, versions, load."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from socle.settings import PROJECT_DIR

PACKAGES = ("duckdb", "polars", "dbt-core", "dbt-duckdb", "dagster", "dagster-dbt", "streamlit", "pyarrow")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return float("nan")


def _git(*args: str) -> str | None:
    try:
        return subprocess.run(["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def load() -> dict:
    """Load average and the processes using the CPU now that are not this bench's."""
    la = os.getloadavg()
    mine = os.getpid()
    others = []
    try:
        out = subprocess.run(["ps", "-eo", "pid,ppid,pcpu,rss,etimes,comm,args", "--sort=-pcpu"],
                             capture_output=True, text=True, timeout=10).stdout.splitlines()[1:]
        for line in out:
            parts = line.split(None, 6)
            if len(parts) < 7:
                continue
            pid, ppid, pcpu = int(parts[0]), int(parts[1]), float(parts[2])
            if pid == mine or ppid == mine or pcpu < 5.0:
                continue
            others.append({"pid": pid, "cpu_percent": pcpu, "rss_mb": round(int(parts[3]) / 1024),
                           "command": parts[5]})
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return {"loadavg_1_5_15": [round(x, 2) for x in la], "busy_processes": others[:10],
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def describe(work: Path) -> dict:
    versions = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = None
    disk = shutil.disk_usage(work if work.exists() else work.parent)
    return {
        "date_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu": _cpu_model(), "cpus": os.cpu_count(), "memory_gb": round(_mem_total_gb(), 1),
        "os": f"{platform.system()} {platform.release()}", "python_executable": sys.executable,
        "disk_free_gb_at_start": round(disk.free / 2**30, 1),
        # SOCLE_BENCH_COMMIT: set when the bench runs from an exported copy of a commit (no .git)
        "git_commit": os.environ.get("SOCLE_BENCH_COMMIT") or _git("rev-parse", "--short", "HEAD"),
        "git_dirty": False if os.environ.get("SOCLE_BENCH_COMMIT") else bool(_git("status", "--porcelain")),
        "versions": versions,
    }
