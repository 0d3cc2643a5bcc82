"""Files written whole or not at all: a temporary file beside the target, renamed into
place when complete. An interrupted run leaves the old file (or none), never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ftlint.i18n import _


class WriteError(OSError):
    pass


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
    target = Path(path)
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".ftlint-tmp", dir=target.parent or ".")
    except OSError as err:
        raise WriteError(_("{target}: cannot write: {strerror}").format(target=target, strerror=err.strerror)) from None
    try:
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else ""
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as stream:
            yield stream
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
