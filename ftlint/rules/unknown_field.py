from ftlint.engine.rows import FIELDS, FORMATS
from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


@register
class UnknownField(Rule):
    """A row has a top-level field its format does not define.

    The platform reads only the fields of the row's format (for SFT: `messages`, and
    `tools` for tool calling). Anything else, such as `id`, `source` or `metadata`, is
    not trained on; most likely it is ignored, but a misspelt key (`message`,
    `Messages`) means the data you meant is missing.

    Bad:   {"id": "conv-42", "messages": [...]}
    Good:  {"messages": [...]}
    """

    code = "R103"
    slug = "unknown-field"
    severity = Severity.WARNING

    def check_row(self, row):
        if row.format is None:
            return
        known = FIELDS[row.format]
        for key in row.data:
            if key not in known:
                yield self.finding(
                    f"field {key!r} is not part of the {FORMATS[row.format]} format",
                    line=row.line,
                    path=key,
                    hint="remove it, or check the spelling of the key",
                )
