from collections.abc import Iterator

from ftlint.engine.lines import Line
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


@register
class BlankLine(Rule):
    """Empty or whitespace-only line.

    The platform reads one JSON object per line and fails the whole job with error 13
    ("the data must not contain empty lines") when any line is empty or holds only
    whitespace, including a blank line at the end of the file. One line end after the
    last row is fine: it ends that row, it does not start an empty line.

    Bad:   {"messages": [...]}⏎⏎{"messages": [...]}
    Good:  {"messages": [...]}⏎{"messages": [...]}

    Fix: delete the line.
    """

    code = "L101"
    slug = "blank-line"
    severity = Severity.ERROR
    platform_code = 13
    examples = (
        Fail([CHAT, "", CHAT_EN], At(line=2, column=1)),
        Fail([CHAT, "   \t", CHAT_EN, ""], At(line=2, column=1), At(line=4, column=1), note="whitespace, and a blank line at the end"),
        Pass([CHAT, CHAT_EN]),
        Pass(data=(CHAT + "\n" + CHAT_EN).encode(), note="no line end after the last row"),
    )

    def check_line(self, line: Line) -> Iterator[Finding]:
        if line.blank:
            what = _("empty line") if not line.body else _("line holds only whitespace")
            yield self.finding(what, line=line.number, column=1, hint=_("delete the line (ftlint fix FILE -o OUT.jsonl removes every blank line)"))
