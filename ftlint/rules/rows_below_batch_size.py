import math
from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.job_facts import JobFacts, rows_account, valid_value
from ftlint.engine.rows import MEDIA_FORMATS
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.platform.limits import Range, platform
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

WAN_STEPS = 800  # n_epochs × ⌈rows / batch_size⌉ the Wan video docs advise [wan-vid-ref]
ROWS_60 = [CHAT, CHAT_EN] * 30
ROWS_10 = [CHAT, CHAT_EN] * 5


@register
class RowsBelowBatchSize(Rule):
    """The training part of the file does not exceed the batch size.

    The platform needs more training rows than `batch_size`. When it holds part of the
    file out for validation, what is left must still exceed it: today's platform holds
    out 10%, at most 1,000 rows; the old DashScope fine-tunes API (--platform
    legacy-api) 20% (its console's automatic split; API users were advised 80/20). Use
    --validation-split 0 for a file you already split yourself. Below 50 rows (F102)
    this is reported only for a --batch-size you gave.

    Bad:   60 rows with --batch-size 54 (54 training rows after the 10% split)
    Good:  60 rows with --batch-size 16
    """

    code = "F103"
    slug = "rows-below-batch-size"
    severity = Severity.ERROR
    examples = (
        Fail(ROWS_60, At(), options={"batch_size": 54}, note="6 held out, 54 left"),
        Fail(ROWS_60, At(), options={"profile": "legacy-api", "batch_size": 48}, note="the old API: 48 training rows after its 20% split"),
        Fail(ROWS_10, At(), options={"batch_size": 16}, note="below 50 rows, a --batch-size you gave is still checked"),
        Pass(ROWS_60, options={"batch_size": 16}),
        Pass(ROWS_60, options={"batch_size": 54, "validation_split": 0}, note="a file you split yourself: all 60 rows train"),
        Pass(ROWS_10, note="below 50 rows the default batch size (16) is not held against the file: F102 fails it"),
        Fail(ROWS_60, At(), job={"hyper_parameters": {"batch_size": 54, "split": 0.9}},
             note="a job: 60 rows, 6 held out, 54 left"),
        Pass(ROWS_60, job={"hyper_parameters": {"batch_size": 54}, "validation_datasets": ["val.jsonl"]}, job_files={"val.jsonl": (CHAT_EN,) * 5},
             note="with a validation set nothing is held out: 60 rows train"),
        Fail(ROWS_60, At(), job={"model": "qwen2.5-7b-instruct", "hyper_parameters": {"batch_size": 40, "max_length": 60}},
             note="30 of 60 rows are over max_length and dropped first; 3 of the other 30 held out"),
    )

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        options = facts.options
        if not facts.rows or facts.read_error or facts.format in MEDIA_FORMATS:
            return  # a media model's batch_size is fixed per model (O101)
        if facts.rows < platform().min_rows and options.batch_size is None:
            return  # F102 already fails the file; the default batch size adds nothing
        profile = options.platform_profile
        batch = options.hyperparameter("batch_size")
        training = profile.training_rows(facts.rows, options.validation_split)
        if training <= batch:
            yield self.finding(
                _("{training} training rows (of {rows}, after the validation split) do not exceed batch_size {batch:g}").format(training=training, rows=facts.rows, batch=batch),
                hint=_("add rows, or lower --batch-size"),
            )

    def check_job(self, job: JobFacts) -> Iterator[Finding]:
        if not job.files or any(f.failed for f in job.files):
            return
        if job.media:
            yield from self._wan_steps(job)
            return
        given = job.job.hyper_parameters.get("batch_size")
        batch = job.options.hyperparameter("batch_size") if given is not None or job.job.method != "rl" else 64.0
        rows = rows_account(job)
        if rows.rows and rows.train <= batch:
            steps = []
            if rows.dropped:
                steps.append(_("{dropped:,} dropped as over-length").format(dropped=rows.dropped))
            if rows.held_out:
                steps.append(_("{held_out:,} held out for validation (split {split:g})").format(held_out=rows.held_out, split=rows.split))
            how = f" ({'; '.join(steps)})" if steps else ""
            yield self.finding(
                _("{train:,} of the job's {rows:,} training rows train{how}: not more than batch_size {batch:g}; the job fails after it starts").format(train=rows.train, rows=rows.rows, how=how, batch=batch),
                hint=_("add rows, lower batch_size") + (_(", or give a validation set") if rows.held_out else ""),
            )

    def _wan_steps(self, job: JobFacts) -> Iterator[Finding]:
        """Wan video: n_epochs × ⌈training rows / batch_size⌉ steps, 800 or more advised."""
        model = job.options.media_model
        if model is None or not set(model.kinds) & {"wan-i2v", "wan-kf2v"}:
            return
        ranges: dict[str, Range] = model.hyperparameters  # type: ignore[assignment]
        values = job.job.hyper_parameters
        rows = rows_account(job)
        epochs, batch = (valid_value(values, name, ranges, ranges[name].default) for name in ("n_epochs", "batch_size"))
        steps = int(epochs) * math.ceil(rows.train / batch) if rows.train else 0
        if steps < WAN_STEPS:
            yield self.finding(_("{steps:,} training steps (n_epochs {epochs:g} × ⌈{train:,} rows / batch_size {batch:g}⌉); the Wan docs advise at least {WAN_STEPS}").format(steps=steps, epochs=epochs, train=rows.train, batch=batch, WAN_STEPS=WAN_STEPS),
                               severity=Severity.WARNING, hint=_("add clips or raise n_epochs"))
