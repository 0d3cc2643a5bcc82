import json
from collections.abc import Iterable, Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.job_facts import JobFacts
from ftlint.engine.rows import CPT_TEXT, DPO, FORMATS, MEDIA_FORMATS, RL_PROMPT, RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import _, ngettext
from ftlint.options import CheckOptions
from ftlint.platform.catalog import METHODS
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

_DPO = json.dumps({"messages": [{"role": "user", "content": "我的订单什么时候发货？"}], "chosen": {"role": "assistant", "content": "24 小时内发货。"},
                   "rejected": {"role": "assistant", "content": "不知道。"}}, ensure_ascii=False)
_CPT = json.dumps({"text": "通义千问是阿里云研发的大语言模型，可用于问答、写作和编程。"}, ensure_ascii=False)

# The training_type values each dataset format is trained with.
METHODS_FOR = {DPO: {"dpo_full", "dpo_lora"}, CPT_TEXT: {"cpt"}, RL_PROMPT: {"rl"}, **dict.fromkeys(MEDIA_FORMATS, {"efficient_sft"})}
SFT = {"sft", "efficient_sft"}


@register
class TrainingType(Rule):
    """The job's training method does not fit the model or the data.

    With --training-type (configuration `training-type`), the method must be one the
    model is tuned with: the platform refuses the job with 400 InvalidParameter "The
    model X does not support training_type: Y" (`ftlint models --method Y` lists the
    models that take it). And the data must be what the method trains on: DPO pairs
    for dpo_full/dpo_lora, CPT text for cpt, RL prompts for rl, SFT rows (messages,
    prompt/completion, image packages) for sft and efficient_sft. Each row of another
    kind is counted, the first named. In a job (--job) the job's `training_type` is
    checked once, for all its files (training and validation); a job without one is
    an sft job (the API's training_type is optional for text models).

    Bad:   --training-type dpo_full on a file of SFT messages
    Good:  --training-type sft on a file of SFT messages
    """

    code = "O102"
    slug = "training-type"
    severity = Severity.ERROR
    examples = (
        Fail([CHAT, CHAT_EN], At(), options={"training_type": "dpo_full"}, note="SFT rows for a DPO job"),
        Fail([_DPO, _DPO], At(), options={"training_type": "dpo_lora", "model": "qwen3.6-27b"}, note="a method the model is not tuned with"),
        Fail([CHAT, _CPT, CHAT_EN], At(), options={"training_type": "sft"}, note="a CPT row in an SFT job"),
        Pass([CHAT, CHAT_EN], options={"training_type": "efficient_sft", "model": "qwen3-8b"}),
        Pass([_DPO, _DPO], options={"training_type": "dpo_full", "model": "qwen3-8b"}),
        Pass([_CPT, _CPT], options={"training_type": "cpt", "model": "qwen3-32b"}),
        Pass([_DPO, CHAT], note="without --training-type nothing is checked"),
        Fail([CHAT, CHAT_EN], At(path="training_type"), job={"training_type": "full_sft"}, note="not a training_type of the API"),
        Fail([_DPO, _DPO], At(path="training_type"), At(path="training_type"), job={"model": "qwen3.6-27b", "training_type": "dpo_full",
                                                                                 "validation_datasets": ["val.jsonl"]},
             job_files={"val.jsonl": (CHAT,)}, note="a job: a method the model lacks, and an SFT row in the validation file"),
        Pass([_DPO, _DPO], job={"model": "qwen3-8b", "training_type": "dpo_lora"}),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.mismatched = 0
        self.first: tuple[int, str | None] | None = None

    def collect(self, summary: RowSummary) -> Iterable[Finding]:
        method = self.options.training_type
        if method is not None and summary.format is not None and method not in METHODS_FOR.get(summary.format, SFT):
            self.mismatched += 1
            self.first = self.first or (summary.line, summary.format)
        return ()

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        method, model = self.options.training_type, self.options.model_entry or self.options.media_model
        if method is None:
            return
        if model is not None and method not in model.methods:
            yield self.finding(_("The model {name} does not support training_type: {method} (the platform's 400 InvalidParameter)").format(name=model.name, method=method),
                               hint=_("{name} is tuned with {join}; `ftlint models --method {method}` lists the models that take {method}").format(name=model.name, join=', '.join(model.methods), method=method))
        if self.first is not None:
            line, fmt = self.first
            yield self.finding(ngettext("{rows:,} row is not what {method} trains on (first at line {line}: {format})", "{rows:,} rows are not what {method} trains on (first at line {line}: {format})", self.mismatched).format(
                rows=self.mismatched, method=method, line=line, format=FORMATS.get(fmt or '', fmt)),
                               hint=_("split the file by kind: DPO pairs for dpo_full/dpo_lora, CPT text for cpt, RL prompts for rl, SFT rows for sft"))

    def check_job(self, job: JobFacts) -> Iterator[Finding]:
        given = job.job.training_type
        if given is not None and (not isinstance(given, str) or given not in METHODS):
            yield self.finding(_("training_type {given!r} is not one of the API's: {join} (the platform's 400 InvalidParameter)").format(given=given, join=', '.join(METHODS)),
                               path="training_type", hint=_("sft or efficient_sft for SFT rows, dpo_full or dpo_lora for DPO pairs, cpt, rl"))
            return
        method, model = job.job.method, job.options.model_entry or job.options.media_model
        if model is not None and method not in model.methods:
            yield self.finding(_("The model {name} does not support training_type: {method} (the platform's 400 InvalidParameter)").format(name=model.name, method=method),
                               path="training_type",
                               hint=_("{name} is tuned with {join}; `ftlint models --method {method}` lists the models that take {method}").format(name=model.name, join=', '.join(model.methods), method=method))
        wanted = METHODS_FOR
        mismatched = [(f, fmt, n) for f in job.files for fmt, n in f.formats.items() if method not in wanted.get(fmt, SFT)]
        if mismatched:
            rows = sum(n for _, _, n in mismatched)
            file, fmt, _count = mismatched[0]
            yield self.finding(ngettext("{rows:,} row is not what {method} trains on (first: {name}:{first_line}, {format})", "{rows:,} rows are not what {method} trains on (first: {name}:{first_line}, {format})", rows).format(
                rows=rows, method=method, name=file.source.name, first_line=file.first_line[fmt], format=FORMATS.get(fmt, fmt)), path="training_type",
                               hint=_("give each method its data: DPO pairs for dpo_full/dpo_lora, CPT text for cpt, RL prompts for rl, SFT rows for sft"))
