"""ftlint: check fine-tuning datasets before they are uploaded to Alibaba Cloud Model
Studio (Bailian) / DashScope, and say what the platform would reject, drop or truncate.

The stable public API, for scripts and for plugins:

- ``lint(paths, jobs=1, **options) -> Report``: check datasets as ``ftlint check`` does
- ``Rule``, ``register``: the base class and registry of rules (plugins subclass Rule)
- ``Finding``, ``Severity``: what rules report
- ``Line``, ``Row``, ``RowSummary``, ``TokenCount``, ``FileFacts``: what rule hooks receive
- ``CheckOptions``: what a check is asked to do; ``Report`` / ``FileReport``: its result
- the row format names ``MESSAGES``, ``DPO``, ``CPT_TEXT``, ... (``FORMATS`` lists them)

Everything else is internal and may change between versions.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ftlint._version import __version__
from ftlint.i18n import _

_PUBLIC = {
    "Rule": "ftlint.rules.base",
    "register": "ftlint.rules.base",
    "Finding": "ftlint.finding",
    "Severity": "ftlint.finding",
    "Line": "ftlint.engine.lines",
    "Row": "ftlint.engine.rows",
    "RowSummary": "ftlint.engine.rows",
    "TokenCount": "ftlint.engine.rows",
    "FORMATS": "ftlint.engine.rows",
    "MESSAGES": "ftlint.engine.rows",
    "IMAGE_MESSAGES": "ftlint.engine.rows",
    "DPO": "ftlint.engine.rows",
    "PROMPT_COMPLETION": "ftlint.engine.rows",
    "LEGACY_TEXT": "ftlint.engine.rows",
    "CPT_TEXT": "ftlint.engine.rows",
    "FileFacts": "ftlint.engine.file_facts",
    "CheckOptions": "ftlint.options",
    "Report": "ftlint.report",
    "FileReport": "ftlint.report",
}
__all__ = [
    "__version__",
    "lint",
    "Rule",
    "register",
    "Finding",
    "Severity",
    "Line",
    "Row",
    "RowSummary",
    "TokenCount",
    "FORMATS",
    "MESSAGES",
    "IMAGE_MESSAGES",
    "DPO",
    "PROMPT_COMPLETION",
    "LEGACY_TEXT",
    "CPT_TEXT",
    "FileFacts",
    "CheckOptions",
    "Report",
    "FileReport",
]

if TYPE_CHECKING:
    from ftlint.engine.file_facts import FileFacts
    from ftlint.engine.lines import Line
    from ftlint.engine.rows import (
        CPT_TEXT,
        DPO,
        FORMATS,
        IMAGE_MESSAGES,
        LEGACY_TEXT,
        MESSAGES,
        PROMPT_COMPLETION,
        Row,
        RowSummary,
        TokenCount,
    )
    from ftlint.finding import Finding, Severity
    from ftlint.options import CheckOptions
    from ftlint.report import FileReport, Report
    from ftlint.rules.base import Rule, register


def __getattr__(name: str) -> Any:
    # Imported on first use: `ftlint --version` and machine-readable output stay quick.
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(_("module 'ftlint' has no attribute {name!r}").format(name=name))
    import importlib

    return getattr(importlib.import_module(module), name)


def lint(paths: str | os.PathLike[str] | list[str | os.PathLike[str]], jobs: int = 1, **options: Any) -> Report:
    """Check dataset paths and return a Report (the objects the CLI uses).

    ``options`` are the fields of CheckOptions, e.g.
    ``lint(["train.jsonl"], profile="current", batch_size=16)``; ``jobs`` > 1 checks
    large files with that many worker processes (the same result).
    """
    from ftlint.engine.scanning import check_paths
    from ftlint.options import CheckOptions

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return check_paths([str(p) for p in paths], CheckOptions(**options), jobs=jobs)
