import json
from collections.abc import Iterator

from ftlint.engine.rows import FORMATS, PROMPT_COMPLETION, RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.options import CheckOptions
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

PC = json.dumps({"prompt": "谁在文艺复兴时期绘制人体?", "completion": "达·芬奇、米开朗基罗等。"}, ensure_ascii=False)
DPO_ROW = json.dumps(
    {
        "messages": [{"role": "user", "content": "我的快递能加急吗？"}],
        "chosen": {"role": "assistant", "content": "好的，已为您加急。"},
        "rejected": {"role": "assistant", "content": "不行。"},
    },
    ensure_ascii=False,
)
TOOL_CALL = json.dumps(
    {
        "messages": [
            {"role": "user", "content": "杭州今天天气怎么样？"},
            {"role": "assistant", "content": "", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"杭州\"}"}}]},
            {"role": "tool", "content": "{\"weather\": \"晴，26°C\"}", "tool_call_id": "call_1"},
            {"role": "assistant", "content": "杭州今天晴，26°C。"},
        ],
        "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
    },
    ensure_ascii=False,
)
THINKING = json.dumps(
    {"messages": [{"role": "user", "content": "12 × 13 = ?"}, {"role": "assistant", "content": "<think>12 × 13 = 120 + 36 = 156</think>\n\n156"}]},
    ensure_ascii=False,
)


@register
class MixedFormats(Rule):
    """A row's format differs from the file's.

    A training file holds one kind of data: SFT messages, DPO pairs, prompt/completion,
    legacy text or CPT text. The file's format is the one given with --data-format, or
    else the format of its first recognisable row. Each row of another format is
    reported (and checked by the rules of its own format). Mixing plain, thinking and
    tool-calling rows of the same training type is allowed.

    Bad:   line 1 {"messages": [...]}, line 2 {"prompt": "...", "completion": "..."}
    Good:  every row in {"messages": [...]}
    """

    code = "R102"
    slug = "mixed-formats"
    severity = Severity.ERROR
    examples = (
        Fail([CHAT, PC, CHAT_EN, DPO_ROW], At(line=2), At(line=4)),
        Fail(['{"conversations": []}', PC, CHAT], At(line=3), note="the first recognisable row decides: line 2"),
        Fail([CHAT, PC], At(line=1), options={"data_format": PROMPT_COMPLETION}, note="--data-format decides"),
        Pass([CHAT, THINKING, TOOL_CALL, CHAT_EN], note="plain, thinking and tool-calling SFT rows mix"),
        Pass([DPO_ROW, DPO_ROW]),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.file_format = options.data_format
        self.decided_at: int | None = None

    def collect(self, summary: RowSummary) -> Iterator[Finding]:
        if summary.detected is None:
            return
        if self.file_format is None:
            self.file_format, self.decided_at = summary.detected, summary.line
            return
        if summary.detected != self.file_format:
            source = f"line {self.decided_at}" if self.decided_at else "--data-format"
            yield self.finding(
                _("row is {FORMATS}, but the file is {FORMATS2} (from {source})").format(FORMATS=FORMATS[summary.detected], FORMATS2=FORMATS[self.file_format], source=source),
                line=summary.line,
                hint=_("keep one dataset format per file"),
            )
