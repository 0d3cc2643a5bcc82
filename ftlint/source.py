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

BUFFER_SIZE = 1 << 20
DATASET_SUFFIXES = (".jsonl", ".jsonl.gz", ".zip")
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
                yield stream  # type: ignore[misc]
        elif self.kind == "zip":
            try:
                archive = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, zipfile.LargeZipFile) as err:
                raise UnreadableSource(f"not a readable zip archive ({err})") from None
            with archive:
                if ZIP_DATA_NAME not in archive.namelist():
                    raise UnreadableSource(f"the archive has no {ZIP_DATA_NAME} at its root")
                with archive.open(ZIP_DATA_NAME) as stream:
                    yield stream  # type: ignore[misc]
        else:
            with open(self.path, "rb", buffering=BUFFER_SIZE) as stream:
                yield stream


def is_dataset_file(name: str) -> bool:
    return name.endswith(DATASET_SUFFIXES)


def source_for_file(path: Path) -> Source:
    name = str(path)
    if name.endswith(".gz"):
        return Source(name, "gzip", path, path.name[: -len(".gz")])
    if name.endswith(".zip"):
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
        if path.is_dir():
            sources.extend(source_for_file(p) for p in _walk(path))
        elif path.is_file():
            sources.append(source_for_file(path))
        elif path.exists() or path.is_symlink():
            raise SourceError(f"{arg}: not a regular file or directory")
        else:
            raise SourceError(f"{arg}: no such file or directory")
    return sources


def _walk(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if is_dataset_file(name) and path.is_file():
                yield path
