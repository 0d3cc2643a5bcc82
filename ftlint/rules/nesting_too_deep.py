from collections.abc import Iterable

from ftlint.engine.lines import DEPTH, MAX_DEPTH, Line
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

_DEEP = '{"messages": [{"role": "user", "content": "嵌套"}, {"role": "assistant", "content": "好的"}], "meta": ' + "[" * 1000 + "]" * 1000 + "}"
_DEEP_ENOUGH = '{"prompt": "nest", "completion": "ok", "meta": ' + "[" * 900 + "]" * 900 + "}"


@register
class NestingTooDeep(Rule):
    """A line nests arrays and objects deeper than Python's json can parse.

    Python's `json` (the platform's parser) parses nested arrays and objects by
    recursion: with the default recursion limit (1,000) it raises RecursionError a
    little under 1,000 levels deep, so the platform cannot read the line and the job
    fails with error 14. orjson and many other parsers go deeper (orjson to 1,024), so
    the file may look fine elsewhere. ftlint reports a line nested more than 990 levels
    deep, at the bracket that goes past that depth, whatever parser read it first.

    Bad:   {"messages": [...], "meta": [[[[...1,000 levels...]]]]}
    Good:  {"messages": [...]}

    Fix: flatten the structure, or store it as a string; no training format nests
    anywhere near this deep.
    """

    code = "L108"
    slug = "nesting-too-deep"
    severity = Severity.ERROR
    platform_code = 14
    examples = (
        Fail([CHAT, _DEEP], At(line=2, column=_DEEP.index("[" * 1000) + MAX_DEPTH), note="a field nested 1,001 levels deep (orjson reads it)"),
        Fail(['{"a": ' * 2000 + "1" + "}" * 2000, CHAT_EN], At(line=1, column=6 * MAX_DEPTH + 1), note="2,000 levels: too deep for orjson too"),
        Pass([CHAT, _DEEP_ENOUGH], note="900 levels: Python's json reads it"),
    )

    def check_line(self, line: Line) -> Iterable[Finding]:
        error = line.json_error
        if error is None or error.kind != DEPTH:
            return ()
        return (
            self.finding(
                error.reason,
                line=line.number,
                column=error.column,
                hint=_("flatten the structure, or store it as a string: Python's json cannot read it"),
            ),
        )
