import dataclasses
import json
from collections.abc import Iterable, Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.rows import RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import N_, _, ngettext
from ftlint.options import CheckOptions
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass, row
from ftlint.rules.image_file import png

_DPO = json.dumps({
    "messages": [{"role": "user", "content": "我的订单什么时候发货？"}],
    "chosen": {"role": "assistant", "content": "您好，订单将在 24 小时内发货。"},
    "rejected": {"role": "assistant", "content": "不知道。"},
}, ensure_ascii=False)
_CPT = json.dumps({"text": "通义千问是阿里云研发的大语言模型，可用于问答、写作和编程。"}, ensure_ascii=False)
_RL = json.dumps({"messages": [{"role": "user", "content": "一个数的 6 倍是 252，这个数是多少？"}], "rollout_extra": {"solution": "42"}}, ensure_ascii=False)
_THINK = row("我的快递到哪了？", "<think>\n用户在问物流\n</think>\n\n预计明天送达。")
_TOOLS = json.dumps({
    "tools": [{"type": "function", "function": {"name": "track_order", "description": "Track an order",
                                                  "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}}}}],
    "messages": [
        {"role": "user", "content": [{"text": "Where is order A123?"}]},
        {"role": "assistant", "content": [{"text": ""}], "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "track_order", "arguments": "{\"order_id\": \"A123\"}"}}]},
        {"role": "tool", "content": [{"text": "shipped"}], "tool_call_id": "call_1"},
        {"role": "assistant", "content": [{"text": "It has shipped."}]},
    ],
})
_PNG = png(32, 32)
_IMAGE_ROW = json.dumps({"messages": [{"role": "user", "content": [{"image": "cat.png"}, {"text": "图里是什么？"}]},
                                      {"role": "assistant", "content": [{"text": "一只猫。"}]}]}, ensure_ascii=False)

# The documents of today's platform that list tunable models (models.toml [sources]).
TODAYS_DOCS = {"overview", "api-guide", "rl"}

# What each need is called in a finding, and what to choose instead.
NEEDS = {
    "dpo": (N_("DPO training"), N_("choose a model tuned with DPO (ftlint models)")),
    "cpt": (N_("continued pre-training (CPT)"), N_("choose a model tuned with CPT (ftlint models)")),
    "rl": (N_("reinforcement learning (RL)"), N_("the docs tune RL on qwen3.5-9b and the qwen3.5 / qwen3.6 flash models (ftlint models lists those it knows)")),
    "images": (N_("image understanding (an image package)"), N_("an image package needs a vision-language model (qwen3.5 and later, Qwen3-VL, Qwen2.5-VL)")),
    "video": (N_("video understanding"), N_("video data needs qwen3.5 or later")),
    "tools": (N_("tool calling"), N_("tool-calling data needs qwen3.5 or later")),
    "thinking": (N_("thinking data (<think> blocks)"), N_("choose a thinking model (Qwen3, qwen3.5 and later), or drop the think blocks")),
}


@register
class ModelCapability(Rule):
    """The data needs something the chosen model cannot be tuned with.

    DPO rows need a model tuned with DPO, CPT text one tuned with continued
    pre-training, RL prompt rows one tuned with RL, an image package a vision-language
    model, video items and tool-calling rows (`tools`, `tool_calls`, tool messages)
    qwen3.5 or later. Thinking rows for a model without thinking are a warning: the
    tags are plain text to it, and it learns to print them. So is, on today's
    platform, a model that today's tuning docs do not list. `ftlint models` lists each
    model's capabilities; some are assumptions of the catalog, marked there. Needs
    --model.

    Bad:   DPO data with --model qwen-7b-chat
    Good:  DPO data with --model qwen2.5-7b-instruct
    """

    code = "T104"
    slug = "model-capability"
    severity = Severity.ERROR
    summary_fields = frozenset({"needs"})
    examples = (
        Fail([_DPO, _DPO], At(), At(severity=Severity.WARNING), options={"model": "qwen-7b-chat"},
             note="DPO data for a model tuned with SFT only (and not in today's docs: a warning)"),
        Pass([CHAT, CHAT_EN], options={"model": "qwen-7b-chat", "profile": "legacy-api"}, note="the old API's model, checked as the old API"),
        Fail([_CPT, _CPT], At(), options={"model": "qwen3-8b"}, note="CPT text for a model without continued pre-training"),
        Fail([CHAT, _TOOLS, CHAT_EN], At(), options={"model": "qwen3-8b"}, note="tool-calling rows (first at line 2) for a model without tools"),
        Fail([_RL, _RL], At(), options={"model": "qwen3.6-27b"}, note="RL prompts for a model not tuned with RL"),
        Fail([CHAT, _THINK], At(severity=Severity.WARNING), options={"model": "qwen2.5-7b-instruct"}, note="thinking rows for a model without thinking"),
        Fail([_IMAGE_ROW], At(), files={"cat.png": _PNG}, options={"model": "qwen3-8b"}, note="an image package for a text-only model"),
        Pass([_DPO, _DPO], options={"model": "qwen2.5-7b-instruct"}),
        Pass([CHAT, _TOOLS, CHAT_EN, _THINK], options={"model": "qwen3.5-27b"}),
        Pass([_RL, _RL], options={"model": "qwen3.5-9b"}),
        Pass([_IMAGE_ROW], files={"cat.png": _PNG}, options={"model": "qwen3-vl-8b-instruct"}),
        Pass([_DPO, _TOOLS], note="without --model nothing is checked"),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.rows: dict[str, int] = {}
        self.first: dict[str, int] = {}

    def collect(self, summary: RowSummary) -> Iterable[Finding]:
        for need in summary.needs:
            self.rows[need] = self.rows.get(need, 0) + 1
            self.first.setdefault(need, summary.line)
        return ()

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        model = self.options.model_entry
        if model is None:
            return
        if self.options.profile == "current" and not set(model.sources) & TODAYS_DOCS:
            yield dataclasses.replace(
                self.finding(_("{name} is not in today's tuning docs' model list: the platform may refuse to tune it").format(name=model.name),
                             hint=_("`ftlint models` marks the models of today's docs; or check with --platform legacy-api for the old API")),
                severity=Severity.WARNING,
            )
        if facts.package is not None and not model.can("images"):
            what, hint = map(_, NEEDS["images"])
            yield self.finding(_("{name} is not tuned with {what}").format(name=model.name, what=what), hint=hint)
        for need in NEEDS:
            rows = self.rows.get(need, 0)
            if not rows or model.can(need):
                continue
            what, hint = map(_, NEEDS[need])
            finding = self.finding(ngettext("{rows:,} row needs {what} (first at line {first}), but {name} is not tuned with it", "{rows:,} rows need {what} (first at line {first}), but {name} is not tuned with it", rows).format(
                rows=rows, what=what, first=self.first[need], name=model.name),
                                   hint=hint)
            yield dataclasses.replace(finding, severity=Severity.WARNING) if need == "thinking" else finding
