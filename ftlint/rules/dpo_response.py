from ftlint.engine.rows import DPO
from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


@register
class DpoResponse(Rule):
    """DPO `chosen` or `rejected` is missing or not a single assistant message.

    Each is one object {"role": "assistant", "content": "..."} with string content: the
    preferred and the dispreferred answer to the last user turn. A list of messages,
    a bare string, another role or empty content is an error.

    Bad:   "chosen": "好的，我来帮您查询。"
    Good:  "chosen": {"role": "assistant", "content": "好的，我来帮您查询。"}
    """

    code = "D102"
    slug = "dpo-response"
    severity = Severity.ERROR
    formats = frozenset({DPO})

    def check_row(self, row):
        for key in ("chosen", "rejected"):
            problem = _problem(row.data.get(key), key in row.data)
            if problem:
                message, where, hint = problem
                yield self.finding(f"`{key}` {message}", line=row.line, path=f"{key}{where}", hint=hint)


def _problem(value, present):
    shape = 'write {"role": "assistant", "content": "..."}'
    if not present:
        return "is missing", "", shape
    if isinstance(value, list):
        return "is a list; it must be a single assistant message", "", shape
    if not isinstance(value, dict):
        return "is not a message object", "", shape
    if value.get("role") != "assistant":
        return f"has role {value.get('role')!r}, not 'assistant'", ".role", None
    content = value.get("content")
    if not isinstance(content, str):
        return "content is not a string", ".content", None
    if not content.strip():
        return "content is empty", ".content", None
    return None
