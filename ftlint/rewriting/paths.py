"""The guard every writing command passes first: no path it writes may be an input or
another of its outputs, as the file system sees them.

Names are compared after resolving symlinks, ``./`` and ``..``; existing files also by
device and inode (which catches hard links); and, in a folder whose file system ignores
case, by the case-folded name. A collision is a usage error raised before anything is
read or written.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ftlint.i18n import _


class PathCollision(Exception):
    """Two roles of one command name the same file (a usage error, exit 2)."""


@dataclass(frozen=True)
class Role:
    what: str  # "input", "output", "rejects", "training file", ...
    path: Path
    writes: bool


def _ignores_case(folder: Path) -> bool:
    """Whether names in `folder` are compared without case, found without writing: the
    folder reached through a case-swapped spelling of its own name is the same folder."""
    name = folder.name
    swapped = name.swapcase()
    if name and swapped != name:
        try:
            return os.path.samefile(folder, folder.with_name(swapped))
        except OSError:
            return False
    return sys.platform in ("darwin", "win32")


def _identity(path: Path) -> tuple[str, tuple[int, int] | None]:
    """A resolved, comparable name, and (device, inode) when the file exists."""
    real = Path(os.path.realpath(path))
    name = str(real)
    if _ignores_case(real.parent):
        name = str(real.parent / unicodedata.normalize("NFC", real.name).casefold())
    try:
        stat = os.stat(real)
        inode: tuple[int, int] | None = (stat.st_dev, stat.st_ino)
    except OSError:
        inode = None
    return name, inode


def written_path(path: Path) -> Path:
    """Where writing `path` really lands: through symlinks to the file they name, so a
    link stays a link and its target is what gets replaced (and backed up)."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def standard_input() -> Role | None:
    """Standard input as an input role, when it is a file that could be written over
    (`ftlint fix - -o data.jsonl < data.jsonl`)."""
    try:
        stat = os.fstat(0)
    except OSError:
        return None
    for candidate in ("/dev/stdin", "/proc/self/fd/0"):
        try:
            if os.path.samestat(os.stat(candidate), stat):
                return Role("standard input", Path(candidate), writes=False)
        except OSError:
            continue
    return None


def guard(roles: list[Role]) -> None:
    """Raise PathCollision when a written path is the same file as any other role's,
    or cannot be written at all (a folder, or a folder that does not exist)."""
    seen: list[tuple[Role, str, tuple[int, int] | None]] = []
    for role in roles:
        if role.writes:
            if role.path.is_dir():
                raise PathCollision(_("{path}: the {what} is a folder; give a file name").format(path=role.path, what=role.what))
            if role.path.exists() and not role.path.is_file():
                raise PathCollision(_("{path}: the {what} is not a regular file (a device, pipe or socket); give a file name").format(path=role.path, what=role.what))
            parent = role.path.parent
            if not parent.is_dir():
                raise PathCollision(_("{path}: the {what}'s folder {parent} does not exist").format(path=role.path, what=role.what, parent=parent))
        name, inode = _identity(role.path)
        for other, other_name, other_inode in seen:
            if not (role.writes or other.writes):
                continue
            if name == other_name or (inode is not None and inode == other_inode):
                same = f"{other.path}" if str(other.path) == str(role.path) else f"{other.path} and {role.path}"
                raise PathCollision(_("the {what} and the {what2} are the same file ({same}): nothing was written").format(what=role.what, what2=other.what, same=same))
        seen.append((role, name, inode))
