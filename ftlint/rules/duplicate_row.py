from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


@register
class DuplicateRow(Rule):
    """A row is an exact copy of an earlier row.

    Duplicates overweight one example and, once the file is split, leak training rows
    into validation. Rows are compared byte for byte (after the line end); the finding
    names the line of the first occurrence. ftlint keeps an 8-byte hash per row, not
    the rows.

    Bad:   line 51 is the same bytes as line 4
    Good:  every row once
    """

    code = "F104"
    slug = "duplicate-row"
    severity = Severity.WARNING
    summary_fields = frozenset({"digest"})

    def __init__(self, options):
        super().__init__(options)
        self.first_seen: dict[bytes, int] = {}

    def collect(self, summary):
        first = self.first_seen.setdefault(summary.digest, summary.line)
        if first != summary.line:
            yield self.finding(f"duplicate of line {first}", line=summary.line, hint="drop the copy")
