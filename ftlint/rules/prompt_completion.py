from ftlint.engine.rows import PROMPT_COMPLETION
from ftlint.finding import Severity
from ftlint.rules._fields import string_problem
from ftlint.rules.base import Rule, register


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

    def check_row(self, row):
        for key in ("prompt", "completion"):
            problem = string_problem(row.data, key)
            if problem:
                yield self.finding(f"`{key}` {problem}", line=row.line, path=key)
