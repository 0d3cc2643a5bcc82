import json
from collections.abc import Iterator

from ftlint.engine.rows import LEGACY_MARKER, LEGACY_TEXT, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass

SEPARATOR = "\n\n"


def legacy(value: str) -> str:
    """A legacy row holding `value` as its text."""
    return json.dumps({"text": value}, ensure_ascii=False)


GOOD = legacy("\n\nHuman: 你好\n\nAssistant: 你好！有什么可以帮您？")
GOOD_MULTI = legacy("\n\nHuman: Where is my order?\n\nAssistant: It ships today.\n\nHuman: Can I change the address?\n\nAssistant: Yes, until it ships.")


@register
class LegacyText(Rule):
    """Legacy Human/Assistant text is not in the exact form the platform parses.

    The deprecated `text` format marks turns with `Human:` and `Assistant:`, each
    preceded by exactly two newlines (`\\n\\n`) with nothing (no space) between them and
    the marker. Turns alternate, starting with Human and ending with an Assistant part;
    the question follows `Human:` and the answer follows `Assistant:`.

    Bad:   {"text": "Human: 你好\\nAssistant: 你好！"}
    Good:  {"text": "\\n\\nHuman: 你好\\n\\nAssistant: 你好！"}
    """

    code = "H101"
    slug = "legacy-text"
    severity = Severity.ERROR
    formats = frozenset({LEGACY_TEXT})
    examples = (
        Fail([GOOD, legacy("Human: 你好\nAssistant: 你好！")], At(line=2, path="text"), At(line=2, path="text"), note="each marker needs \\n\\n before it"),
        Fail([legacy("\n\nHuman： 你好\n\n Assistant: 你好！")], At(line=1, path="text"), At(line=1, path="text"), note="a full-width colon, a space before the marker"),
        Fail([legacy("客服对话\n\nHuman: 你好\n\nAssistant: 你好！")], At(line=1, path="text"), note="text before the first marker"),
        Fail([GOOD_MULTI, legacy("\n\nHuman: 在吗？\n\nHuman: 在吗？？\n\nAssistant: 在的。")], At(line=2, path="text"), note="two Human turns in a row"),
        Fail([legacy("\n\nHuman: Where is my order?\n\nAssistant: It ships today.\n\nHuman: Thanks!")], At(line=1, path="text"), note="ends with a Human part"),
        Fail([legacy("\n\nHuman: 你好\n\nAssistant: ")], At(line=1, path="text"), note="an Assistant marker with no answer"),
        Pass([GOOD, GOOD_MULTI]),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        text = row.data.get("text")
        if not isinstance(text, str):
            return
        for message in marker_problems(text):
            yield self.finding(message, line=row.line, path="text", hint=_("write \"\\n\\nHuman: …\\n\\nAssistant: …\""))


def marker_problems(text: str) -> Iterator[str]:
    """Each way a legacy text's Human:/Assistant: markers break the format."""
    markers = list(LEGACY_MARKER.finditer(text))
    if not markers:
        return
    if text[: markers[0].start()].strip():
        yield _("text before the first Human: marker")
    expected = "Human"
    for number, marker in enumerate(markers):
        name = marker.group(1)
        if marker.group(0).endswith("："):
            yield _("{name}： uses a full-width colon; write {name}:").format(name=name)
        if marker.group(0)[0] in " \t":
            yield _("space before {name}: (nothing may stand between \\n\\n and the marker)").format(name=name)
        elif text[max(0, marker.start() - 2) : marker.start()] != SEPARATOR:
            yield _("{name}: must be preceded by exactly \\n\\n").format(name=name)
        if name != expected:
            yield _("{name}: where {expected}: was expected (turns must alternate, starting with Human)").format(name=name, expected=expected)
        expected = "Assistant" if name == "Human" else "Human"
        end = markers[number + 1].start() if number + 1 < len(markers) else len(text)
        if not text[marker.end() : end].strip():
            yield _("{name}: is followed by no text").format(name=name)
    if markers[-1].group(1) != "Assistant":
        yield _("the text ends with a Human part; it must end with an Assistant answer")
