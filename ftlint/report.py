"""Stage 4: findings -> a report per file and a summary, with the platform's verdict."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ftlint._version import __version__
from ftlint.finding import Finding, Severity
from ftlint.i18n import ngettext

# The order in which the platform's own checks fail a job: format errors found while
# reading lines (13, 14, whichever line comes first), then the row count (15), then
# training with bad hyperparameters (1).
_LINE_CODES = (13, 14)
JOB = "job"  # the `format` of a job's own report (--job): its findings are about the job as a whole
JSON_ARRAY = "json-array"  # the `format` of a file that is one JSON array (F110), not JSON Lines


@dataclass
class PlatformCode:
    code: int
    findings: int = 0
    first_line: int | None = None


@dataclass
class FileReport:
    path: str
    max_per_rule: int = 20
    format: str | None = None
    rows: int = 0
    findings: list[Finding] = field(default_factory=list)  # listed: first N per rule
    counts: Counter[str] = field(default_factory=Counter)  # every finding, per rule code
    _listed: Counter[str] = field(default_factory=Counter)  # findings kept in `findings`, per rule code
    severities: Counter[Severity] = field(default_factory=Counter)
    platform_codes: dict[int, PlatformCode] = field(default_factory=dict)
    error_lines: set[int] = field(default_factory=set)  # distinct lines with errors

    def add(self, finding: Finding) -> None:
        self.counts[finding.code] += 1
        self.severities[finding.severity] += 1
        if finding.severity is Severity.ERROR and finding.line is not None:
            self.error_lines.add(finding.line)
        if finding.platform_code is not None:
            entry = self.platform_codes.setdefault(finding.platform_code, PlatformCode(finding.platform_code))
            entry.findings += 1
            if finding.line is not None and (entry.first_line is None or finding.line < entry.first_line):
                entry.first_line = finding.line
        # File-level findings are few and often summaries: the cap never hides them.
        if not self.max_per_rule or finding.line is None or self._listed[finding.code] < self.max_per_rule:
            self.findings.append(finding)
            self._listed[finding.code] += 1

    def listed(self, code: str) -> int:
        return self._listed[code]

    def count_listed(self, code: str) -> None:
        self._listed[code] += 1

    @property
    def internal_errors(self) -> int:
        return sum(1 for f in self.findings if f.internal)

    @property
    def lines_with_errors(self) -> int:
        return len(self.error_lines)

    def extend(self, findings: object) -> None:
        for finding in findings:  # type: ignore[attr-defined]
            self.add(finding)

    @property
    def errors(self) -> int:
        return self.severities[Severity.ERROR]

    @property
    def warnings(self) -> int:
        return self.severities[Severity.WARNING]

    @property
    def infos(self) -> int:
        return self.severities[Severity.INFO]

    def sorted_findings(self) -> list[Finding]:
        """File-level findings first, then by line and column."""
        return sorted(self.findings, key=lambda f: (f.line or 0, f.column or 0, f.severity.rank, f.code))

    def omitted(self) -> dict[str, int]:
        """Per rule code, how many findings were counted but not listed."""
        listed = Counter(f.code for f in self.findings if f.line is not None)
        listed.update(f.code for f in self.findings if f.line is None)
        return {code: n - listed[code] for code, n in self.counts.items() if n > listed[code]}

    def fails_with(self) -> int | None:
        """The platform error code the upload would fail with first, if any."""
        line_codes = [c for c in self.platform_codes.values() if c.code in _LINE_CODES]
        if line_codes:
            return min(line_codes, key=lambda c: c.first_line or 0).code
        for code in (15, 1):
            if code in self.platform_codes:
                return code
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format or "unknown",
            "rows": self.rows,
            "findings": [f.to_dict() for f in self.sorted_findings()],
            "counts": dict(sorted(self.counts.items())),
            "omitted": dict(sorted(self.omitted().items())),
            "platform": {
                "fails_with": self.fails_with(),
                "codes": sorted(self.platform_codes),
                "lines_with_errors": self.lines_with_errors,
            },
        }


@dataclass
class JobSummary:
    """A job's row account and cost preview (--job): where every row goes, and what
    the training would cost. Token figures are None without a model."""

    origin: str
    model: str | None
    method: str
    files: list[dict[str, Any]]  # per file: path, role, rows, dropped
    rows: int  # rows of the training files
    dropped: int  # ... dropped as over-length
    truncated: int
    train: int  # rows that train
    validate: int  # rows that validate
    held_out: int  # training-file rows held out for validation (the automatic split)
    split: float
    validation_files: bool
    cap: int | None  # the held-out part's cap (max_split_val_dataset_sample), None when uncapped
    epochs: int
    tokens: int | None = None  # the kept training-file rows' tokens, one epoch
    dropped_tokens: int | None = None  # the dropped rows' tokens (not in `tokens`)
    mixed_tokens: int | None = None  # data_augmentation: an estimate
    billed_tokens: int | None = None  # (tokens + mixed_tokens) x epochs
    estimated: bool = False  # some counts are estimates or bounds (image tokens, rows far over the limit)
    price: dict[str, Any] | None = None  # amount, currency, per_tokens, source, as_of
    cost: float | None = None  # an estimate, in the price's currency
    media: bool = False  # a Wan or CosyVoice job: `ftlint stats` gives its billing base

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class Report:
    files: list[FileReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. skipped plugins
    job: JobSummary | None = None  # with --job: the job's account and cost

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    @property
    def infos(self) -> int:
        return sum(f.infos for f in self.files)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def datasets(self) -> list[FileReport]:
        """The reports of dataset files (a job's own report is not one)."""
        return [f for f in self.files if f.format != JOB]

    @property
    def internal_errors(self) -> int:
        return sum(f.internal_errors for f in self.files)

    def exit_code(self, strict: bool = False) -> int:
        """2 when a rule failed (its verdict is missing), 1 when there are errors (or,
        strict, warnings), else 0."""
        if self.internal_errors:
            return 2
        return 1 if self.errors or (strict and self.warnings) else 0

    def to_dict(self) -> dict[str, Any]:
        job = {"job": self.job.to_dict()} if self.job is not None else {}
        return {
            "version": __version__,
            **job,
            "files": [f.to_dict() for f in self.files],
            "summary": {
                "files": len(self.datasets),
                "rows": self.rows,
                "errors": self.errors,
                "warnings": self.warnings,
                "infos": self.infos,
                "files_failing": sum(1 for f in self.datasets if f.errors),
            },
        }


def omitted_message(code: str, n: int) -> str:
    """What every output says where --max-per-rule left findings out."""
    return ngettext("{n:,} more {code} finding not listed (--max-per-rule 0 lists all)", "{n:,} more {code} findings not listed (--max-per-rule 0 lists all)", n).format(n=n, code=code)
