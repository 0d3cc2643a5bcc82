"""All or nothing: a command's outputs appear together, or none of them does.

Each output is written to a temporary file beside its target (same folder, so the
final rename is atomic and never crosses file systems). ``commit`` runs only when the
command has finished every output: it makes the in-place backup, then renames each
temporary into place. Any failure before that, an exception, Ctrl-C or SIGTERM,
removes the temporaries and leaves every existing file as it was.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import secrets
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ftlint.i18n import _

TEMP_SUFFIX = ".ftlint-tmp"


class WriteFailed(OSError):
    """An output could not be written (exit 2); nothing was changed."""


@dataclass
class _Pending:
    target: Path
    temporary: Path
    raw: BinaryIO  # the temporary file
    stream: BinaryIO  # what the command writes to (raw, or gzip over raw)
    mode: int


def backup_name(path: Path, skip: set[Path] | frozenset[Path] = frozenset()) -> Path:
    """The first of IN.bak, IN.bak.2, IN.bak.3, ... that does not exist (nor is in `skip`)."""
    candidate = path.with_name(path.name + ".bak")
    number = 1
    while os.path.lexists(candidate) or candidate in skip:
        number += 1
        candidate = path.with_name(f"{path.name}.bak.{number}")
    return candidate


class Transaction:
    def __init__(self) -> None:
        self._pending: list[_Pending] = []
        self._temporaries: list[Path] = []
        self._backup_of: Path | None = None
        self.backup: Path | None = None
        self.committed = False

    def open(self, target: Path, compress: bool | None = None, mode_from: Path | None = None) -> BinaryIO:
        """A binary stream whose bytes become `target` at commit. A target named .gz is
        gzip-compressed; `mode_from` gives the permission bits to keep."""
        target = Path(target)
        # The name is remembered before the file exists, so an interrupt at any moment
        # leaves nothing that abort() does not know of.
        name = target.parent / f".{target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
        self._temporaries.append(name)
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as err:
            raise WriteFailed(_("{target}: cannot write in {parent}: {strerror}").format(target=target, parent=target.parent, strerror=err.strerror)) from None
        raw = os.fdopen(fd, "wb", buffering=1 << 20)
        compress = target.name.endswith(".gz") if compress is None else compress
        stream: BinaryIO = gzip.GzipFile(filename=target.name.removesuffix(".gz"), mode="wb", fileobj=raw, mtime=0) if compress else raw  # type: ignore[assignment]
        source = mode_from if mode_from is not None else target
        try:
            mode = os.stat(source).st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        self._pending.append(_Pending(target, Path(name), raw, stream, mode))
        return stream

    def copy(self, target: Path, source: Path) -> None:
        """`target` becomes a copy of `source` at commit (the source is only read). The
        copy is written and closed now, so a package of many files holds no file open."""
        with source.open("rb") as f:  # opened first: an unreadable source leaves nothing behind
            stream = self.open(target, compress=False, mode_from=source)
            item = self._pending[-1]
            try:
                shutil.copyfileobj(f, stream, 1 << 20)
                item.raw.flush()
                os.fsync(item.raw.fileno())
            except BaseException:
                self.discard(target)
                raise
        item.raw.close()

    def _find(self, target: Path) -> _Pending:
        for item in self._pending:
            if item.target == Path(target):
                return item
        raise KeyError(target)

    def temporary_of(self, target: Path) -> Path:
        """Where `target`'s bytes are being written (complete once its stream is flushed)."""
        item = self._find(target)
        if item.stream is not item.raw:
            item.stream.close()  # a gzip stream is complete only once closed
        item.raw.flush()
        return item.temporary

    def compressed(self, target: Path) -> bool:
        item = self._find(target)
        return item.stream is not item.raw

    def discard(self, target: Path) -> None:
        """Drop an output that turned out not to be needed (an empty rejects file)."""
        item = self._find(target)
        item.raw.close()
        os.unlink(item.temporary)
        self._pending.remove(item)

    def keep_backup_of(self, path: Path) -> None:
        """At commit, keep the original bytes of `path` (an input about to be replaced)."""
        self._backup_of = Path(path)

    def commit(self) -> None:
        if self.committed:
            return  # committed early by the command (a package is checked once in place)
        # Interrupts wait until the renames are done: all outputs appear, or none.
        blocked = {signal.SIGINT, signal.SIGTERM}
        try:
            previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        except (AttributeError, ValueError, OSError):
            previous = None
        try:
            self._commit()
        finally:
            if previous is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def _commit(self) -> None:
        for item in self._pending:
            if item.stream is not item.raw:
                item.stream.close()  # closing twice is harmless
            if not item.raw.closed:  # a copy is closed already, its bytes synced
                item.raw.flush()
                os.fsync(item.raw.fileno())
                item.raw.close()
            os.chmod(item.temporary, item.mode)
        if self._backup_of is not None:
            self.backup = self._make_backup(self._backup_of)
        for item in self._pending:
            os.replace(item.temporary, item.target)
        self.committed = True

    def _make_backup(self, path: Path) -> Path:
        # A hard link keeps the original bytes at no cost (the rename that follows gives
        # the input's name a new inode); where links are not possible, a copy. Either
        # way the name is claimed exclusively, so no earlier backup is ever replaced.
        taken = {item.target for item in self._pending}
        while True:
            target = backup_name(path, skip=taken)
            try:
                os.link(path, target)
                return target
            except FileExistsError:
                continue
            except OSError:
                pass
            try:
                with open(path, "rb") as source, open(target, "xb") as copy:
                    shutil.copyfileobj(source, copy, 1 << 20)
                shutil.copystat(path, target)
                return target
            except FileExistsError:
                continue

    def abort(self) -> None:
        for item in self._pending:
            with contextlib.suppress(Exception):
                item.stream.close()
            with contextlib.suppress(Exception):
                item.raw.close()
        for name in self._temporaries:
            with contextlib.suppress(OSError):
                os.unlink(name)
        self._pending.clear()
        self._temporaries.clear()


class Terminated(BaseException):
    """SIGTERM, raised so that an ongoing write unwinds and cleans up."""


@contextlib.contextmanager
def transaction() -> Iterator[Transaction]:
    """Run a command's writes; commit when the block ends normally, else abort. OS
    errors while writing become WriteFailed; SIGTERM unwinds like Ctrl-C."""
    tx = Transaction()
    previous = None
    with contextlib.suppress(ValueError):  # not the main thread: no handler
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield tx
        tx.commit()
    except OSError as err:
        tx.abort()
        if isinstance(err, WriteFailed):
            raise
        where = f"{err.filename}: " if err.filename else ""
        raise WriteFailed(_("{where}cannot write: {value}; nothing was changed").format(where=where, value=err.strerror or err)) from None
    except BaseException:
        tx.abort()
        raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _raise_terminated(signum, frame):  # type: ignore[no-untyped-def]
    raise Terminated()
