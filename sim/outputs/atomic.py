"""Replacing a folder so that a kill at any moment leaves the old or the new one in place.

The new contents are written into a staging folder beside the target
(``.<name>.cssim-staging-<random>``). The swap is then one system call where the system has it:
``renameat2(RENAME_EXCHANGE)`` (Linux) exchanges the two folders atomically, so the target is
never missing, and the staging name holds the old contents until they are deleted. Elsewhere
the old folder is first renamed aside (``.<name>.cssim-old-<random>``) and the new one renamed
in; a kill between the two renames leaves no target, and :func:`recover` (called by the next
writer, under the folder's lock) renames the old folder back.

Only folders with these hidden names, created by this module, are ever deleted here.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
from pathlib import Path

STAGING = "cssim-staging"
OLD = "cssim-old"
_LEGACY = {STAGING: "tmp", OLD: "old"}
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def sibling(target: Path, kind: str) -> Path:
    """A hidden, unused name beside ``target`` (48 random bits make a clash negligible)."""
    return target.parent / f".{target.name}.{kind}-{secrets.token_hex(6)}"


def siblings(target: Path, kind: str) -> list[Path]:
    """The hidden folders of ``kind`` left beside ``target``.

    Also those of the names earlier versions used (``.tmp-<name>-<hex>`` for staging,
    ``.old-<name>-<hex>`` for a run set aside), so that their leftovers are recovered too.
    """
    found = set(target.parent.glob(f".{_glob_escape(target.name)}.{kind}-*"))
    legacy = re.compile(rf"\.{_LEGACY[kind]}-{re.escape(target.name)}-[0-9a-f]{{12}}")
    if target.parent.is_dir():
        found |= {path for path in target.parent.iterdir() if legacy.fullmatch(path.name)}
    return sorted(found)


def _glob_escape(name: str) -> str:
    return "".join(f"[{char}]" if char in "*?[" else char for char in name)


def rename_exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths atomically; False if this system or file system cannot.

    Raises:
        OSError: the exchange is supported but failed (permissions, a missing path, ...).
    """
    function = getattr(_libc(), "renameat2", None)
    if function is None:
        return False
    result = function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                      _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def swap_in(staging: Path, target: Path) -> None:
    """Put the complete folder ``staging`` at ``target``, replacing what is there."""
    if not target.exists() and not target.is_symlink():
        os.replace(staging, target)
        return
    if rename_exchange(staging, target):
        discard(staging)  # it now holds the previous contents
        return
    previous = sibling(target, OLD)
    os.replace(target, previous)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(previous, target)
        raise
    discard(previous)


def recover(target: Path) -> list[str]:
    """Tidy what a killed writer left beside ``target``; returns what was done, one line each.

    A folder set aside by the two-rename swap is renamed back if ``target`` is missing, and
    deleted otherwise; staging folders (incomplete, or holding an exchanged old copy) are
    deleted. Call it while holding the folder's lock: no live writer can own these folders.
    """
    done = []
    for previous in siblings(target, OLD):
        if not target.exists() and not target.is_symlink():
            os.replace(previous, target)
            done.append(f"restored {target} from {previous.name} (a replacement was killed)")
        else:
            discard(previous)
            done.append(f"removed {previous.name} (left by a killed replacement)")
    for staging in siblings(target, STAGING):
        discard(staging)
        done.append(f"removed {staging.name} (left by a killed run)")
    return done


def discard(folder: Path) -> None:
    """Delete a folder this module created (a symbolic link is unlinked, not followed)."""
    if folder.is_symlink():
        folder.unlink()
    else:
        shutil.rmtree(folder, ignore_errors=True)


def make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return the ones created, outermost first."""
    created = []
    for ancestor in [*reversed(folder.parents), folder]:
        if not ancestor.exists():
            ancestor.mkdir(exist_ok=True)
            created.append(ancestor)
    return created


def remove_empty_folders(folders: list[Path]) -> None:
    """Remove the folders ``make_folders`` created that nothing has filled, innermost first."""
    for folder in reversed(folders):
        try:
            folder.rmdir()
        except OSError:
            return
