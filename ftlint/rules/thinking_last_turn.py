import json
from collections.abc import Iterable, Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.rows import RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import _, ngettext
from ftlint.options import CheckOptions
from ftlint.rules._chat import SFT_FORMATS
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass, row

_THINKING = row("我的快递到哪了？", "正在为您查询。", "能再快点吗？", "<think>\n用户着急，需要安抚并给出时间。\n</think>\n\n已为您加急，预计明天送达。")
_THINKING_EN = json.dumps({"messages": [
    {"role": "user", "content": [{"text": "Where is my order?"}]}, {"role": "assistant", "content": [{"text": "Let me check."}]},
    {"role": "user", "content": [{"text": "Any update?"}]}, {"role": "assistant", "content": [{"text": "Still checking."}]},
    {"role": "user", "content": [{"text": "Well?"}]}, {"role": "assistant", "content": [{"text": "<think>\nThe user is waiting.\n</think>\n\nIt ships today."}]},
]})


@register
class ThinkingLastTurn(Rule):
    """Thinking rows train only their last assistant turn: the earlier ones are not
    trained.

    A row whose last assistant message opens with `<think>` is thinking data, and the
    platform trains that message only; plain SFT rows train every assistant message.
    Said once per file, with the number of assistant turns that will not be trained,
    so that multi-turn thinking rows are not mistaken for several training examples.
    To train an earlier turn, make it the last turn of a row of its own.

    Bad:   (info) user, assistant, user, assistant with <think>: the first answer is not trained
    Good:  user, assistant with <think>
    """

    code = "M112"
    slug = "thinking-last-turn"
    severity = Severity.INFO
    formats = SFT_FORMATS
    summary_fields = frozenset({"untrained_turns"})
    examples = (
        Fail([CHAT, _THINKING, CHAT_EN, _THINKING_EN], At(), note="two thinking rows with 1 and 2 earlier assistant turns"),
        Pass([CHAT, CHAT_EN, row("我的快递到哪了？", "<think>\n查物流\n</think>\n\n明天送达。")], note="single-turn thinking rows train everything they have"),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.rows = self.turns = 0
        self.first: int | None = None

    def collect(self, summary: RowSummary) -> Iterable[Finding]:
        if summary.untrained_turns:
            self.rows += 1
            self.turns += summary.untrained_turns
            self.first = self.first or summary.line
        return ()

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        if self.turns:
            rows = ngettext("{rows:,} thinking row (first at line {first})", "{rows:,} thinking rows (first at line {first})", self.rows).format(rows=self.rows, first=self.first)
            yield self.finding(
                ngettext("{rows} carry {turns:,} earlier assistant turn that will not be trained: the platform trains only the last assistant turn of a thinking row",
                         "{rows} carry {turns:,} earlier assistant turns that will not be trained: the platform trains only the last assistant turn of a thinking row",
                         self.turns).format(rows=rows, turns=self.turns),
                hint=_("to train an earlier answer, give it a row of its own that ends with it"),
            )
