from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


@register
class UnreadableFile(Rule):
    """The file could not be read to the end.

    A truncated .gz, a corrupt .zip, a package without data.jsonl at its root, or an
    I/O error. Findings before the failure are still reported; rows after it were not
    checked.

    Bad:   train.jsonl.gz cut off in the middle of a download
    Good:  the complete train.jsonl.gz
    """

    code = "F108"
    slug = "unreadable-file"
    severity = Severity.ERROR

    def finish(self, facts):
        if facts.read_error:
            where = f" after line {facts.lines}" if facts.lines else ""
            yield self.finding(f"could not read the file{where}: {facts.read_error}")
