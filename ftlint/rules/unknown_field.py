import json
from collections.abc import Iterator

from ftlint.engine.rows import FIELDS, FORMATS, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass, row

TOOLS = [{"type": "function", "function": {"name": "get_order", "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}}}}]


@register
class UnknownField(Rule):
    """A row has a top-level field its format does not define.

    The platform reads only the fields of the row's format (for SFT: `messages`, and
    `tools` for tool calling). Anything else, such as `id`, `source` or `metadata`, is
    not trained on; most likely it is ignored, but a misspelt key (`message`,
    `Messages`) means the data you meant is missing.

    Bad:   {"id": "conv-42", "messages": [...]}
    Good:  {"messages": [...]}
    """

    code = "R103"
    slug = "unknown-field"
    severity = Severity.WARNING
    examples = (
        Fail([json.dumps({"id": "conv-42", **json.loads(CHAT)}, ensure_ascii=False), CHAT_EN], At(line=1, path="id")),
        Fail([CHAT, row("你好", "你好！", source="crawl", metadata={"lang": "zh"})], At(line=2, path="source"), At(line=2, path="metadata")),
        Fail(['{"prompt": "1+1=?", "completion": "2", "Completion": "2"}'], At(line=1, path="Completion"), note="a key in the wrong case"),
        Pass([CHAT, CHAT_EN, row("查一下订单 1024", "已发货。", tools=TOOLS)], note="`tools` belongs to SFT"),
        Pass(['{"conversations": [{"from": "human", "value": "你好"}]}'], note="a row of no format is R101's"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        if row.format is None:
            return
        known = FIELDS[row.format]
        for key in row.data:
            if key not in known:
                yield self.finding(
                    _("field {key!r} is not part of the {FORMATS} format").format(key=key, FORMATS=FORMATS[row.format]),
                    line=row.line,
                    path=key,
                    hint=_("remove it, or check the spelling of the key"),
                )
