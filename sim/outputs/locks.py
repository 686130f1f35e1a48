"""One writer per output folder: a lock file beside the folder, held for the whole command.

``cssim run``, ``sweep`` and ``compare`` (and any later command that writes a folder) take
:func:`output_lock` on their ``--out`` before touching it. The lock is an advisory ``flock`` on
a hidden file next to the folder (``.<name>.cssim-lock``); the kernel drops it when its holder
exits, however it exits, so the lock of a killed process is stale at once and the next writer
takes it over. The file records who holds it (pid, host, start time) for the message a second
writer gets:

    error: results/sweep-1: in use by another cssim (pid 4242 on host-a since
    2026-12-06 18:40:12 UTC); wait for it, or add --wait to queue behind it
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sim.outputs.atomic import make_folders, remove_empty_folders

POLL_SECONDS = 0.2


class LockedError(OSError):
    """Another process holds the lock of an output folder."""


def lock_path(folder: Path) -> Path:
    """The lock file of ``folder``: hidden, beside it (so it survives the folder's replacement)."""
    folder = Path(os.path.abspath(folder))
    return folder.parent / f".{folder.name}.cssim-lock"


@contextmanager
def output_lock(folder: Path, wait: bool = False,
                on_wait: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold the lock of ``folder`` for the duration of the block.

    Args:
        folder: the output folder (it need not exist; its parent is created).
        wait: block until the holder finishes instead of refusing.
        on_wait: called once with the holder's description when waiting starts.

    Raises:
        LockedError: the lock is held by another process and ``wait`` is false; the message
            names the holder.
    """
    path = lock_path(folder)
    created = make_folders(path.parent)
    try:
        descriptor = _acquire(path, folder, wait, on_wait)
        try:
            _record_holder(descriptor)
            yield path
        finally:
            _release(path, descriptor)
    finally:
        remove_empty_folders(created)


def _acquire(path: Path, folder: Path, wait: bool,
             on_wait: Callable[[str], None] | None) -> int:
    """Open and lock the lock file; retry if a releasing holder unlinked it meanwhile."""
    announced = False
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = describe_holder(path)
            os.close(descriptor)
            if not wait:
                raise LockedError(f"{folder}: in use by another cssim ({holder}); wait for it, "
                                  "or add --wait to queue behind it") from None
            if not announced and on_wait is not None:
                on_wait(f"{folder}: in use by another cssim ({holder}); waiting")
            announced = True
            time.sleep(POLL_SECONDS)
            continue
        if _same_file(descriptor, path):
            return descriptor
        os.close(descriptor)  # the file we locked was unlinked by its last holder: start over


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _record_holder(descriptor: int) -> None:
    holder = {"pid": os.getpid(), "host": socket.gethostname(),
              "since": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")}
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, (json.dumps(holder) + "\n").encode(), 0)


def _release(path: Path, descriptor: int) -> None:
    """Unlink the lock file, then unlock (a waiter that locked the old file starts over)."""
    try:
        path.unlink(missing_ok=True)
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


def describe_holder(path: Path) -> str:
    """``pid N on HOST since TIME`` from a lock file, or what is known of it."""
    try:
        holder = json.loads(path.read_text(encoding="utf-8")[:1000])
        return f"pid {int(holder['pid'])} on {holder['host']} since {holder['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "holder unknown: it is starting"
