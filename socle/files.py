"""File helpers shared by ingestion, snapshots and publication."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path
from typing import BinaryIO


class NotARegularFile(OSError):
    """The entry opened is not a regular file (a folder, a pipe, a socket, a device)."""


def open_no_follow(path: Path, under: Path) -> BinaryIO:
    """Open for reading a file below the folder `under` without following any symbolic link from
    `under` down: every folder of the path, then the file, is opened relative to the one above it
    with `O_NOFOLLOW` (a link anywhere fails with ELOOP), and the file opened must be a regular
    file (`fstat`, else NotARegularFile; opened non-blocking, so that a pipe put in its place
    never blocks). Whatever is swapped in between a scan (`lstat`) and this open, what is read is
    the regular file found at the path itself, never a link's target; the caller reads the
    returned file object only, never the path again. OSError messages are not path-free: the
    caller maps them to its own message (errno)."""
    parts = path.relative_to(under).parts
    if not parts:
        raise NotARegularFile("dossier")
    folder = os.open(under, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            try:
                inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
            except NotADirectoryError:  # Linux says so of a link opened as a folder without following
                if stat.S_ISLNK(os.stat(part, dir_fd=folder, follow_symlinks=False).st_mode):
                    raise OSError(errno.ELOOP, "lien symbolique") from None
                raise
            os.close(folder)
            folder = inner
        fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY, dir_fd=folder)
    finally:
        os.close(folder)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotARegularFile("pas un fichier ordinaire")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def sha256_of(f: BinaryIO) -> str:
    h = hashlib.sha256()
    for block in iter(lambda: f.read(1 << 20), b""):
        h.update(block)
    return h.hexdigest()


def sha256_file(path: Path, under: Path | None = None) -> str:
    """The SHA-256 of a file; below `under` (a landing folder), opened without following any link
    (`open_no_follow`)."""
    with (open_no_follow(path, under) if under is not None else path.open("rb")) as f:
        return sha256_of(f)


def fsync_path(path: Path) -> None:
    """Flush a file or a folder (its entries) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
