from collections.abc import Iterator

from ftlint.engine.rows import RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.options import CheckOptions
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


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
    examples = (
        Fail([CHAT, CHAT_EN, CHAT], At(line=3)),
        Fail([CHAT_EN, CHAT, "  " + CHAT_EN + " "], At(line=3), note="surrounding whitespace does not make a row different"),
        Pass([CHAT, CHAT_EN]),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.first_seen: dict[bytes, int] = {}

    def collect(self, summary: RowSummary) -> Iterator[Finding]:
        first = self.first_seen.setdefault(summary.digest, summary.line)
        if first != summary.line:
            yield self.finding(_("duplicate of line {first}").format(first=first), line=summary.line, hint=_("drop the copy (ftlint fix FILE --dedupe -o OUT.jsonl drops every exact copy)"))
