import difflib
import math
from collections.abc import Iterator
from typing import Any

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.job_facts import JobFacts
from ftlint.finding import Finding, Severity
from ftlint.i18n import _, ngettext
from ftlint.job import Job
from ftlint.options import HYPERPARAMETERS, CheckOptions
from ftlint.platform.limits import NUMBER_TEXT, Range, platform, split_list
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

WARNING = Severity.WARNING
CHECKPOINTS = 10  # CosyVoice: lm_num × fm_num checkpoints, at most 10 [tts]


@register
class HyperparameterRange(Rule):
    """A hyperparameter is missing, of the wrong type, outside its range, or has no
    effect on the job.

    The platform fails a job with unreasonable hyperparameters with error 1 ("internal
    error, usually unreasonable hyperparameters"), or refuses it with 400
    InvalidParameter. Every hyperparameter of today's fine-tunes API is checked, as
    `ftlint/platform/data/platform.toml` lists it with its source: n_epochs 1-10,
    batch_size 8-1024, max_length 500-131072 (at most the model's maximum), learning_rate
    > 0 (a number, or text such as "1.6e-5" as the API takes it), lr_scheduler_type,
    split, max_split_val_dataset_sample, eval_steps, logging_steps, warmup_ratio,
    weight_decay, freeze_vit, lora_rank/alpha/dropout, data_augmentation with
    augmentation_types and augmentation_ratio, save_strategy/steps/total_limit.

    On its own, a file is checked with the values given on the command line or in the
    configuration (--n-epochs, --batch-size, --learning-rate, --max-length); the
    profile's defaults are valid. In a job (--job) every value of `hyper_parameters` is
    checked once, for the job: n_epochs, batch_size and max_length are required there,
    as the API requires them. Errors: a missing required value, a wrong type, a value
    out of range, an augmentation type not documented for the model's series, ratios
    that do not match the types. Warnings (the platform ignores them, so the job does
    not train as written): a name the API does not document, a number written as text
    where the API documents a number, a value that has no effect on the job's method or
    model (lora_* on sft, freeze_vit on a text model, augmentation_* without
    data_augmentation, save_steps without save_strategy "steps", warmup_ratio with a
    constant schedule), save_steps not a multiple of eval_steps.

    The old DashScope fine-tunes API (--platform legacy-api) took batch_size 2 or 4.

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
        Fail([CHAT, CHAT_EN], At(path="hyper_parameters.max_length"), At(path="hyper_parameters.lora_rank", severity=WARNING),
             job={"training_type": "sft", "hyper_parameters": {"n_epochs": 3, "batch_size": 16, "lora_rank": 64}},
             note="a job: max_length is required, and lora_rank has no effect on sft"),
        Fail([CHAT, CHAT_EN], At(path="hyper_parameters.augmentation_types"), At(path="hyper_parameters.augmentation_ratio"),
             job={"model": "qwen3-8b", "hyper_parameters": {"n_epochs": 3, "batch_size": 16, "max_length": 8192, "data_augmentation": True,
                                                           "augmentation_types": "dialogue_cn,nlp", "augmentation_ratio": "0.1"}},
             note="Qwen2 types for a Qwen3 model, and one ratio for two types"),
        Pass([CHAT, CHAT_EN], options={"batch_size": 16, "n_epochs": 3, "learning_rate": 1e-4, "max_length": 8192}),
        Pass([CHAT, CHAT_EN], options={"profile": "legacy-api", "batch_size": 4, "max_length": 200}),
        Pass([CHAT, CHAT_EN], options={"model": "qwen3-8b", "max_length": 32768}),
        Pass([CHAT, CHAT_EN], note="no hyperparameters given: the defaults are valid"),
        Pass([CHAT, CHAT_EN], job={"model": "qwen3-8b", "training_type": "efficient_sft",
                                   "hyper_parameters": {"n_epochs": 3, "batch_size": 16, "max_length": 8192, "learning_rate": "1.6e-4",
                                                        "lr_scheduler_type": "Inverse_sqrt", "lora_rank": 64, "lora_alpha": 32, "lora_dropout": 0.1,
                                                        "data_augmentation": True, "augmentation_types": "mix_v2", "augmentation_ratio": "0.5"}},
             note="the documented forms: learning_rate as text, the scheduler's case as the docs write it"),
    )

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        options = facts.options
        given = {name: getattr(options, name) for name in HYPERPARAMETERS if getattr(options, name) is not None}
        yield from self.judge(given, options, None)

    def check_job(self, job: JobFacts) -> Iterator[Finding]:
        yield from self.judge(job.job.hyper_parameters, job.options, job.job)

    def judge(self, values: dict[str, Any], options: CheckOptions, job: Job | None) -> Iterator[Finding]:
        profile = options.platform_profile
        media = options.media_model
        ranges: dict[str, Range] = media.hyperparameters if media is not None else profile.hyperparameters  # type: ignore[assignment]
        model = options.model_entry
        method = job.method if job is not None else options.training_type
        at = "hyper_parameters." if job is not None else ""
        for name, value in values.items():
            where = f"--{name.replace('_', '-')}" if job is not None and f"hyper_parameters.{name}" in job.overrides else at + name
            spec = ranges.get(name)
            if spec is None:
                close = difflib.get_close_matches(name, list(ranges), n=1)
                yield self.finding(_("{name}: not a hyperparameter {label} documents; the platform ignores it or refuses the job").format(name=name, label=profile.label),
                                   path=where, severity=WARNING, hint=_("did you mean {close}?").format(close=close[0]) if close else _("the documented ones: {join}").format(join=', '.join(ranges)))
                continue
            problem = spec.problem(value)
            if problem:
                yield self.finding(_("{name} {shown}: {problem} on {label} (accepted: {describe})").format(name=name, shown=_shown(value), problem=problem, label=profile.label, describe=spec.describe()), path=where,
                                   hint=_("use a value in {describe}").format(describe=spec.describe()) + (_(", or leave it at the default {shown}").format(shown=_shown(spec.default)) if spec.default is not None and job is None else ""))
                continue
            if job is not None and isinstance(value, str) and spec.numeric and not spec.text and NUMBER_TEXT.fullmatch(value):
                yield self.finding(_("{name} {value!r} is text; the API documents {value2}").format(name=name, value=value, value2='an integer' if spec.type == 'integer' else 'a number'),
                                   path=where, severity=WARNING, hint=_("write it as the number {value}").format(value=value))
            if method is not None and spec.methods and method not in spec.methods:
                yield self.finding(_("{name} has no effect when training_type is {method} (it applies to {join})").format(name=name, method=method, join=', '.join(spec.methods)), path=where, severity=WARNING,
                                   hint=_("remove it, or train with {join}").format(join=' or '.join(spec.methods)))
            if spec.modality == "vl" and model is not None and model.modality != "vl":
                yield self.finding(_("{name} applies only to image-understanding (VL) models; {name2} is a text model").format(name=name, name2=model.name), path=where, severity=WARNING,
                                   hint=_("remove it"))
        if job is not None:
            for name, spec in ranges.items():
                if spec.required and name not in values and not (method == "rl" and name == "batch_size"):  # RL: 64 unless given
                    yield self.finding(_("{name} is required by the fine-tunes API (it decides the cost) and the job does not give it").format(name=name),
                                       path=at + name, hint=_("add \"{name}\" to hyper_parameters").format(name=name) + (_(" (the docs recommend {recommended})").format(recommended=spec.recommended) if spec.recommended else ""))
            yield from self._together(values, ranges, options, at)
        length = values.get("max_length")
        length = float(length) if isinstance(length, str) and NUMBER_TEXT.fullmatch(length) else length
        if model and isinstance(length, (int, float)) and not isinstance(length, bool) and math.isfinite(length) and length > model.max_tokens:
            yield self.finding(_("max_length {int:,} is above {name}'s maximum of {max_tokens:,} tokens").format(int=int(length), name=model.name, max_tokens=model.max_tokens),
                               path=at + "max_length", hint=_("use at most {max_tokens:,}").format(max_tokens=model.max_tokens))

    def _together(self, values: dict[str, Any], ranges: dict[str, Range], options: CheckOptions, at: str) -> Iterator[Finding]:
        """What one hyperparameter means for another (valid values only)."""
        valid = {k: v for k, v in values.items() if k in ranges and ranges[k].problem(v) is None}
        types = [t.lower() for t in split_list(valid["augmentation_types"])] if "augmentation_types" in valid else None
        model = options.model_entry
        if types is not None and model is not None:
            documented = platform().augmentation_types(model.name)
            wrong = [t for t in types if t not in documented]
            if wrong:
                yield self.finding(ngettext("augmentation_types {join} is not documented for {name}", "augmentation_types {join} are not documented for {name}", len(wrong)).format(join=', '.join(wrong), name=model.name),
                                   path=at + "augmentation_types",
                                   hint=_("use {types}").format(types=", ".join(documented)) if documented else _("the docs name no augmentation type for this model"))
        if types is not None and "augmentation_ratio" in valid:
            ratios = split_list(valid["augmentation_ratio"])
            if len(ratios) != len(types):
                yield self.finding(ngettext("augmentation_ratio gives {n} ratio for {types} augmentation_types: they must match one to one", "augmentation_ratio gives {n} ratios for {types} augmentation_types: they must match one to one", len(ratios)).format(n=len(ratios), types=len(types)), path=at + "augmentation_ratio", hint=_("give one ratio (0.0-2.0) per type, in the same order"))
        elif ("augmentation_types" in values) != ("augmentation_ratio" in values):
            given, missing = ("augmentation_types", "augmentation_ratio") if "augmentation_types" in values else ("augmentation_ratio", "augmentation_types")
            if valid.get("data_augmentation") is True:
                yield self.finding(_("{given} is given without {missing}: the two go together").format(given=given, missing=missing), path=at + missing, hint=_("add {missing}").format(missing=missing))
        for name in ("augmentation_types", "augmentation_ratio"):
            if name in valid and valid.get("data_augmentation") is not True:
                yield self.finding(_("{name} has no effect without data_augmentation true").format(name=name), path=at + name, severity=WARNING,
                                   hint=_("set data_augmentation to true, or remove it"))
        if "save_steps" in valid and str(valid.get("save_strategy", "")).lower() != "steps":
            yield self.finding(_("save_steps has no effect unless save_strategy is \"steps\""), path=at + "save_steps", severity=WARNING,
                               hint=_("set save_strategy to \"steps\", or remove save_steps"))
        elif "save_steps" in valid and "eval_steps" in valid and float(valid["save_steps"]) % float(valid["eval_steps"]):
            yield self.finding(_("save_steps {valid} is not a multiple of eval_steps {valid2}, as the docs advise").format(valid=valid['save_steps'], valid2=valid['eval_steps']),
                               path=at + "save_steps", severity=WARNING, hint=_("make save_steps a multiple of eval_steps"))
        if "lm_num" in valid and "fm_num" in valid and float(valid["lm_num"]) * float(valid["fm_num"]) > CHECKPOINTS:
            yield self.finding(_("lm_num × fm_num = {value:g} checkpoints; CosyVoice keeps at most {CHECKPOINTS}").format(value=float(valid['lm_num']) * float(valid['fm_num']), CHECKPOINTS=CHECKPOINTS),
                               path=at + "fm_num", hint=_("lower lm_num or fm_num (the defaults, 3 and 3, give 9)"))
        if "warmup_ratio" in valid and str(valid.get("lr_scheduler_type", "")).lower() == "constant":
            yield self.finding(_("warmup_ratio has no effect with lr_scheduler_type constant"), path=at + "warmup_ratio", severity=WARNING,
                               hint=_("use constant_with_warmup, or remove warmup_ratio"))


def _shown(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, str) else str(value)
