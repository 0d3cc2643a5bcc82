import difflib
from collections.abc import Iterator

from ftlint.engine.job_facts import JobFacts
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
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
            yield self.finding(_("{key}: not a field of the fine-tunes API request; the platform ignores it").format(key=key), path=key, severity=Severity.WARNING,
                               hint=_("the API's name is {close}").format(close=close[0]) if close else _("the fields: {join}").format(join=', '.join(facts.job_fields)))
        model = body.get("model")
        if model is None:
            yield self.finding(_("model is required: the model to tune"), path="model", hint=_("add \"model\", e.g. \"qwen3-8b\" (`ftlint models` lists them)"))
        elif not isinstance(model, str):
            yield self.finding(_("model must be a model name, not {name__}").format(name__=type(model).__name__), path="model", hint=_("`ftlint models` lists them"))
        elif job.job.model is not None and model != job.job.model:
            yield self.finding(_("model {model!r} is written differently from the API's name {model2!r}").format(model=model, model2=job.job.model), path="model", severity=Severity.WARNING,
                               hint=_("write \"{model}\"").format(model=job.job.model))
        for key in job.job.duplicates:
            yield self.finding(_("{key!r} is given more than once in the job file; JSON keeps the last").format(key=key), path=key, severity=Severity.WARNING,
                               hint=_("give each field once"))
        if "hyper_parameters" in body and not isinstance(body["hyper_parameters"], dict):
            yield self.finding(_("hyper_parameters must be an object of name: value"), path="hyper_parameters",
                               hint=_("e.g. {\"n_epochs\": 3, \"batch_size\": 16, \"max_length\": 8192}"))
        priority = body.get("priority")
        if priority is not None and priority not in facts.priorities:
            yield self.finding(_("priority {priority!r} must be one of {join}").format(priority=priority, join=', '.join(facts.priorities)), path="priority", hint=_("L0 is the default"))
        for key in TEXT_FIELDS:
            if key in body and not isinstance(body[key], str):
                yield self.finding(_("{key} must be text").format(key=key), path=key, hint=_("write it in quotes: \"{body}\"").format(body=body[key]))
