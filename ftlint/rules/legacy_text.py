from ftlint.engine.rows import LEGACY_MARKER, LEGACY_TEXT
from ftlint.finding import Severity
from ftlint.rules.base import Rule, register

SEPARATOR = "\n\n"


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

    def check_row(self, row):
        text = row.data.get("text")
        if not isinstance(text, str):
            return
        for message in marker_problems(text):
            yield self.finding(message, line=row.line, path="text", hint='write "\\n\\nHuman: …\\n\\nAssistant: …"')


def marker_problems(text: str):
    """Each way a legacy text's Human:/Assistant: markers break the format."""
    markers = list(LEGACY_MARKER.finditer(text))
    if not markers:
        return
    if text[: markers[0].start()].strip():
        yield "text before the first Human: marker"
    expected = "Human"
    for number, marker in enumerate(markers):
        name = marker.group(1)
        if marker.group(0).endswith("："):
            yield f"{name}： uses a full-width colon; write {name}:"
        if marker.group(0)[0] in " \t":
            yield f"space before {name}: (nothing may stand between \\n\\n and the marker)"
        elif text[max(0, marker.start() - 2) : marker.start()] != SEPARATOR:
            yield f"{name}: must be preceded by exactly \\n\\n"
        if name != expected:
            yield f"{name}: where {expected}: was expected (turns must alternate, starting with Human)"
        expected = "Assistant" if name == "Human" else "Human"
        end = markers[number + 1].start() if number + 1 < len(markers) else len(text)
        if not text[marker.end() : end].strip():
            yield f"{name}: is followed by no text"
    if markers[-1].group(1) != "Assistant":
        yield "the text ends with a Human part; it must end with an Assistant answer"
