from ftlint.engine.rows import LEGACY_TEXT
from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


@register
class DeprecatedFormat(Rule):
    """The file uses the deprecated Human/Assistant text format.

    The platform still trains on {"text": "\\n\\nHuman: …\\n\\nAssistant: …"} for existing
    users, but recommends `messages` for new data: it carries system prompts and
    multi-turn structure explicitly, and it is what current models and tools expect.

    Bad:   {"text": "\\n\\nHuman: 你好\\n\\nAssistant: 你好！"}
    Good:  {"messages": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！"}]}
    """

    code = "F107"
    slug = "deprecated-format"
    severity = Severity.INFO

    def finish(self, facts):
        if facts.format == LEGACY_TEXT:
            yield self.finding(
                "legacy Human/Assistant text format is deprecated",
                hint="convert the rows to {\"messages\": [...]}",
            )
