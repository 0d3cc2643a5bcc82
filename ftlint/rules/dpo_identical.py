from ftlint.engine.rows import DPO
from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


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

    def check_row(self, row):
        chosen, rejected = row.data.get("chosen"), row.data.get("rejected")
        if isinstance(chosen, dict) and isinstance(rejected, dict):
            a, b = chosen.get("content"), rejected.get("content")
            if isinstance(a, str) and isinstance(b, str) and a.strip() and a.strip() == b.strip():
                yield self.finding("chosen and rejected are identical", line=row.line, path="rejected.content")
