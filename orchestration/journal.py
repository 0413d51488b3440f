"""A quiet run: everything the run prints (Python, Dagster, dbt, alembic) goes to a log file under
$SOCLE_HOME/logs; only the progress lines and the summary reach the console."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO


@dataclass
class Console:
    """Where a person reads: the console in a quiet run (and the journal too, to keep it whole)."""

    out: TextIO
    err: TextIO
    journal: TextIO | None = None
    path: Path | None = None

    def say(self, line: str = "", error: bool = False) -> None:
        stream = self.err if error else self.out
        print(line, file=stream, flush=True)
        if self.journal is not None:
            print(line, file=self.journal, flush=True)


def journal_path(logs: Path, now: dt.datetime | None = None) -> Path:
    """A new run-stamped file: `run-20261207T014500Z.log` (a suffix if one already holds the name)."""
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    path, n = logs / f"run-{stamp}.log", 1
    while path.exists():
        n += 1
        path = logs / f"run-{stamp}-{n}.log"
    return path


def _console_stream(stream: TextIO, fd: int) -> tuple[TextIO, int | None]:
    """The stream to keep for the console once file descriptor `fd` points to the journal."""
    try:
        if stream.fileno() != fd:
            return stream, None
    except (AttributeError, OSError, ValueError):  # a stream with no descriptor (pytest's capsys)
        return stream, None
    saved = os.dup(fd)
    return os.fdopen(saved, "w", encoding="utf-8", buffering=1, closefd=True), saved


@contextlib.contextmanager
def quiet(logs: Path) -> Iterator[Console]:
    """Send stdout and stderr (the Python streams and file descriptors 1 and 2, so that the dbt
    process and the loggers created before follow) to a new journal; yield the console."""
    logs.mkdir(parents=True, exist_ok=True)
    path = journal_path(logs)
    journal = path.open("a", encoding="utf-8", buffering=1)
    old_out, old_err = sys.stdout, sys.stderr
    old_out.flush()
    old_err.flush()
    out, saved_out = _console_stream(old_out, 1)
    err, saved_err = _console_stream(old_err, 2)
    fd_saves = {fd: os.dup(fd) for fd in (1, 2)}
    for fd in (1, 2):
        os.dup2(journal.fileno(), fd)
    sys.stdout = sys.stderr = journal
    try:
        yield Console(out=out, err=err, journal=journal, path=path)
    finally:
        sys.stdout, sys.stderr = old_out, old_err
        journal.flush()
        for fd, saved in fd_saves.items():
            os.dup2(saved, fd)
            os.close(saved)
        for stream, saved in ((out, saved_out), (err, saved_err)):
            if saved is not None:
                stream.close()
        journal.close()


@contextlib.contextmanager
def verbose() -> Iterator[Console]:
    """Today's output: everything on the console, no journal."""
    yield Console(out=sys.stdout, err=sys.stderr)


class Tee:
    """A text stream that writes to the console and to the journal."""

    def __init__(self, *streams: TextIO):
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()


def to_console(console: Console) -> contextlib.AbstractContextManager:
    """Within it, `print` reaches the person (and the journal, in a quiet run)."""
    if console.journal is None:
        return contextlib.nullcontext()
    return contextlib.redirect_stdout(Tee(console.out, console.journal))
