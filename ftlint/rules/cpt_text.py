import json
from collections.abc import Iterator

from ftlint.engine.rows import CPT_TEXT, Row
from ftlint.finding import Finding, Severity
from ftlint.rules._fields import string_problem
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass

HANGZHOU = json.dumps({"text": "杭州位于浙江省北部，是浙江省省会。"}, ensure_ascii=False)
BOOK = json.dumps({"text": "Chapter 1. The river town wakes before dawn; boats line the quay."})
LEGACY = json.dumps({"text": "\n\nHuman: 你好\n\nAssistant: 你好！"}, ensure_ascii=False)


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
    examples = (
        Fail([HANGZHOU, '{"text": ""}', BOOK], At(line=2, path="text")),
        Fail([HANGZHOU, '{"text": "  \\n "}', '{"text": null}', '{"text": ["杭州", "西湖"]}'], At(line=2, path="text"), At(line=3, path="text"), At(line=4, path="text"),
             note="whitespace only, null and a list are not text"),
        Fail([HANGZHOU, '{"content": "西湖十景"}'], At(line=2, path="text"), options={"data_format": CPT_TEXT}, note="checked as CPT with --data-format, a row without `text`"),
        Pass([HANGZHOU, BOOK]),
        Pass([LEGACY], note="Human:/Assistant: text is legacy SFT, not CPT"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        problem = string_problem(row.data, "text")
        if problem:
            yield self.finding(f"`text` {problem}", line=row.line, path="text")
