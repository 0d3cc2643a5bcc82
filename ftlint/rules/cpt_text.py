from ftlint.engine.rows import CPT_TEXT
from ftlint.finding import Severity
from ftlint.rules._fields import string_problem
from ftlint.rules.base import Rule, register


@register
class CptText(Rule):
    """A CPT (continued pre-training) row's `text` is missing, not a string, or empty.

    CPT rows are {"text": "..."} with a non-empty string of plain text (no
    Human:/Assistant: markers; with markers the row is legacy SFT text).

    Bad:   {"text": ""}
    Good:  {"text": "杭州位于浙江省北部，是浙江省省会。"}
    """

    code = "C101"
    slug = "cpt-text"
    severity = Severity.ERROR
    formats = frozenset({CPT_TEXT})

    def check_row(self, row):
        problem = string_problem(row.data, "text")
        if problem:
            yield self.finding(f"`text` {problem}", line=row.line, path="text")
