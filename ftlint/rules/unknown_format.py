from ftlint.engine.rows import FORMATS
from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


@register
class UnknownFormat(Rule):
    """A row matches none of the dataset formats the platform takes.

    ftlint recognises a row by its keys: `messages` (SFT, or DPO with `chosen` and
    `rejected`), `prompt`/`completion`, or `text` (legacy Human/Assistant text or CPT
    text). A row with none of them trains nothing; typical causes are another tool's
    format (ShareGPT `conversations`, Alpaca `instruction`/`output`) or a typo in a key.

    Bad:   {"conversations": [{"from": "human", "value": "你好"}]}
    Good:  {"messages": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！"}]}
    """

    code = "R101"
    slug = "unknown-format"
    severity = Severity.ERROR

    def check_row(self, row):
        if row.format is None:
            keys = ", ".join(sorted(row.data)[:6]) or "no keys"
            hint = "use one of: " + "; ".join(FORMATS.values())
            if "role" in row.data and "content" in row.data:
                hint = "this is a single message: part of a pretty-printed row or a messages list split over lines?"
            elif "conversations" in row.data or "instruction" in row.data:
                hint = "this looks like ShareGPT/Alpaca data: convert it to {\"messages\": [...]}"
            yield self.finding(f"row matches no dataset format (keys: {keys})", line=row.line, hint=hint)
