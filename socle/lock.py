"""One writer at a time: an exclusive lock on `$SOCLE_HOME/pipeline.lock`."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


class PipelineBusy(RuntimeError):
    """Another pipeline run holds the warehouse."""


@contextmanager
def pipeline_lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PipelineBusy(f"un autre run du pipeline est en cours ({path})") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)  # closing releases the lock, also when the process is killed
