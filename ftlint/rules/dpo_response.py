import json
from collections.abc import Iterator
from typing import Any

from ftlint.engine.rows import DPO, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass

PROMPT = [{"role": "user", "content": "帮我查一下订单 1024 的物流。"}]
GOOD_ANSWER = {"role": "assistant", "content": "好的，我来帮您查询。订单 1024 已到达杭州转运中心。"}
BAD_ANSWER = {"role": "assistant", "content": "自己查。"}


def dpo(chosen: Any = GOOD_ANSWER, rejected: Any = BAD_ANSWER, **extra: Any) -> str:
    """A DPO row answering PROMPT; pass ... to leave `chosen` or `rejected` out."""
    row: dict[str, Any] = {"messages": PROMPT}
    if chosen is not ...:
        row["chosen"] = chosen
    if rejected is not ...:
        row["rejected"] = rejected
    return json.dumps({**row, **extra}, ensure_ascii=False)


GOOD_EN = json.dumps(
    {
        "messages": [{"role": "user", "content": "Summarise: the meeting moved to 3 pm."}, {"role": "assistant", "content": "Meeting at 3 pm."}, {"role": "user", "content": "Shorter?"}],
        "chosen": {"role": "assistant", "content": "3 pm."},
        "rejected": {"role": "assistant", "content": "The meeting, which was earlier, has now been moved to 3 pm."},
    }
)


@register
class DpoResponse(Rule):
    """DPO `chosen` or `rejected` is missing or not a single assistant message.

    Each is one object {"role": "assistant", "content": "..."}: the preferred and the
    dispreferred answer to the last user turn. A list of messages, a bare string,
    another role or empty content is an error. (Content that is not a string is M104's,
    as for every message.)

    Bad:   "chosen": "好的，我来帮您查询。"
    Good:  "chosen": {"role": "assistant", "content": "好的，我来帮您查询。"}
    """

    code = "D102"
    slug = "dpo-response"
    severity = Severity.ERROR
    formats = frozenset({DPO})
    examples = (
        Fail([dpo(), dpo(chosen="好的，我来帮您查询。")], At(line=2, path="chosen"), note="a bare string"),
        Fail([dpo(rejected=...), dpo(chosen=[GOOD_ANSWER])], At(line=1, path="rejected"), At(line=2, path="chosen"), note="missing, and a list of messages"),
        Fail(
            [dpo(chosen={"role": "user", "content": "好的"}), dpo(rejected={"role": "assistant", "content": " "}), dpo(rejected={"role": "assistant", "content": ""})],
            At(line=1, path="chosen.role"),
            At(line=2, path="rejected.content"),
            At(line=3, path="rejected.content"),
            note="another role, whitespace only, empty content",
        ),
        Pass([dpo(), GOOD_EN]),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        for key in ("chosen", "rejected"):
            problem = _problem(row.data.get(key), key in row.data)
            if problem:
                message, where, hint = problem
                yield self.finding(f"`{key}` {message}", line=row.line, path=f"{key}{where}", hint=hint)


def _problem(value: Any, present: bool) -> tuple[str, str, str | None] | None:
    """(message, path suffix, hint) for an answer that is not one assistant message."""
    shape = _("write {\"role\": \"assistant\", \"content\": \"...\"}")
    if not present:
        return _("is missing"), "", shape
    if isinstance(value, list):
        return _("is a list; it must be a single assistant message"), "", shape
    if not isinstance(value, dict):
        return _("is not a message object"), "", shape
    if value.get("role") != "assistant":
        return _("has role {get!r}, not 'assistant'").format(get=value.get('role')), ".role", None
    content = value.get("content")
    if not isinstance(content, str):
        return None  # the content's shape is M104's, as for every message
    if not content.strip():
        return _("content is empty"), ".content", None
    return None
