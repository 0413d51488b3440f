"""Atomic moves: a built folder or file goes into place in one rename; `latest` switches in one rename."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from socle.files import fsync_path

_RENAME_NOREPLACE = 1
_AT_FDCWD = -100


def fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            fsync_path(path)
    fsync_path(folder)


def _renameat2(a: Path, b: Path, flags: int) -> int | None:
    """Linux renameat2: 0 on success, the errno on failure, None when the call is unavailable."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return None
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), flags)
    return 0 if rc == 0 else ctypes.get_errno()


def rename_new(built: Path, final: Path) -> None:
    """Put `built` at `final`, which must not exist: never replaces anything (Linux renameat2
    RENAME_NOREPLACE; elsewhere a check then a rename, safe under the caller's lock).
    Raises FileExistsError when `final` exists."""
    error = _renameat2(built, final, _RENAME_NOREPLACE)
    if error in (None, errno.EINVAL, errno.ENOSYS):  # call or flag unsupported here
        if os.path.lexists(final):
            raise FileExistsError(errno.EEXIST, "le dossier de publication existe déjà", str(final))
        os.rename(built, final)
    elif error:
        raise OSError(error, os.strerror(error), str(final))
    fsync_path(final.parent)


def switch_symlink(link: Path, target: str) -> None:
    """Make `link` a symlink to `target` (relative), replacing it in one rename."""
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, link)
    fsync_path(link.parent)


def replace_file(built: Path, final: Path) -> None:
    fsync_path(built)
    os.replace(built, final)
    fsync_path(final.parent)


@contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """One publication of a kind at a time (a second one waits): leftovers of killed runs can
    then be removed safely. Not the pipeline lock, which a Dagster run calling us may hold."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2


def replace_folder(built: Path, final: Path) -> None:
    """Put the folder `built` at `final`, replacing the folder there in one step where Linux
    renameat2 RENAME_EXCHANGE exists (elsewhere: the old one moved aside, then the new one in);
    the old folder is then removed."""
    import shutil

    fsync_tree(built)
    if not os.path.lexists(final):
        os.rename(built, final)
    else:
        error = _renameat2(built, final, _RENAME_EXCHANGE)
        if error in (None, errno.EINVAL, errno.ENOSYS):
            aside = final.with_name(f".{final.name}.ancien-{os.getpid()}")
            os.rename(final, aside)
            os.rename(built, final)
            built = aside
        elif error:
            raise OSError(error, os.strerror(error), str(final))
        shutil.rmtree(built)  # now the old folder
    fsync_path(final.parent)
