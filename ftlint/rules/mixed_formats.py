from ftlint.engine.rows import FORMATS
from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


@register
class MixedFormats(Rule):
    """A row's format differs from the file's.

    A training file holds one kind of data: SFT messages, DPO pairs, prompt/completion,
    legacy text or CPT text. The file's format is the one given with --data-format, or
    else the format of its first recognisable row. Each row of another format is
    reported (and checked by the rules of its own format). Mixing plain, thinking and
    tool-calling rows of the same training type is allowed.

    Bad:   line 1 {"messages": [...]}, line 2 {"prompt": "...", "completion": "..."}
    Good:  every row in {"messages": [...]}
    """

    code = "R102"
    slug = "mixed-formats"
    severity = Severity.ERROR

    def __init__(self, options):
        super().__init__(options)
        self.file_format = options.data_format
        self.decided_at: int | None = None

    def collect(self, summary):
        if summary.detected is None:
            return
        if self.file_format is None:
            self.file_format, self.decided_at = summary.detected, summary.line
            return
        if summary.detected != self.file_format:
            source = f"line {self.decided_at}" if self.decided_at else "--data-format"
            yield self.finding(
                f"row is {FORMATS[summary.detected]}, but the file is {FORMATS[self.file_format]} (from {source})",
                line=summary.line,
                hint="keep one dataset format per file",
            )
