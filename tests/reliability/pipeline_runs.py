"""Drive `python -m orchestration run` in subprocesses: start, wait, kill at a phase, compare what is
published.

Every run gets its own process group (start_new_session), so that a kill takes the run and the
`dbt` process it started, as a container stop or the OOM killer of a cgroup would. Phases are
detected by polling what the run leaves on disk or in the process table, never by a hook in the
code under test:

- ingestion: a Parquet file of the new month appears in the raw layer (`lake/`);
- dbt build: a `dbt build` process of the run's group is alive;
- publication: a snapshot being built (`snapshots/*.building`) appears;
- open-data export: a build folder (`opendata/.construction-*`) appears.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from socle.files import sha256_file

PROJECT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PSEUDO_KEY = "cle-de-test-fiabilite-5b0c1f7e9a2d4c6b8e1f3a5c7d9b0e2f"


def env_for(home: Path, landing: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOCLE_", "DAGSTER_"))}
    env.update(PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}", SOCLE_HOME=str(home),
               SOCLE_LANDING_DIR=str(landing), SOCLE_PSEUDO_KEY=PSEUDO_KEY,
               DBT_SEND_ANONYMOUS_USAGE_STATS="false", DO_NOT_TRACK="1", PYTHONUNBUFFERED="1",
               # The phases are caught in dbt's own lines ("OK created sql", "Completed successfully"),
               # which a quiet run keeps in its journal; and a run with nothing new is skipped, while
               # these runs must really run (a run killed while it publishes the same landing).
               SOCLE_VERBEUX="1", SOCLE_FORCER="1")
    return env


ALIVE: list[Run] = []  # every run started, so that a session ending early can stop them


def stop_all() -> None:
    for run in ALIVE:
        if run.proc.poll() is None:
            run.kill()


@dataclass
class Run:
    """One `python -m orchestration run` (or any python -m command) in its own process group."""

    home: Path
    landing: Path
    name: str
    args: tuple[str, ...] = ("-m", "orchestration", "run")
    proc: subprocess.Popen = field(init=False)
    started: float = field(init=False)

    def __post_init__(self):
        logs = self.home / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        self.log_path = logs / f"test-{self.name}.log"  # inside SOCLE_HOME: the privacy scan reads it too
        self._log = self.log_path.open("wb")
        self.started = time.monotonic()
        ALIVE.append(self)
        self.proc = subprocess.Popen([sys.executable, *self.args], cwd=PROJECT, env=env_for(self.home, self.landing),
                                     stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait(self, timeout: float = 400) -> int:
        try:
            return self.proc.wait(timeout)
        finally:
            self._log.close()

    def kill(self) -> None:
        """SIGKILL the whole process group of the run (the run and its dbt child)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(30)
        self._log.close()

    def group(self) -> list[tuple[int, str]]:
        """(pid, command line) of every live process of the run's group."""
        out = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if os.getpgid(int(entry.name)) != self.proc.pid:
                    continue
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except (ProcessLookupError, FileNotFoundError, PermissionError):
                continue
            out.append((int(entry.name), cmd))
        return out

    def dbt_building(self) -> bool:
        return any("dbt" in cmd and " build" in cmd for _, cmd in self.group())

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


class PhaseMissed(AssertionError):
    pass


def kill_when(run: Run, marker, what: str, timeout: float = 300, poll: float = 0.005) -> float:
    """Poll `marker()` and SIGKILL the run's group as soon as it is true; return the seconds elapsed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker():
            if not run.alive:
                break
            run.kill()
            return time.monotonic() - run.started
        if not run.alive:
            break
        time.sleep(poll)
    alive = run.alive
    if alive:
        run.kill()
    else:
        run.wait(5)
    raise PhaseMissed(f"{run.name}: phase « {what} » not caught (run {'still running' if alive else 'ended'}):\n"
                      + run.output()[-3000:])


# --- what readers see ----------------------------------------------------------------------

def current_snapshot(home: Path) -> Path | None:
    try:
        return home / "snapshots" / (home / "snapshots" / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


def published_state(home: Path) -> dict:
    """Everything a reader can reach: CURRENT and the bytes of its snapshot, `latest` and the bytes of
    its files, the dated open-data folders, and the analyst files."""
    snap = current_snapshot(home)
    od = home / "opendata"
    latest = od / "latest"
    state = {
        "CURRENT": snap.name if snap else None,
        "snapshot_sha256": sha256_file(snap) if snap and snap.exists() else None,
        "latest": os.readlink(latest) if latest.is_symlink() else None,
        "opendata_dated": sorted(p.name for p in od.iterdir() if not p.name.startswith(".")) if od.exists() else [],
        "analystes": {p.name: sha256_file(p) for p in sorted((home / "analystes").glob("*.duckdb"))},
    }
    if latest.is_symlink():
        state["latest_files"] = {p.name: sha256_file(p) for p in sorted(latest.resolve().iterdir()) if p.is_file()}
    return state


def indicateurs(snapshot: Path) -> list[tuple]:
    with duckdb.connect(str(snapshot), read_only=True) as con:
        return con.execute("select * from marts.indicateurs order by all").fetchall()


def opendata_csv(home: Path) -> bytes:
    return (home / "opendata" / "latest" / "indicateurs.csv").read_bytes()


# --- the landing folder the runs read --------------------------------------------------------

NEW_MONTH = "2024-06"
PLANTED_NIR = "2750135123456" + "74"  # 97 - 2750135123456 % 97 = 74: a valid key
PLANTED = ("2 75 01 35 123 456 74", "JEAN PLANTENOM 3 RUE DES PLANTES")


def build_landing(out: Path) -> Path:
    """A small generated landing (2 départements, 2024-01..2024-06) plus what real producers also
    send with identifiers in it: rows quarantined (bad NIR key, duplicated key, short line), a
    column that must be dropped (`nom`), files rejected whole (a folder that is not a
    département, a month 13, a re-send lacking the `nir` column), and a person's name and address
    as a file name and as a folder name (recorded as tokens only)."""
    import polars as pl

    from ingestion.nir import key_for
    from synthetic import generate

    generate(out, departements=["35", "13"], debut="2024-01", fin=NEW_MONTH, seed=7, scale=0.004, mess=False,
             bassins=None)

    def append(relative: str, lines: list[str]) -> None:
        path = out / relative
        st = path.stat()
        with path.open("a", encoding="utf-8") as f:
            f.write("".join(line + "\n" for line in lines))
        os.utime(path, (st.st_atime, st.st_mtime))

    caf = (out / "caf/rsa_2024-02.csv").read_text(encoding="utf-8").splitlines()
    body = "18405751234" + "56"
    bad_nir = body + f"{(int(key_for(body)) + 1) % 97:02d}"
    append("caf/rsa_2024-02.csv", [
        f"RXBADNIR01,{bad_nir},CAF,35238,F,1984,2023-05-01,ouvert,true,true",  # NIR with a wrong key
        caf[1],  # repeats the first person: the earlier row is quarantined (duplicated key)
    ])
    # personal data typed where it does not belong (issue #16): a NIR in the commune (as is, and
    # typed with spaces), in a date, in the birth year; a name and an address in the commune; a
    # NIR in the name of a file (rejected: its path is none of the contract's)
    header = caf[0].split(",")
    planted = [dict(zip(header, caf[i].split(","))) for i in range(2, 7)]
    for row, (column, value) in zip(planted, [("code_commune", PLANTED_NIR), ("code_commune", PLANTED[0]),
                                             ("code_commune", PLANTED[1]), ("date_ouverture_droit", PLANTED_NIR),
                                             ("annee_naissance", PLANTED_NIR)]):
        row.update({column: value, "id_rsa": row["id_rsa"] + "P"})
    append("caf/rsa_2024-02.csv", [",".join(row[c] for c in header) for row in planted])
    (out / f"caf/rsa_2024-02_{PLANTED_NIR}.csv").write_bytes((out / "caf/rsa_2024-02.csv").read_bytes()[:2000])
    # a person's name and address as a file name, and as a folder (rejected: recorded as tokens)
    (out / f"departements/35/{PLANTED[1].title()}.csv").write_bytes((out / "caf/rsa_2024-02.csv").read_bytes()[:500])
    (out / "caf" / PLANTED[1].title()).mkdir()
    (out / "caf" / PLANTED[1].title() / "rsa_2024-02.csv").write_bytes((out / "caf/rsa_2024-02.csv").read_bytes()[:500])
    ins = (out / "ft/inscriptions_2024-01.csv").read_text(encoding="utf-8").splitlines()
    append("ft/inscriptions_2024-01.csv", [",".join(ins[1].split(",")[:5])])  # a short line
    # an unknown column holding a name: dropped on ingestion, never stored
    rsa3 = pl.read_csv(out / "caf/rsa_2024-03.csv", infer_schema=False)
    st = (out / "caf/rsa_2024-03.csv").stat()
    rsa3.with_columns(nom=pl.format("NOMSECRET{}", pl.int_range(pl.len()))).write_csv(out / "caf/rsa_2024-03.csv")
    os.utime(out / "caf/rsa_2024-03.csv", (st.st_atime, st.st_mtime))
    # files rejected whole, full of identifiers
    (out / "departements/99").mkdir()
    (out / "departements/99/orientations_2024-02.csv").write_bytes(
        (out / "departements/35/orientations_2024-02.csv").read_bytes())
    (out / "caf/rsa_2024-13.csv").write_bytes((out / "caf/rsa_2024-01.csv").read_bytes())
    pl.read_csv(out / "ft/inscriptions_2024-03.csv", infer_schema=False).rename({"nir": "numero_secu"}).write_parquet(
        out / "ft/inscriptions_2024-03.parquet")
    return out


def identifiers(landing: Path) -> set[str]:
    """Every clear identifier (NIR, id_rsa, id_ft) and every dropped name of the landing files."""
    import polars as pl

    found: set[str] = set()
    for path in landing.rglob("*"):
        if path.suffix.lower() == ".csv":
            frame = pl.read_csv(path, infer_schema=False, truncate_ragged_lines=True)
        elif path.suffix.lower() == ".parquet":
            frame = pl.read_parquet(path)
        else:
            continue
        for col in frame.columns:
            if col.strip().lower() in ("nir", "id_rsa", "id_ft", "numero_secu", "nom"):
                found |= {v.strip().upper() for v in frame[col].drop_nulls().cast(pl.String) if v.strip()}
    found |= set(PLANTED) | {"PLANTENOM"}
    for path in landing.rglob("*"):  # NIRs in file names
        found |= set(re.findall(r"(?<![0-9])[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}(?![0-9])", path.name.upper()))
    for path in landing.rglob("*.csv"):  # the short and appended lines too
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
            for cell in line.split(","):
                if len(cell) == 15 and cell[:5].isdigit():
                    found.add(cell.upper())
    return found


# --- the two lanes of runs, each in a thread of the test process ----------------------------

class Lanes:
    """Two homes driven at once (one per core):

    - lane « crash » (home A): a first run on the landing less its last month publishes; the last
      month lands; a run is killed during ingestion, the next one during `dbt build`, each leaving
      the published state as it was; a last run completes and publishes what lane B publishes on
      the whole landing.
    - lane « idempotence » (home B): a first run on the landing less its last month (what lane A's
      first run publishes); an open-data export killed while it builds its folder; the last month
      lands; a run killed while it writes its snapshot (after its incremental `dbt build`); then two
      runs started together while readers (snapshot, open data, analyst file, dashboard) read
      without pause: one run publishes the new month, the other is refused.
    """

    def __init__(self, work: Path):
        import threading

        self.work = work
        self.full = build_landing(work / "landing")
        self.results: dict = {}
        self.errors: dict[str, BaseException] = {}
        self.events = {name: threading.Event() for name in ("a", "b1", "b")}
        self.threads = [threading.Thread(target=self._guard, args=("a", self.lane_crash), daemon=True),
                        threading.Thread(target=self._guard, args=("b", self.lane_idempotence), daemon=True)]
        for t in self.threads:
            t.start()

    def _guard(self, name: str, lane) -> None:
        try:
            lane()
        except BaseException as exc:  # noqa: BLE001 - reported by the tests that wait on the lane
            self.errors[name] = exc
        finally:
            self.events[name].set()
            if name == "b":
                self.events["b1"].set()

    def wait(self, name: str, timeout: float = 900):
        if not self.events[name].wait(timeout):
            raise TimeoutError(f"lane {name} still running after {timeout} s")
        lane = name[0]
        if lane in self.errors and (name == lane or f"{name}_done" not in self.results):
            raise AssertionError(f"lane {lane} failed") from self.errors[lane]
        return self.results

    # lane A ----------------------------------------------------------------------------------
    def lane_crash(self) -> None:
        import shutil

        home, landing = self.work / "a" / "home", self.work / "a" / "landing"
        shutil.copytree(self.full, landing, ignore=shutil.ignore_patterns(f"*_{NEW_MONTH}.*"))
        r = self.results
        run = Run(home, landing, "a1-premier")
        r["a1_rc"], r["a1_out"] = run.wait(), run.output()
        assert r["a1_rc"] == 0, r["a1_out"][-3000:]
        r["a1_state"] = published_state(home)
        r["a1_indicateurs"] = indicateurs(current_snapshot(home))
        r["a1_csv"] = opendata_csv(home)
        for path in self.full.rglob(f"*_{NEW_MONTH}.*"):  # the new month lands
            target = landing / path.relative_to(self.full)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        new_month_lake = lambda: any(home.glob(f"lake/*/*/mois={NEW_MONTH}/*.parquet"))  # noqa: E731
        self.kill(home, landing, "ingestion", new_month_lake, "a parquet file of the new month in lake/")
        self.kill(home, landing, "dbt", None, "a `dbt build` process of the run that has created a model")
        run = Run(home, landing, "a-reprise")
        r["a_last_rc"], r["a_last_out"] = run.wait(), run.output()
        assert r["a_last_rc"] == 0, r["a_last_out"][-3000:]
        r["a_last_state"] = published_state(home)
        r["a_last_indicateurs"] = indicateurs(current_snapshot(home))
        r["a_last_csv"] = opendata_csv(home)
        r["a_last_leftovers"] = leftovers(home)
        r["a_home"], r["a_landing"] = home, landing
        r["a_done"] = True

    def kill(self, home: Path, landing: Path, phase: str, marker, what: str) -> None:
        r = self.results
        run = Run(home, landing, f"tue-{phase}")
        if marker is None:  # dbt: its process is alive and has created a first model
            marker = lambda: "OK created sql" in run.output() and run.dbt_building()  # noqa: E731
        seen = {}

        def probe():
            hit = marker()
            if hit:
                seen["dbt"] = run.dbt_building()
            return hit

        r[f"kill_{phase}_s"] = kill_when(run, probe, what)
        r[f"kill_{phase}_dbt_running"] = seen.get("dbt")
        r[f"kill_{phase}_out"] = run.output()
        r[f"kill_{phase}_state"] = published_state(home)

    # lane B ----------------------------------------------------------------------------------
    def lane_idempotence(self) -> None:
        import shutil

        home, landing = self.work / "b" / "home", self.work / "b" / "landing"
        shutil.copytree(self.full, landing, ignore=shutil.ignore_patterns(f"*_{NEW_MONTH}.*"))
        r = self.results
        run = Run(home, landing, "b1-premier")
        r["b1_rc"], r["b1_out"] = run.wait(), run.output()
        assert r["b1_rc"] == 0, r["b1_out"][-3000:]
        r["b1_state"] = published_state(home)
        r["b1_indicateurs"] = indicateurs(current_snapshot(home))
        r["b1_csv"] = opendata_csv(home)
        r["b1_ledger"] = ledger_rows(home)
        r["b1_lake"] = lake_files(home)
        r["b_home"], r["b_landing"] = home, landing
        r["b1_done"] = True
        self.events["b1"].set()
        # an open-data export killed while it builds its folder
        export = Run(home, landing, "b-tue-export", args=(
            "-c", "from publication.opendata import export_opendata; from socle.settings import get_settings; "
                  "export_opendata(get_settings())"))
        r["kill_export_s"] = kill_when(export, lambda: any((home / "opendata").glob(".construction-*")),
                                       "opendata/.construction-*")
        r["kill_export_state"] = published_state(home)
        for path in self.full.rglob(f"*_{NEW_MONTH}.*"):  # the new month lands
            target = landing / path.relative_to(self.full)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        # a run killed while it writes its snapshot (its dbt build of the new month has succeeded)
        self.kill(home, landing, "publication", lambda: any((home / "snapshots").glob("*.building")),
                  "snapshots/*.building")
        r["kill_publication_building"] = sorted(p.name for p in (home / "snapshots").glob("*.building*"))
        # two runs started together, readers at work all along
        with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:  # built by the killed run
            rows_after = con.execute("select count(*) from marts.indicateurs").fetchone()[0]
        r["b_rows"] = {len(r["b1_indicateurs"]), rows_after}
        readers = Readers(home, expected_rows=r["b_rows"])
        readers.start()
        try:
            runs = [Run(home, landing, "b2-premier-des-deux"), Run(home, landing, "b2-second-des-deux")]
            r["b2_rc"] = [run.wait() for run in runs]
            r["b2_out"] = [run.output() for run in runs]
        finally:
            readers.stop()
        r["b2_readers"] = readers.report()
        r["b2_state"] = published_state(home)
        r["b2_indicateurs"] = indicateurs(current_snapshot(home))
        r["b2_csv"] = opendata_csv(home)
        r["b2_ledger"] = ledger_rows(home)
        r["b2_lake"] = lake_files(home)
        r["b2_snapshots"] = sorted(p.name for p in (home / "snapshots").glob("socle_*.duckdb"))
        r["b2_leftovers"] = leftovers(home)
        r["b_done"] = True


def leftovers(home: Path) -> list[str]:
    """What killed runs may leave behind and the next run must clear."""
    found = [*(home / "snapshots").glob("*.building*"), *(home / "opendata").glob(".construction-*"),
             *(home / "analystes").glob(".*.construction-*"), *(home / "lake").rglob("*.tmp")]
    tmp = home / "tmp" / "ingestion"
    found += list(tmp.iterdir()) if tmp.exists() else []
    return sorted(p.relative_to(home).as_posix() for p in found)


def lake_files(home: Path) -> list[str]:
    """The raw layer's delivery files (the ledger's own export, `lake/_registre`, is rewritten each run)."""
    return sorted(p.relative_to(home).as_posix() for p in (home / "lake").rglob("*.parquet")
                  if "_registre" not in p.parts)


def ledger_rows(home: Path) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("select id_livraison, chemin, statut, est_courante, lignes_chargees, lignes_quarantaine "
                           "from raw.livraisons order by all").fetchall()


class Readers:
    """Readers of what is published, in threads, without pause: each read must succeed and see a
    whole table (the row count and content published)."""

    def __init__(self, home: Path, expected_rows: set[int]):
        import threading

        self.home, self.expected_rows = home, expected_rows
        self.stop_event = threading.Event()
        self.log: dict[str, list] = {"instantane": [], "opendata": [], "analystes": [], "tableau_de_bord": []}
        self.errors: list[str] = []
        self.threads = [threading.Thread(target=self._loop, args=(name, fn), daemon=True) for name, fn in (
            ("instantane", self.read_snapshot), ("opendata", self.read_opendata),
            ("analystes", self.read_analysts))]
        # the dashboard runs in its own process (Streamlit reads SOCLE_HOME from the environment)
        self.stop_file = home.parent / "tableau-stop"
        self.dashboard_out = home.parent / "tableau.jsonl"

    def start(self) -> None:
        for t in self.threads:
            t.start()
        self.dashboard = Run(self.home, self.home.parent, "lecteur-tableau", args=(
            str(PROJECT / "tests" / "reliability" / "dashboard_reader.py"), str(self.stop_file),
            str(self.dashboard_out)))

    def stop(self) -> None:
        self.stop_event.set()
        self.stop_file.touch()
        for t in self.threads:
            t.join(120)
        self.dashboard.wait(180)
        import json

        for line in self.dashboard_out.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            self.log["tableau_de_bord"].append(entry.get("caption", ""))
            if not entry["ok"]:
                self.errors.append(f"tableau_de_bord: {entry['problems']}")

    def _loop(self, name: str, fn) -> None:
        while not self.stop_event.is_set():
            try:
                self.log[name].append(fn())
            except Exception as exc:  # noqa: BLE001 - every failure is a finding
                self.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            time.sleep(0.05)

    def read_snapshot(self):
        path = current_snapshot(self.home)
        with duckdb.connect(str(path), read_only=True) as con:
            n = con.execute("select count(*) from marts.indicateurs").fetchone()[0]
        assert n in self.expected_rows, f"{path.name}: {n} rows instead of {self.expected_rows}"
        return path.name

    def read_opendata(self):
        folder = (self.home / "opendata" / "latest").resolve()
        data = (folder / "indicateurs.csv").read_bytes()
        import hashlib
        import json

        json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        return folder.name, hashlib.sha256(data).hexdigest()  # a whole published file: checked by the test

    def read_analysts(self):
        path = self.home / "analystes" / "national.duckdb"
        with duckdb.connect(str(path), read_only=True) as con:
            n = con.execute("select count(*) from indicateurs").fetchone()[0]
            built = con.execute("select valeur from manifeste where cle = 'construit_le'").fetchone()[0]
        assert n in self.expected_rows, f"national.duckdb: {n} rows instead of {self.expected_rows}"
        return built

    def report(self) -> dict:
        return {"errors": self.errors, **{k: v for k, v in self.log.items()}}
