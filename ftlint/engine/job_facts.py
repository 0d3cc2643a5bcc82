"""What a check learns about a whole job (--job): each dataset file's rows, the rows the
platform drops as over-length, training tokens, and the rows that repeat across files,
handed to the job's rules at the end (Rule.check_job).

The ledger sees every row's RowSummary, file after file (training files first), in the
main process: the same summaries in a serial and in a parallel check. It keeps counts
and, to find repeats, one 8-byte hash per training row (exact and normalised), never
the rows.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ftlint.engine.rows import MEDIA_FORMATS, RowSummary
from ftlint.engine.sources import Source
from ftlint.job import TRAINING, Job
from ftlint.options import CheckOptions
from ftlint.platform.limits import Range, read_number, split_list
from ftlint.platform.prices import Price
from ftlint.platform.tokenizers import consequence
from ftlint.report import JobSummary

if TYPE_CHECKING:
    from ftlint.job import Dataset

# The summary fields the ledger reads (tokens only when the job names a model).
LEDGER_FIELDS = frozenset({"digest", "normal_digest"})
EXAMPLES = 5  # repeats named per kind; the counts stay exact


@dataclass
class DatasetFile:
    """One file of the job, as checked."""

    dataset: Dataset
    source: Source
    rows: int = 0  # non-blank lines, as the platform counts rows
    formats: Counter[str] = field(default_factory=Counter)  # rows per detected format
    first_line: dict[str, int] = field(default_factory=dict)  # format -> its first line
    dropped: int = 0  # over-length rows the platform drops
    truncated: int = 0  # over-length rows it truncates (console DPO)
    tokens: int = 0  # the kept rows' tokens (the truncated ones at the limit)
    dropped_tokens: int = 0  # the dropped rows' tokens (at least)
    bounds: int = 0  # rows whose count is a lower bound (far over the limit)
    failed: bool = False  # the file could not be checked to the end (read error, rule error)
    repeats: int = 0  # rows that repeat a training row of another file exactly
    near_repeats: int = 0  # ... only once normalised

    @property
    def role(self) -> str:
        return self.dataset.role

    @property
    def kept(self) -> int:
        return self.rows - self.dropped


@dataclass(frozen=True)
class Repeat:
    """A row that repeats one in another file: where, and where it was first seen."""

    file: str
    line: int
    first_file: str
    first_line: int
    normalised: bool  # equal only after whitespace, case and width are normalised


@dataclass
class JobFacts:
    job: Job
    options: CheckOptions  # the job's settings (model, limit, via)
    files: list[DatasetFile] = field(default_factory=list)
    leaks: list[Repeat] = field(default_factory=list)  # the first EXAMPLES of each kind
    repeats: list[Repeat] = field(default_factory=list)

    def of(self, role: str) -> list[DatasetFile]:
        return [f for f in self.files if f.role == role]

    @property
    def leaked(self) -> int:
        """Validation rows that repeat a training row."""
        return sum(f.repeats for f in self.files if f.role != TRAINING)

    @property
    def leaked_normalised(self) -> int:
        """... only once normalised."""
        return sum(f.near_repeats for f in self.files if f.role != TRAINING)

    @property
    def repeated(self) -> int:
        """Training rows that repeat a row of another training file."""
        return sum(f.repeats for f in self.of(TRAINING))

    @property
    def repeated_normalised(self) -> int:
        return sum(f.near_repeats for f in self.of(TRAINING))

    @property
    def media(self) -> bool:
        """The job trains a Wan or CosyVoice model on media packages (whose minimum
        counts and batch sizes are their own: K105, O101)."""
        return self.options.media_model is not None or any(fmt in MEDIA_FORMATS for f in self.of(TRAINING) for fmt in f.formats)

    @property
    def measured(self) -> bool:
        """Rows were measured in tokens (the job names a model)."""
        return self.options.model_entry is not None


class JobLedger:
    """Collects the job's facts from each row's summary, one file at a time."""

    def __init__(self, job: Job, options: CheckOptions) -> None:
        self.facts = JobFacts(job, options)
        self.limit = options.token_limit
        self.via = options.via
        self.file: DatasetFile | None = None
        # hash -> (file index << 40 | line) of the first training row with that hash
        self.exact: dict[bytes, int] = {}
        self.normal: dict[bytes, int] = {}

    def start(self, dataset: Dataset, source: Source) -> None:
        self.file = DatasetFile(dataset, source)
        self.facts.files.append(self.file)

    def restart(self) -> None:
        """Forget what the current file added (a parallel check that falls back to a
        serial one sends the file's rows again)."""
        assert self.file is not None
        index = len(self.facts.files) - 1
        for table in (self.exact, self.normal):
            for key in [k for k, v in table.items() if v >> 40 == index]:
                del table[key]
        self.facts.leaks = [r for r in self.facts.leaks if r.file != self.file.source.name]
        self.facts.repeats = [r for r in self.facts.repeats if r.file != self.file.source.name]
        self.facts.files.pop()
        self.start(self.file.dataset, self.file.source)

    def add(self, summary: RowSummary) -> None:
        file = self.file
        assert file is not None
        if summary.format is not None:
            file.formats[summary.format] += 1
            file.first_line.setdefault(summary.format, summary.line)
        count = getattr(summary, "tokens", None)
        if count is not None and self.limit is not None:
            self._measure(file, summary.format, count)
        self._repeats(file, summary)

    def _measure(self, file: DatasetFile, fmt: str | None, count: Any) -> None:
        tokens = count.tokens if count.tokens is not None else count.at_most
        if tokens is None:
            return
        if not count.exact:
            file.bounds += 1
        if self.limit is not None and tokens > self.limit:
            if consequence(fmt, self.via) == "dropped":
                file.dropped += 1
                file.dropped_tokens += tokens
                return
            file.truncated += 1
            tokens = self.limit
        file.tokens += tokens

    def _repeats(self, file: DatasetFile, summary: RowSummary) -> None:
        index = len(self.facts.files) - 1
        here = index << 40 | summary.line
        facts = self.facts
        for table, digest, normalised in ((self.exact, summary.digest, False), (self.normal, summary.normal_digest, True)):
            first = table.get(digest)
            if first is not None and first >> 40 != index:
                seen_in = facts.files[first >> 40].source.name
                repeat = Repeat(file.source.name, summary.line, seen_in, first & (1 << 40) - 1, normalised)
                file.near_repeats += normalised
                file.repeats += not normalised
                found = facts.repeats if file.role == TRAINING else facts.leaks
                if len(found) < 2 * EXAMPLES:
                    found.append(repeat)
                return  # an exact repeat is not counted again as a normalised one
            if file.role == TRAINING and first is None:
                table[digest] = here


@dataclass(frozen=True)
class Account:
    """Where the job's rows go: kept or dropped, then trained or held out."""

    rows: int  # rows in the training files
    dropped: int  # over-length rows dropped before training
    truncated: int
    kept: int  # rows - dropped
    train: int  # rows that train
    validate: int  # rows that validate: held out of `kept`, or the validation files' kept rows
    held_out: int  # rows of the training files held out for validation (0 with validation files)
    split: float  # the training share used for the automatic split
    cap: int  # the held-out part's cap (max_split_val_dataset_sample)
    validation_files: bool  # the job gives validation files (no automatic split)


def account(facts: JobFacts, split: float, cap: int) -> Account:
    """The platform's arithmetic: over-length rows are dropped first; then, without
    validation files, ceil(kept x (1 - split)) rows, at most `cap`, are held out."""
    training = facts.of(TRAINING)
    validation = [f for f in facts.files if f.role != TRAINING]
    rows = sum(f.rows for f in training)
    dropped = sum(f.dropped for f in training)
    kept = rows - dropped
    if validation:
        held_out = 0
        validate = sum(f.kept for f in validation)
    else:
        # Rounded up, as ftlint reads the platform (F103); round() first so that
        # 10 x (1 - 0.7) = 3.0000000000000004 holds out 3 rows, not 4.
        held_out = min(math.ceil(round(kept * (1 - split), 6)), cap, kept)
        validate = held_out
    return Account(rows, dropped, sum(f.truncated for f in training), kept, kept - held_out, validate, held_out, split, cap, bool(validation))


def rows_account(facts: JobFacts) -> Account:
    """The job's account with its own split and validation cap (valid values only;
    O101 reports the others), or the profile's."""
    options = facts.options
    body = facts.job.hyper_parameters
    profile = options.platform_profile
    media = options.media_model
    ranges: dict[str, Range] = media.hyperparameters if media is not None else profile.hyperparameters  # type: ignore[assignment]
    split_default = ranges["split"].default if media is not None and "split" in ranges and ranges["split"].default is not None else (
        1 - (options.validation_split if options.validation_split is not None else profile.validation_split))
    cap_default = ranges["max_split_val_dataset_sample"].default if media is not None and "max_split_val_dataset_sample" in ranges else profile.validation_cap
    split = valid_value(body, "split", ranges, split_default)
    cap = int(valid_value(body, "max_split_val_dataset_sample", ranges, cap_default or 1 << 62))
    return account(facts, split, cap)


def summary(facts: JobFacts, price: Price | None) -> JobSummary:
    """The job's account and cost preview, as the report shows it."""
    options = facts.options
    body = facts.job.hyper_parameters
    rows = rows_account(facts)
    split = rows.split
    ranges = options.platform_profile.hyperparameters
    epochs = int(valid_value(body, "n_epochs", ranges, ranges["n_epochs"].default))
    training = facts.of(TRAINING)
    result = JobSummary(
        origin=facts.job.origin, model=options.model, method=facts.job.method,
        files=[{"path": f.source.name, "role": f.role, "rows": f.rows, "dropped": f.dropped} for f in facts.files],
        rows=rows.rows, dropped=rows.dropped, truncated=rows.truncated, train=rows.train, validate=rows.validate, held_out=rows.held_out,
        split=split, validation_files=rows.validation_files, cap=rows.cap if rows.cap < 1 << 62 else None, epochs=epochs, media=facts.media,
    )
    if not facts.measured:
        return result
    tokens = sum(f.tokens for f in training)
    mixed = None
    ratio = body.get("augmentation_ratio")
    if body.get("data_augmentation") is True and facts.job.method in ("sft", "efficient_sft") and "augmentation_ratio" in ranges and ranges["augmentation_ratio"].problem(ratio) is None:
        # Mixed-in rows are drawn "in proportion to the training data" per type; their
        # length is unknown, so they are taken to be as long as the job's own rows.
        ratios = [read_number(r) for r in split_list(str(ratio))]
        mixed = round(tokens * sum(r for r in ratios if isinstance(r, float) and math.isfinite(r)))
    billed = (tokens + (mixed or 0)) * epochs
    result.tokens, result.dropped_tokens, result.mixed_tokens, result.billed_tokens = tokens, sum(f.dropped_tokens for f in training), mixed, billed
    result.estimated = mixed is not None or any(f.bounds for f in training) or any(f.source.kind in ("zip", "folder") for f in training)
    if price is not None:
        result.price = {"amount": price.amount, "currency": price.currency, "per_tokens": price.per_tokens, "source": price.source, "as_of": price.as_of}
        result.cost = round(price.cost(billed), 6)
    return result


def valid_value(body: dict[str, Any], name: str, ranges: dict[str, Range], default: float) -> float:
    """A hyperparameter the job's figures use: the job's value when it is a valid one
    (O101 reports the others), else the default."""
    value = body.get(name)
    if name in ranges and value is not None and ranges[name].problem(value) is None:
        return float(value)
    return float(default)
