import json
from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.rows import LEGACY_TEXT
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

LEGACY = json.dumps({"text": "\n\nHuman: 你好\n\nAssistant: 你好！"}, ensure_ascii=False)
LEGACY_EN = json.dumps({"text": "\n\nHuman: Where is my order?\n\nAssistant: It ships today.\n\nHuman: Thanks!\n\nAssistant: You're welcome."})


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
    examples = (
        Fail([LEGACY, LEGACY_EN], At(), note="reported once per file"),
        Pass([CHAT, CHAT_EN]),
        Pass(['{"text": "杭州位于浙江省北部，是浙江省省会。"}'], note="plain text without markers is CPT, not legacy"),
    )

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        if facts.format == LEGACY_TEXT:
            yield self.finding(
                _("legacy Human/Assistant text format is deprecated"),
                hint=_("convert the rows to {\"messages\": [...]}: ftlint fix FILE --to-messages -o OUT.jsonl"),
            )
