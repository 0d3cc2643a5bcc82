import json
from collections.abc import Iterator

from ftlint.engine.rows import PROMPT_COMPLETION, Row
from ftlint.finding import Finding, Severity
from ftlint.rules._fields import string_problem
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass

GOOD = json.dumps({"prompt": "谁在文艺复兴时期绘制人体?", "completion": "达·芬奇、米开朗基罗等。"}, ensure_ascii=False)
GOOD_EN = json.dumps({"prompt": "Translate to French: good morning", "completion": "Bonjour"})


@register
class PromptCompletion(Rule):
    """A prompt/completion row lacks a non-empty string `prompt` or `completion`.

    This single-turn format needs both fields, each a non-empty string. For multi-turn
    data use `messages`.

    Bad:   {"prompt": "谁在文艺复兴时期绘制人体?"}
    Good:  {"prompt": "谁在文艺复兴时期绘制人体?", "completion": "达·芬奇、米开朗基罗等。"}
    """

    code = "P101"
    slug = "prompt-completion"
    severity = Severity.ERROR
    formats = frozenset({PROMPT_COMPLETION})
    examples = (
        Fail([GOOD_EN, '{"prompt": "谁在文艺复兴时期绘制人体?"}'], At(line=2, path="completion")),
        Fail(['{"prompt": " ", "completion": 42}', GOOD], At(line=1, path="prompt"), At(line=1, path="completion"), note="whitespace only, and a number"),
        Fail(['{"completion": "Bonjour", "prompt": null}'], At(line=1, path="prompt")),
        Pass([GOOD, GOOD_EN]),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        for key in ("prompt", "completion"):
            problem = string_problem(row.data, key)
            if problem:
                yield self.finding(f"`{key}` {problem}", line=row.line, path=key)
