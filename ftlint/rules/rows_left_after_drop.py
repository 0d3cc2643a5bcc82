from ftlint.finding import Severity
from ftlint.platform.limits import platform
from ftlint.platform.tokenizers import consequence
from ftlint.rules.base import Rule, register


@register
class RowsLeftAfterDrop(Rule):
    """Dropping the over-length rows would leave fewer than 50 rows.

    The platform drops every row longer than max_length (T101) before training. If
    fewer than 50 rows remain, the job fails with error 15 (too few rows), although
    the file itself has enough. Needs --model.

    Bad:   60 rows of which 11 exceed max_length (49 left)
    Good:  at most 10 over-length rows, or a larger --max-length
    """

    code = "T103"
    slug = "rows-left-after-drop"
    severity = Severity.ERROR
    summary_fields = frozenset({"tokens"})
    platform_code = 15

    def __init__(self, options):
        super().__init__(options)
        self.dropped = 0

    def collect(self, summary):
        count = summary.tokens
        limit = self.options.token_limit
        if count is not None and count.tokens is not None and limit is not None and count.tokens > limit:
            if consequence(summary.format, self.options.via) == "dropped":
                self.dropped += 1
        return ()

    def finish(self, facts):
        minimum = platform().min_rows
        left = facts.rows - self.dropped
        if self.dropped and facts.rows >= minimum > left:
            yield self.finding(
                f"after dropping {self.dropped:,} over-length rows only {left:,} remain; the platform needs {minimum}",
                hint="shorten the long rows or raise --max-length",
            )
