from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


@register
class LineTooLong(Rule):
    """A line is longer than the largest file the platform accepts.

    No single row can be longer than the largest .jsonl upload (300 MB), so such a
    line is certainly unusable: usually a file with no line ends (CR-only line ends,
    a JSON array dumped on one line) or binary data. ftlint measures it without holding
    it in memory and goes on with the next line.

    Bad:   a 2 GB export with every row on one line
    Good:  one JSON object per line
    """

    code = "L106"
    slug = "line-too-long"
    severity = Severity.ERROR

    def check_line(self, line):
        if line.oversized:
            yield self.finding(
                f"line is {line.oversized / 2**20:,.0f} MiB long, more than any upload the platform takes; not read",
                line=line.number,
                hint="put one JSON object per line (LF line ends)",
            )
