"""Stage 0: command-line paths -> sources, each a named binary stream.

A source is a .jsonl file, a .jsonl.gz file, the data.jsonl inside a .zip package, or
standard input. Directories are walked recursively for those kinds of file, in sorted
order, without following symlinked directories (so a link loop cannot hang the walk).
"""

from __future__ import annotations

import contextlib
import gzip
import os
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ftlint.i18n import _
from ftlint.platform.packages import is_package_folder

BUFFER_SIZE = 1 << 20
# Compressed input is never inflated past the largest upload the platform takes (a
# 2 GB package): beyond it lies a decompression bomb, not a dataset.
MAX_INFLATED = 2 << 30
# A data.jsonl that claims more than this many bytes per compressed byte is refused
# unread. Real JSONL compresses 5-20x; bombs reach 1000x and more.
MAX_RATIO = 200
DATASET_SUFFIXES = (".jsonl", ".jsonl.gz", ".zip")
# The names ftlint reserves for the rows fix and convert could not use (OUT.rejects.jsonl):
# a folder walk leaves them out; named on the command line, they are checked.
REJECTS_SUFFIXES = (".rejects.jsonl", ".rejects.jsonl.gz")
ZIP_DATA_NAME = "data.jsonl"


class SourceError(Exception):
    """A path that cannot be checked at all (usage or I/O error, exit 2)."""


class UnreadableSource(Exception):
    """A source that opened but cannot be read as a dataset; reported as a finding."""


@dataclass(frozen=True)
class Source:
    name: str  # as reports show it: a path, "-", or "archive.zip:data.jsonl"
    kind: str  # "jsonl", "gzip", "zip" or "stdin"
    path: Path | None = None
    upload_name: str | None = None  # the name the platform sees, for file-name rules

    @contextlib.contextmanager
    def open(self) -> Iterator[BinaryIO]:
        if self.kind == "stdin":
            yield sys.stdin.buffer
            return
        assert self.path is not None
        if self.kind == "gzip":
            with gzip.open(self.path, "rb") as stream:
                yield Capped(stream, MAX_INFLATED)  # type: ignore[arg-type, misc]
        elif self.kind == "zip":
            try:
                archive = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, zipfile.LargeZipFile) as err:
                raise UnreadableSource(_("not a readable zip archive ({err})").format(err=err)) from None
            with archive:
                names = archive.namelist()
                if ZIP_DATA_NAME in names:
                    info = archive.getinfo(ZIP_DATA_NAME)
                else:  # checked all the same; I101 reports that it is not at the root
                    nested = sorted((n for n in names if n.rsplit("/", 1)[-1] == ZIP_DATA_NAME), key=lambda n: (n.count("/"), n))
                    if not nested:
                        raise UnreadableSource(_("the archive has no {ZIP_DATA_NAME}").format(ZIP_DATA_NAME=ZIP_DATA_NAME))
                    info = archive.getinfo(nested[0])
                if info.flag_bits & 0x1:
                    raise UnreadableSource(_("{ZIP_DATA_NAME} is encrypted").format(ZIP_DATA_NAME=ZIP_DATA_NAME))
                if info.file_size > MAX_INFLATED:
                    raise UnreadableSource(_("{ZIP_DATA_NAME} inflates to {value:,.1f} GiB, more than the 2 GB package cap; not inflated").format(ZIP_DATA_NAME=ZIP_DATA_NAME, value=info.file_size / 2**30))
                if info.file_size > 16 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise UnreadableSource(
                        _("{ZIP_DATA_NAME} claims {value:,.0f} MiB from {compress_size:,} bytes (ratio {value2:,}:1): a decompression bomb? not inflated").format(ZIP_DATA_NAME=ZIP_DATA_NAME, value=info.file_size / 2**20, compress_size=info.compress_size, value2=info.file_size // max(info.compress_size, 1))
                    )
                with archive.open(info) as stream:
                    yield Capped(stream, MAX_INFLATED)  # type: ignore[arg-type, misc]
        elif self.kind == "folder":
            with open(self.path / ZIP_DATA_NAME, "rb", buffering=BUFFER_SIZE) as stream:
                yield stream
        else:
            with open(self.path, "rb", buffering=BUFFER_SIZE) as stream:
                yield stream

    @property
    def is_package(self) -> bool:
        """An image-understanding package: a .zip, or a folder laid out like one."""
        return self.kind in ("zip", "folder")


def is_dataset_file(name: str) -> bool:
    """A file a folder walk checks: .jsonl, .jsonl.gz, .zip in any case (`TRAIN.JSONL`),
    but not the rejects files ftlint's own fix and convert write (`*.rejects.jsonl`)."""
    lower = name.lower()
    return lower.endswith(DATASET_SUFFIXES) and not lower.endswith(REJECTS_SUFFIXES)


def source_for_file(path: Path) -> Source:
    name = str(path)
    if name.lower().endswith(".gz"):
        return Source(name, "gzip", path, path.name[: -len(".gz")])
    if name.lower().endswith(".zip"):
        return Source(f"{name}:{ZIP_DATA_NAME}", "zip", path, path.name)
    return Source(name, "jsonl", path, path.name)


def expand(paths: list[str]) -> list[Source]:
    """The sources named by command-line paths; raises SourceError for a missing path."""
    sources: list[Source] = []
    for arg in paths:
        if arg == "-":
            sources.append(Source("-", "stdin"))
            continue
        path = Path(arg)
        if path.is_dir() and is_package_folder(path):
            sources.append(Source(f"{path}/{ZIP_DATA_NAME}", "folder", path, path.name))
        elif path.is_dir():
            sources.extend(_walk_sources(path))
        elif path.is_file():
            sources.append(source_for_file(path))
        elif path.exists() or path.is_symlink():
            raise SourceError(_("{arg}: not a regular file or directory").format(arg=arg))
        else:
            raise SourceError(_("{arg}: no such file or directory").format(arg=arg))
    return _once(sources)


def _once(sources: list[Source]) -> list[Source]:
    """Each source once, in the order first named: a file named twice (`a.jsonl a.jsonl`,
    or a folder and a file in it) is one dataset, reported once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for source in sources:
        key = (source.kind, os.path.realpath(source.path) if source.path is not None else source.name)
        if key not in seen:
            seen.add(key)
            out.append(source)
    return out


def _walk_sources(root: Path) -> Iterator[Source]:
    for folder, dirs, files in os.walk(root, followlinks=False):
        if Path(folder) != root and is_package_folder(Path(folder)):
            dirs.clear()  # a package folder is checked whole, as the zip it will become
            yield Source(f"{folder}/{ZIP_DATA_NAME}", "folder", Path(folder), Path(folder).name)
            continue
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if is_dataset_file(name) and path.is_file():
                yield source_for_file(path)


class Capped:
    """A stream that stops with an error after `limit` bytes."""

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self._stream = stream
        self._left = limit
        self._limit = limit

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size if size >= 0 else self._left + 1)
        self._left -= len(data)
        if self._left < 0:
            raise UnreadableSource(_("inflates to more than {value:,.0f} GiB, the largest upload the platform takes: stopped (a decompression bomb?)").format(value=self._limit / 2**30))
        return data
