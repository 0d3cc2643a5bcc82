import json
from collections.abc import Iterator

from ftlint.engine.rows import DPO, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass


def dpo(question: str, chosen: str, rejected: str) -> str:
    """A one-question DPO row."""
    return json.dumps(
        {
            "messages": [{"role": "user", "content": question}],
            "chosen": {"role": "assistant", "content": chosen},
            "rejected": {"role": "assistant", "content": rejected},
        },
        ensure_ascii=False,
    )


GOOD = dpo("我的快递能加急吗？", "好的，已为您加急。", "不行。")
GOOD_EN = dpo("Can you expedite my parcel?", "Done: it now ships by express.", "Ok.")


@register
class DpoIdentical(Rule):
    """DPO `chosen` and `rejected` are the same answer.

    DPO learns from the difference between the preferred and the dispreferred answer;
    a pair with identical content (ignoring surrounding whitespace) teaches nothing.

    Bad:   "chosen": {"role": "assistant", "content": "好的"}, "rejected": {"role": "assistant", "content": "好的"}
    Good:  "chosen": {"role": "assistant", "content": "好的，已为您加急。"}, "rejected": {"role": "assistant", "content": "不行。"}
    """

    code = "D103"
    slug = "dpo-identical"
    severity = Severity.WARNING
    formats = frozenset({DPO})
    examples = (
        Fail([GOOD, dpo("我的快递能加急吗？", "好的", "好的")], At(line=2, path="rejected.content")),
        Fail([dpo("Can you expedite my parcel?", "Done: it now ships by express.", "  Done: it now ships by express.\n"), GOOD], At(line=1, path="rejected.content"),
             note="surrounding whitespace does not make the answers different"),
        Pass([GOOD, GOOD_EN]),
        Pass([dpo("你好", "你好！", "你好。")], note="one character apart is a (small) difference"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        chosen, rejected = row.data.get("chosen"), row.data.get("rejected")
        if isinstance(chosen, dict) and isinstance(rejected, dict):
            a, b = chosen.get("content"), rejected.get("content")
            if isinstance(a, str) and isinstance(b, str) and a.strip() and a.strip() == b.strip():
                yield self.finding(_("chosen and rejected are identical"), line=row.line, path="rejected.content")
