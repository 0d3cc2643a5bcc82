from ftlint.finding import Severity
from ftlint.rules._fields import json_type
from ftlint.rules.base import Rule, register


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

    def check_line(self, line):
        value = line.value
        if value is not None and not isinstance(value, dict) or (value is None and _is_null(line)):
            kind = json_type(value)
            hint = "wrap it in an object, e.g. {\"messages\": [...]}"
            if isinstance(value, list) and value and all(isinstance(v, dict) and "role" in v for v in value):
                hint = "this looks like a bare messages list: write {\"messages\": [...]}"
            yield self.finding(f"line is a JSON {kind}, not an object", line=line.number, column=1, hint=hint)


def _is_null(line) -> bool:
    return not line.blank and not line.oversized and line.utf8_error is None and line.json_error is None

