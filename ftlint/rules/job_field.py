import difflib
from collections.abc import Iterator

from ftlint.engine.job_facts import JobFacts
from ftlint.finding import Finding, Severity
from ftlint.platform.limits import platform
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

ROWS = (CHAT, CHAT_EN) * 30
TEXT_FIELDS = ("job_name", "model_name", "finetuned_output_suffix")


@register
class JobField(Rule):
    """A field of the job's request body is missing, misnamed or of the wrong kind.

    Checked for a job (--job) against the fine-tunes API (POST /api/v1/fine-tunes):
    `model` is required and a model name; `hyper_parameters` is an object; `priority`
    is L0-L3; `job_name`, `model_name` and `finetuned_output_suffix` are text. A field
    the API does not document is a warning: it is ignored, so what it meant to set is
    not set (`suffix` is `finetuned_output_suffix` today).

    Bad:   {"model": "qwen3-8b", "suffix": "support-v2", ...}
    Good:  {"model": "qwen3-8b", "finetuned_output_suffix": "support-v2", ...}
    """

    code = "J104"
    slug = "job-field"
    severity = Severity.ERROR
    examples = (
        Fail(ROWS, At(path="suffix", severity=Severity.WARNING), job={"model": "qwen3-8b", "suffix": "v2"}, note="the old name"),
        Fail(ROWS, At(path="model"), job={"training_type": "sft"}, note="no model"),
        Fail(ROWS, At(path="hyper_parameters"), At(path="priority"), job={"model": "qwen3-8b", "priority": "L9", "hyper_parameters": [3, 16]}),
        Pass(ROWS, job={"model": "qwen3-8b", "training_type": "sft", "job_name": "客服-v2", "finetuned_output_suffix": "support-v2", "priority": "L1"}),
    )

    def check_job(self, job: JobFacts) -> Iterator[Finding]:
        facts = platform()
        body = job.job.body
        for key in body:
            if key in facts.job_fields:
                continue
            renamed = facts.renamed_fields.get(key)
            close = [renamed] if renamed else difflib.get_close_matches(key, facts.job_fields, n=1)
            yield self.finding(f"{key}: not a field of the fine-tunes API request; the platform ignores it", path=key, severity=Severity.WARNING,
                               hint=f"the API's name is {close[0]}" if close else f"the fields: {', '.join(facts.job_fields)}")
        model = body.get("model")
        if model is None:
            yield self.finding("model is required: the model to tune", path="model", hint='add "model", e.g. "qwen3-8b" (`ftlint models` lists them)')
        elif not isinstance(model, str):
            yield self.finding(f"model must be a model name, not {type(model).__name__}", path="model", hint="`ftlint models` lists them")
        elif job.job.model is not None and model != job.job.model:
            yield self.finding(f"model {model!r} is written differently from the API's name {job.job.model!r}", path="model", severity=Severity.WARNING,
                               hint=f'write "{job.job.model}"')
        for key in job.job.duplicates:
            yield self.finding(f"{key!r} is given more than once in the job file; JSON keeps the last", path=key, severity=Severity.WARNING,
                               hint="give each field once")
        if "hyper_parameters" in body and not isinstance(body["hyper_parameters"], dict):
            yield self.finding("hyper_parameters must be an object of name: value", path="hyper_parameters",
                               hint='e.g. {"n_epochs": 3, "batch_size": 16, "max_length": 8192}')
        priority = body.get("priority")
        if priority is not None and priority not in facts.priorities:
            yield self.finding(f"priority {priority!r} must be one of {', '.join(facts.priorities)}", path="priority", hint="L0 is the default")
        for key in TEXT_FIELDS:
            if key in body and not isinstance(body[key], str):
                yield self.finding(f"{key} must be text", path=key, hint=f'write it in quotes: "{body[key]}"')
