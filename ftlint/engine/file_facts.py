"""What a check learns about a whole file, handed to file-level rules at the end."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ftlint.engine.sources import Source
from ftlint.options import CheckOptions


@dataclass
class FileFacts:
    source: Source
    options: CheckOptions
    bytes: int = 0  # bytes read (uncompressed), as uploaded
    lines: int = 0  # physical lines
    rows: int = 0  # non-blank lines: what the platform counts as rows
    format: str | None = None  # the file's format: forced, or its first row's
    format_line: int | None = None  # the line that decided the format
    formats: Counter[str] = field(default_factory=Counter)  # rows per detected format
    read_error: str | None = None  # why the file could not be read to the end
    package: Any = None  # the ftlint.platform.packages.Package of an image package
    array: ArrayFacts | None = None  # the file is one JSON array, not JSON Lines


@dataclass
class ArrayFacts:
    """A JSON array file, read element by element (it is not checked row by row)."""

    elements: int = 0
    first: Any = None  # the first element's value, when it parses
    error: str | None = None  # why the array could not be read to its end
    error_line: int | None = None
