"""What a check is asked to do: profile, upload path, hyperparameters, limits."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

from ftlint.finding import Severity
from ftlint.platform.catalog import MediaModel, Model, get_model, media_catalog
from ftlint.platform.limits import Profile, platform

HYPERPARAMETERS = ("n_epochs", "batch_size", "learning_rate", "max_length")


@dataclass(frozen=True)
class CheckOptions:
    profile: str = "current"  # "current" (today's docs) or "legacy-api" (the old DashScope fine-tunes API)
    via: str = "api"  # "api" or "console": decides size caps and over-length handling
    data_format: str | None = None  # force every row to be checked as this format
    # Hyperparameters as given: a number, or the text given when it is none (O101).
    n_epochs: float | str | None = None
    batch_size: float | str | None = None
    learning_rate: float | str | None = None
    max_length: float | str | None = None
    validation_split: float | None = None  # share held out for validation; None = profile's
    training_type: str | None = None  # the job's method (sft, efficient_sft, dpo_full, dpo_lora, cpt, rl)
    max_per_rule: int = 20  # findings listed per rule and file; 0 = all (counts stay exact)
    model: str | None = None  # the model to tune: enables exact token-length checks
    select: tuple[str, ...] = ()  # rule codes, code prefixes or slugs; empty = every rule
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)  # rule code -> severity
    # DPO think blocks: "either" the newline form or the compact <think>…</think> form
    # (the docs disagree; both render the same), or "newlines" only (M110).
    dpo_think_format: str = "either"
    # A file of a job (--job): "training" or "validation". Its rows are also summarised
    # for the job's ledger, and rules that judge the job as a whole skip the file.
    job_role: str | None = None
    # Count every row in full (a job's cost preview), not only as far as the verdict needs.
    exact_tokens: bool = False
    use_cache: bool = False  # read and write the row cache (ftlint.engine.row_cache); the command line's default

    @cached_property
    def model_entry(self) -> Model | None:
        """The text or image-understanding model tuned (None for a generation model)."""
        return get_model(self.model) if self.model and self.media_model is None else None

    @cached_property
    def media_model(self) -> MediaModel | None:
        """The Wan or CosyVoice model tuned from a media package, if that is the model."""
        return media_catalog().get(self.model.strip().lower()) if self.model else None

    @cached_property
    def token_limit(self) -> int | None:
        """The job's limit: --max-length (the profile's default when none is given: 8192 today, 2048 on the old API) capped by the model's maximum."""
        model = self.model_entry
        if model is None:
            return None
        return min(int(self.hyperparameter("max_length")), model.max_tokens)

    @property
    def platform_profile(self) -> Profile:
        return platform().profiles[self.profile]

    def hyperparameter(self, name: str) -> float:
        """The value the job will use: the one given, or the profile's default when none
        is given or what is given cannot be one (not a finite positive number, or a
        fraction where a whole number is needed: O101 reports it). A value merely out of
        the profile's range is used as given (a max_length of 60 is still the limit)."""
        given = getattr(self, name)
        spec = self.platform_profile.hyperparameters[name]
        usable = isinstance(given, (int, float)) and math.isfinite(given) and given > 0 and (spec.type != "integer" or float(given).is_integer())
        return float(given) if usable else float(spec.default)
