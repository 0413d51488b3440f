"""Run one phase in a child process and measure it: wall time, CPU time, peak memory.

- wall: `time.perf_counter()` around the child, from spawn to exit;
- CPU: user + system time of the child and of every descendant it waited for (dbt, DuckDB
  threads…), from `os.wait4`, so each phase is counted on its own;
- peak RSS: `ru_maxrss` from the same `os.wait4`, the largest resident set of any one process
  of the tree; and `peak_tree_rss`, the largest sum of the resident sets of the whole process
  tree at one time, sampled from /proc every 0.2 s (the figure the 8 GB target is read against,
  since the pipeline's Python process and its dbt child are alive together).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measure:
    phase: str
    wall_s: float
    cpu_user_s: float
    cpu_sys_s: float
    peak_rss_mb: float  # largest single process (ru_maxrss)
    peak_tree_rss_mb: float  # largest sampled sum over the process tree
    exit_code: int
    log: str
    details: dict = field(default_factory=dict)
    samples: list = field(default_factory=list, repr=False)  # (epoch seconds, tree RSS bytes)

    @property
    def cpu_s(self) -> float:
        return self.cpu_user_s + self.cpu_sys_s

    def peak_between(self, start: float, end: float) -> float | None:
        """Peak sampled tree RSS (MB) between two epoch times (a step of the phase)."""
        inside = [b for t, b in self.samples if start - 0.2 <= t <= end + 0.2]
        return round(max(inside) / 2**20) if inside else None

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("samples")
        d["cpu_s"] = self.cpu_s
        # the memory timeline, one point every 5 s (MB)
        d["rss_timeline_mb"] = [[round(t - self.samples[0][0]), round(b / 2**20)]
                                for i, (t, b) in enumerate(self.samples) if i % 25 == 0] if self.samples else []
        return d


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: fields start after the last ')'
        fields = stat[stat.rfind(b")") + 2:].split()
        kids.setdefault(int(fields[1]), []).append(int(entry.name))
    return kids


def tree_rss_bytes(root: int) -> int:
    """Sum of the resident set sizes of `root` and all its descendants now."""
    kids = _children_map()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * PAGE
        except OSError:
            pass
        todo.extend(kids.get(pid, ()))
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, 0
        self.samples: list[tuple[float, int]] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            rss = tree_rss_bytes(self.pid)
            self.samples.append((time.time(), rss))
            self.peak = max(self.peak, rss)
            self._stop_event.wait(self.every)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run(phase: str, argv: list[str], env: dict[str, str], log: Path, cwd: Path | None = None) -> Measure:
    """Run `argv` as a child process (output to `log`) and measure it."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        out.write(f"\n=== {phase}: {' '.join(argv)}\n".encode())
        out.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        sampler = _Sampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return Measure(phase=phase, wall_s=wall, cpu_user_s=usage.ru_utime, cpu_sys_s=usage.ru_stime,
                   peak_rss_mb=usage.ru_maxrss / 1024, peak_tree_rss_mb=sampler.peak / 2**20,
                   exit_code=proc.returncode, log=str(log), samples=sampler.samples)
