"""A tuning job as the user will start it: the fine-tunes API request body (`model`,
`training_type`, `hyper_parameters`, `training_datasets`, `validation_datasets`), read
from a job.json or from `[tool.ftlint.job]`, with the datasets naming local files or
folders instead of uploaded file ids.

    {"model": "qwen3-8b", "training_type": "sft",
     "hyper_parameters": {"n_epochs": 3, "batch_size": 16, "max_length": 8192},
     "training_datasets": ["data/train_a.jsonl", {"path": "data/train_b.jsonl"}],
     "validation_datasets": ["data/val.jsonl"]}

What only the platform can judge (a hyperparameter out of range, an unknown field, a
method the model is not tuned with) is left in the body for the job's rules to report;
what makes the job unreadable (not JSON, a dataset that names no local file) is a
JobError (exit 2).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ftlint.i18n import _
from ftlint.platform.catalog import UnknownModel, find_model

TRAINING, VALIDATION = "training", "validation"
MAX_JOB_BYTES = 16 << 20
# The dataset lists of the request body, by role; the legacy *_file_ids lists too.
DATASET_KEYS = {TRAINING: ("training_datasets", "training_file_ids"), VALIDATION: ("validation_datasets", "validation_file_ids")}


class JobError(ValueError):
    """A job that cannot be checked at all (exit 2, one line)."""


@dataclass(frozen=True)
class Dataset:
    """One entry of training_datasets / validation_datasets: a local file or folder."""

    role: str  # TRAINING or VALIDATION
    path: Path  # resolved against the job's folder
    where: str  # its JSON path in the body: "training_datasets[1]"


@dataclass(frozen=True)
class Job:
    origin: str  # what the report calls it: the job file's name, or "pyproject.toml [tool.ftlint.job]"
    body: dict[str, Any]  # the request body as given (command-line values merged in)
    datasets: tuple[Dataset, ...] = ()
    overrides: frozenset[str] = field(default_factory=frozenset)  # what the command line set: "model", "hyper_parameters.batch_size"
    path: Path | None = None  # the file the job was read from (job.json, or the configuration)
    duplicates: tuple[str, ...] = ()  # keys the job file gives twice (JSON keeps the last)

    @property
    def model(self) -> str | None:
        value = self.body.get("model")
        return find_model(value).name if isinstance(value, str) else None

    @property
    def training_type(self) -> Any:
        return self.body.get("training_type")

    @property
    def method(self) -> str:
        """The method the job trains with: its training_type, or sft when none is
        given (the text API's training_type is optional; sft is its plain method)."""
        value = self.training_type
        return value if isinstance(value, str) else "sft"

    @property
    def hyper_parameters(self) -> dict[str, Any]:
        value = self.body.get("hyper_parameters")
        return value if isinstance(value, dict) else {}

    def of(self, role: str) -> tuple[Dataset, ...]:
        return tuple(d for d in self.datasets if d.role == role)


def load(path: Path, overrides: dict[str, Any] | None = None) -> Job:
    """A job.json: the request body, dataset paths relative to the file's folder, with
    the command line's values over it (see from_body)."""
    try:
        if not path.is_file():  # a FIFO or a device would block or never end
            raise JobError(_("{path}: cannot read the job: ").format(path=path) + (_("not a regular file") if path.exists() else _("no such file")))
        with open(path, "rb") as stream:
            raw = stream.read(MAX_JOB_BYTES + 1)
    except OSError as err:
        raise JobError(_("{path}: cannot read the job: {value}").format(path=path, value=err.strerror or err)) from None
    if len(raw) > MAX_JOB_BYTES:
        raise JobError(_("{path}: the job is over {value} MB: a request body is a few lines").format(path=path, value=MAX_JOB_BYTES >> 20))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise JobError(_("{path}: the job is not UTF-8 text").format(path=path)) from None
    twice: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                twice.append(key)
            seen[key] = value
        return seen

    try:
        body = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as err:
        raise JobError(_("{path}:{lineno}:{colno}: the job is not valid JSON: {msg}").format(path=path, lineno=err.lineno, colno=err.colno, msg=err.msg)) from None
    except RecursionError:
        raise JobError(_("{path}: the job is nested too deeply to read").format(path=path)) from None
    except ValueError as err:  # an integer of more digits than Python converts
        raise JobError(_("{path}: the job holds a number ftlint cannot read: {err}").format(path=path, err=err)) from None
    folder = path.parent
    return dataclasses.replace(from_body(body, path.name, folder, overrides, tuple(dict.fromkeys(twice))), path=path)


def from_body(body: Any, origin: str, folder: Path, overrides: dict[str, Any] | None = None, duplicates: tuple[str, ...] = ()) -> Job:
    """A job from a request body (a job.json's, or `[tool.ftlint.job]`'s), with the
    command line's values (model, training_type, hyper_parameters) over it."""
    if not isinstance(body, dict):
        raise JobError(_("{origin}: the job must be a JSON object (the fine-tunes API request body)").format(origin=origin))
    body = dict(body)
    overrides = overrides or {}
    for key in ("model", "training_type"):
        if key in overrides:
            body[key] = overrides[key]
    if overrides.get("hyper_parameters"):
        given = body.get("hyper_parameters")
        body["hyper_parameters"] = {**(given if isinstance(given, dict) else {}), **overrides["hyper_parameters"]}
    model = body.get("model")
    if isinstance(model, str):
        try:
            find_model(model)
        except UnknownModel as err:
            raise JobError(_("{origin}: model: {err}").format(origin=origin, err=err)) from None
    datasets = []
    for role, keys in DATASET_KEYS.items():
        for key in keys:
            if key in body:
                datasets += _datasets(body[key], key, role, origin, folder)
    given = {key for key in overrides if key != "hyper_parameters"} | {f"hyper_parameters.{name}" for name in overrides.get("hyper_parameters", {})}
    return Job(origin, body, tuple(datasets), frozenset(given), duplicates=duplicates)


def _datasets(value: Any, key: str, role: str, origin: str, folder: Path) -> list[Dataset]:
    if not isinstance(value, list):
        raise JobError(_("{origin}: {key} must be a list of local files or folders").format(origin=origin, key=key))
    out = []
    for n, item in enumerate(value):
        where = f"{key}[{n}]"
        given = item.get("path") if isinstance(item, dict) else item
        if not isinstance(given, str) or not given.strip():
            named = _(" (it names file_id {item!r}: ftlint checks local files)").format(item=item['file_id']) if isinstance(item, dict) and "file_id" in item else ""
            raise JobError(_("{origin}: {where} must be a local file or folder: a path, or {{\"path\": ...}}{named}").format(origin=origin, where=where, named=named))
        try:
            path = Path(given).expanduser()
            path = path if path.is_absolute() else folder / path
            exists = path.exists()
        except (OSError, RuntimeError, ValueError) as err:  # a name too long, an unknown ~user, a NUL
            raise JobError(_("{origin}: {where}: {given}: cannot be used as a path ({err})").format(origin=origin, where=where, given=given[:80], err=err)) from None
        if not exists:
            raise JobError(_("{origin}: {where}: {given}: no such file or folder").format(origin=origin, where=where, given=given[:200]))
        if given.endswith("/") and not path.is_dir():
            raise JobError(_("{origin}: {where}: {given}: not a folder").format(origin=origin, where=where, given=given))
        out.append(Dataset(role, path, where))
    return out


def option_fields(job: Job) -> dict[str, Any]:
    """The CheckOptions fields the job sets for each of its files: its model, its
    method (when it is one), the hyperparameters the file rules use, and the split."""
    from ftlint.platform.catalog import METHODS
    from ftlint.platform.limits import NUMBER_TEXT, read_number

    fields: dict[str, Any] = {}
    if job.model is not None:
        fields["model"] = job.model
    if isinstance(job.training_type, str) and job.training_type in METHODS:
        fields["training_type"] = job.training_type
    hyper = job.hyper_parameters
    for name in ("n_epochs", "batch_size", "learning_rate", "max_length"):
        value = hyper.get(name)
        if isinstance(value, (int, float, str)):  # anything else is O101's to report
            fields[name] = read_number(value)
    split = hyper.get("split")
    split = float(split) if isinstance(split, str) and NUMBER_TEXT.fullmatch(split) else split
    if isinstance(split, (int, float)) and not isinstance(split, bool) and 0 < split <= 1:
        fields["validation_split"] = 1 - float(split)
    return fields
