from collections.abc import Iterable, Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.job_facts import JobFacts
from ftlint.engine.rows import RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.job import TRAINING
from ftlint.options import CheckOptions
from ftlint.platform.limits import platform
from ftlint.platform.tokenizers import consequence
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

# With Qwen2.5 and max_length 60, CHAT (49 tokens) fits and CHAT_EN (66 tokens) is dropped.
_LIMIT = {"model": "qwen2.5-7b-instruct", "max_length": 60}


@register
class RowsLeftAfterDrop(Rule):
    """Dropping the over-length rows would leave fewer than 50 rows.

    The platform drops every row longer than max_length (T101) before training. If
    fewer than 50 rows remain, the job fails with error 15 (too few rows), although
    the file itself has enough. Needs --model. In a job (--job), the rows left across
    all training files count together.

    Bad:   60 rows of which 11 exceed max_length (49 left)
    Good:  at most 10 over-length rows, or a larger --max-length
    """

    code = "T103"
    slug = "rows-left-after-drop"
    severity = Severity.ERROR
    summary_fields = frozenset({"tokens"})
    platform_code = 15
    examples = (
        Fail([CHAT] * 49 + [CHAT_EN] * 11, At(), options=_LIMIT, note="60 rows, 11 over max_length: 49 left"),
        Pass([CHAT] * 50 + [CHAT_EN] * 10, options=_LIMIT, note="60 rows, 10 over max_length: 50 left"),
        Pass([CHAT] * 30 + [CHAT_EN] * 5, options=_LIMIT, note="a file of fewer than 50 rows is F102's, not this rule's"),
        Pass([CHAT] * 49 + [CHAT_EN] * 11, options={"model": "qwen2.5-7b-instruct", "max_length": 128}, note="a larger max_length"),
        Fail([CHAT] * 30 + [CHAT_EN] * 11, At(), job={"model": "qwen2.5-7b-instruct", "hyper_parameters": {"max_length": 60},
                                                     "training_datasets": ["data.jsonl", "b.jsonl"]}, job_files={"b.jsonl": (CHAT,) * 19},
             note="a job: 60 rows in two files, 11 over max_length, 49 left"),
        Pass([CHAT] * 31 + [CHAT_EN] * 10, job={"model": "qwen2.5-7b-instruct", "hyper_parameters": {"max_length": 60},
                                                "training_datasets": ["data.jsonl", "b.jsonl"]}, job_files={"b.jsonl": (CHAT,) * 19},
             note="a job: 60 rows in two files, 10 over max_length, 50 left"),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.dropped = 0

    def collect(self, summary: RowSummary) -> Iterable[Finding]:
        count = summary.tokens
        limit = self.options.token_limit
        if count is not None and count.tokens is not None and limit is not None and count.tokens > limit:
            if consequence(summary.format, self.options.via) == "dropped":
                self.dropped += 1
        return ()

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        minimum = platform().min_rows
        left = facts.rows - self.dropped
        if self.dropped and facts.rows >= minimum > left:
            yield self.finding(
                _("after dropping {dropped:,} over-length rows only {left:,} remain; the platform needs {minimum}").format(dropped=self.dropped, left=left, minimum=minimum),
                hint=_("shorten the long rows or raise --max-length"),
            )

    def check_job(self, job: JobFacts) -> Iterator[Finding]:
        minimum = platform().min_rows
        files = job.of(TRAINING)
        rows, dropped = sum(f.rows for f in files), sum(f.dropped for f in files)
        if dropped and rows >= minimum > rows - dropped:
            yield self.finding(
                _("after dropping {dropped:,} over-length rows only {value:,} of the job's {rows:,} training rows remain; the platform needs {minimum}").format(dropped=dropped, value=rows - dropped, rows=rows, minimum=minimum),
                hint=_("shorten the long rows or raise max_length"),
            )
