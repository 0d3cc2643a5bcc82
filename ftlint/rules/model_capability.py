import json
from collections.abc import Iterable, Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.rows import CPT_TEXT, DPO, RowSummary
from ftlint.finding import Finding, Severity
from ftlint.options import CheckOptions
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

_DPO = json.dumps({
    "messages": [{"role": "user", "content": "我的订单什么时候发货？"}],
    "chosen": {"role": "assistant", "content": "您好，订单将在 24 小时内发货。"},
    "rejected": {"role": "assistant", "content": "不知道。"},
}, ensure_ascii=False)
_CPT = json.dumps({"text": "通义千问是阿里云研发的大语言模型，可用于问答、写作和编程。"}, ensure_ascii=False)
_TOOLS = json.dumps({
    "tools": [{"type": "function", "function": {"name": "track_order", "description": "Track an order",
                                                  "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}}}}],
    "messages": [
        {"role": "user", "content": "Where is order A123?"},
        {"role": "assistant", "content": "", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "track_order", "arguments": "{\"order_id\": \"A123\"}"}}]},
        {"role": "tool", "content": "shipped", "tool_call_id": "call_1"},
        {"role": "assistant", "content": "It has shipped."},
    ],
})


@register
class ModelCapability(Rule):
    """The data needs something the chosen model cannot be tuned with.

    DPO data needs a model that supports DPO training, CPT text one that supports
    continued pre-training, and tool-calling rows (`tools`, `tool_calls`) a model with
    tool support (qwen3.5 and later). `ftlint models` lists each model's capabilities;
    some are assumptions of the catalog, marked there. Needs --model.

    Bad:   DPO data with --model qwen-7b-chat
    Good:  DPO data with --model qwen2.5-7b-instruct
    """

    code = "T104"
    slug = "model-capability"
    severity = Severity.ERROR
    summary_fields = frozenset({"has_tool_calls"})
    examples = (
        Fail([_DPO, _DPO], At(), options={"model": "qwen-7b-chat"}, note="DPO data for a model tuned with SFT only"),
        Fail([_CPT, _CPT], At(), options={"model": "qwen3-8b"}, note="CPT text for a model without continued pre-training"),
        Fail([CHAT, _TOOLS, CHAT_EN], At(), options={"model": "qwen3-8b"}, note="tool-calling rows (first at line 2) for a model without tools"),
        Pass([_DPO, _DPO], options={"model": "qwen2.5-7b-instruct"}),
        Pass([CHAT, _TOOLS, CHAT_EN], options={"model": "qwen3.5-27b"}),
        Pass([_DPO, _TOOLS], note="without --model nothing is checked"),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.first_tool_row: int | None = None
        self.tool_rows = 0

    def collect(self, summary: RowSummary) -> Iterable[Finding]:
        if summary.has_tool_calls:
            self.tool_rows += 1
            if self.first_tool_row is None:
                self.first_tool_row = summary.line
        return ()

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        model = self.options.model_entry
        if model is None:
            return
        required: dict[str | None, tuple[str, str]] = {DPO: ("dpo", "DPO training"), CPT_TEXT: ("cpt", "continued pre-training (CPT)")}
        needs = required.get(facts.format)
        if needs and not model.can(needs[0]):
            yield self.finding(f"{model.name} does not support {needs[1]}", hint="choose a model that does (ftlint models)")
        if self.tool_rows and not model.can("tools"):
            yield self.finding(
                f"{self.tool_rows:,} rows carry tool calls (first at line {self.first_tool_row}), but {model.name} is not tuned with tools",
                hint="tool-calling data needs qwen3.5 or later",
            )
