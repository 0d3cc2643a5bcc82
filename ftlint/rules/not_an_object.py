import json
from collections.abc import Iterator

from ftlint.engine.lines import Line
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._fields import json_type
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

BARE_MESSAGES = json.dumps([{"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！"}], ensure_ascii=False)


@register
class NotAnObject(Rule):
    """A line is valid JSON but not an object.

    Each line must be one JSON object such as {"messages": [...]}. A bare array, string
    or number (for example a whole dataset written as one JSON array per line) is not a
    training row.

    Bad:   [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！"}]
    Good:  {"messages": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！"}]}
    """

    code = "L105"
    slug = "not-an-object"
    severity = Severity.ERROR
    examples = (
        Fail([CHAT, BARE_MESSAGES, CHAT_EN], At(line=2, column=1), note="a bare messages list"),
        Pass([f"[{CHAT}, {CHAT_EN}]"], note="a whole dataset as one JSON array is F110's"),
        Fail(['"你好"', "null", "42", "true"], At(line=1, column=1), At(line=2, column=1), At(line=3, column=1), At(line=4, column=1)),
        Pass([CHAT, CHAT_EN]),
        Pass([CHAT, "{'messages': []}", ""], note="invalid JSON (L104) and blank lines (L101) are not this rule's"),
    )

    def check_line(self, line: Line) -> Iterator[Finding]:
        value = line.value
        if value is not None and not isinstance(value, dict) or (value is None and _is_null(line)):
            kind = json_type(value)
            hint = _("wrap it in an object, e.g. {\"messages\": [...]}")
            if isinstance(value, list) and value and all(isinstance(v, dict) and "role" in v for v in value):
                hint = _("this looks like a bare messages list: write {\"messages\": [...]} (ftlint fix FILE -o OUT.jsonl wraps it)")
            yield self.finding(_("line is a JSON {kind}, not an object").format(kind=kind), line=line.number, column=1, hint=hint)


def _is_null(line: Line) -> bool:
    return not line.blank and not line.oversized and line.utf8_error is None and line.json_error is None

