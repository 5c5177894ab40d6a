"""Atomic file output: a report is either the old file or the complete new one.

CI jobs and archivists read reports while batches run; a crash or a full disk
must never leave a truncated XML/JSON file that later parses as "no findings".
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from aligner.model import AlignerError


def _default_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give (mkstemp uses 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str | Path, data: bytes | str) -> None:
    """Write ``data`` (str is encoded as UTF-8) to ``path`` atomically.

    Writes a temp file in the same directory (so ``os.replace`` is a rename on
    one file system), fsyncs it, replaces the target, then fsyncs the directory.
    An existing file keeps its permission bits.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    parent = target.parent
    if not parent.is_dir():
        raise AlignerError("cannot write report: directory does not exist", str(parent))
    if target.is_dir():
        raise AlignerError("cannot write report: path is a directory", str(target))
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = _default_mode()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise AlignerError(f"cannot write report: {exc.strerror}", str(target)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise AlignerError(f"cannot write report: {exc.strerror}", str(target)) from exc
        raise
    _fsync_dir(parent)


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable; not every platform lets a directory be opened."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
