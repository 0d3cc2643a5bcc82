import math
from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.finding import Finding, Severity
from ftlint.options import HYPERPARAMETERS
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


@register
class HyperparameterRange(Rule):
    """A hyperparameter given on the command line is outside the platform's range.

    The platform fails such a job with error 1 ("internal error, usually unreasonable
    hyperparameters"). Ranges depend on the profile (--platform):

    - current (today's docs, the default): n_epochs 1-10, batch_size 8-1024,
      learning_rate > 0, max_length 500-131072
    - legacy-api (the old DashScope fine-tunes API): n_epochs 1-10, batch_size 2 or 4,
      learning_rate > 0, max_length >= 1

    Only the values you pass (--n-epochs, --batch-size, --learning-rate, --max-length)
    are checked; the platform's defaults are valid. A value that is not a finite
    number (`nan`, `inf`, `abc`) is an error too. Numbers may be written as text, as
    the API takes learning_rate ("1.6e-5"): digits with an optional fraction and
    exponent, nothing else (not "1_000", not " 1e-4"). With --model, a --max-length above
    the model's maximum tokens is an error too.

    Bad:   ftlint check train.jsonl --batch-size 4   (today: 8-1024)
    Good:  ftlint check train.jsonl --batch-size 16, or --platform legacy-api --batch-size 4
    """

    code = "O101"
    slug = "hyperparameter-range"
    severity = Severity.ERROR
    platform_code = 1
    examples = (
        Fail([CHAT, CHAT_EN], At(path="batch_size"), options={"batch_size": 4}),
        Fail([CHAT, CHAT_EN], At(path="batch_size"), options={"profile": "legacy-api", "batch_size": 16}, note="the old API took 2 or 4"),
        Fail([CHAT, CHAT_EN], At(path="n_epochs"), At(path="learning_rate"), options={"n_epochs": 0, "learning_rate": 0.0}),
        Fail([CHAT, CHAT_EN], At(path="batch_size"), At(path="max_length"), options={"batch_size": 4, "max_length": 256}),
        Fail([CHAT, CHAT_EN], At(path="max_length"), options={"model": "qwen3-8b", "max_length": 65536}, note="above the model's 32,768 tokens"),
        Fail([CHAT, CHAT_EN], At(path="n_epochs"), At(path="batch_size"), At(path="learning_rate"), At(path="max_length"),
             options={"n_epochs": "three", "batch_size": float("inf"), "learning_rate": float("nan"), "max_length": "4k"},
             note="not numbers, and not finite"),
        Pass([CHAT, CHAT_EN], options={"batch_size": 16, "n_epochs": 3, "learning_rate": 1e-4, "max_length": 8192}),
        Pass([CHAT, CHAT_EN], options={"profile": "legacy-api", "batch_size": 4, "max_length": 200}),
        Pass([CHAT, CHAT_EN], options={"model": "qwen3-8b", "max_length": 32768}),
        Pass([CHAT, CHAT_EN], note="no hyperparameters given: the defaults are valid"),
    )

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        options = facts.options
        ranges = options.platform_profile.hyperparameters
        for name in HYPERPARAMETERS:
            value = getattr(options, name)
            if value is None:
                continue
            problem = ranges[name].problem(value)
            if problem:
                shown = f"{value:g}" if isinstance(value, float) else repr(value)
                yield self.finding(
                    f"{name} {shown}: {problem} on {options.platform_profile.label} (accepted: {ranges[name].describe()})",
                    path=name,
                    hint=f"use a value in {ranges[name].describe()}, or leave it at the default {ranges[name].default:g}",
                )
        model = options.model_entry
        length = options.max_length
        if model and isinstance(length, (int, float)) and math.isfinite(length) and length > model.max_tokens:
            yield self.finding(
                f"max_length {int(length):,} is above {model.name}'s maximum of {model.max_tokens:,} tokens",
                path="max_length",
                hint=f"use at most {model.max_tokens:,}",
            )
