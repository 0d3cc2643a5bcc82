from ftlint.finding import Severity
from ftlint.rows import CPT_TEXT
from ftlint.rule import Rule, register


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
        text = row.data.get("text")
        if "text" not in row.data:
            yield self.finding("`text` is missing", line=row.line, path="text")
        elif not isinstance(text, str):
            yield self.finding(f"`text` is {'null' if text is None else type(text).__name__}, not a string", line=row.line, path="text")
        elif not text.strip():
            yield self.finding("`text` is empty", line=row.line, path="text")
