from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


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

    def check_line(self, line):
        if line.blank:
            what = "empty line" if not line.body else "line holds only whitespace"
            yield self.finding(what, line=line.number, column=1, hint="delete the line")
