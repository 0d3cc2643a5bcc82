from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


@register
class EmptyFile(Rule):
    """The file is empty (zero bytes).

    An empty upload has no rows, so the job fails with error 15 (too few rows). Often
    the result of an export that failed or a redirect that truncated the file.

    Bad:   a 0-byte train.jsonl
    Good:  a train.jsonl with at least 50 rows
    """

    code = "F101"
    slug = "empty-file"
    severity = Severity.ERROR
    platform_code = 15

    def finish(self, facts):
        if facts.bytes == 0 and facts.read_error is None:
            yield self.finding("the file is empty", hint="check the export that wrote it")
