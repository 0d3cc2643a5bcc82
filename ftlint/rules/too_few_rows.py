from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.job_facts import JobFacts
from ftlint.engine.rows import MEDIA_FORMATS
from ftlint.finding import Finding, Severity
from ftlint.i18n import _, count, ngettext
from ftlint.job import TRAINING
from ftlint.platform.limits import platform
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


@register
class TooFewRows(Rule):
    """The file has fewer than 50 rows.

    The platform refuses to train on fewer than 50 rows and fails the job with error 15
    ("data length does not meet the training minimum"). Rows are non-blank lines.
    50 is the hard floor; the tuning guide recommends a thousand or more good SFT rows
    (a few hundred for DPO). In a job (--job) the platform merges a dataset's files,
    so the rows of all training files count together.

    Bad:   a file with 49 rows
    Good:  a file with 50 rows or more
    """

    code = "F102"
    slug = "too-few-rows"
    severity = Severity.ERROR
    platform_code = 15
    examples = (
        Fail([CHAT, CHAT_EN] * 24 + [CHAT], At(), note="49 rows"),
        Fail([CHAT, CHAT_EN] * 24 + ["", CHAT], At(), note="50 lines, but a blank line is not a row"),
        Fail([CHAT], At()),
        Pass([CHAT, CHAT_EN] * 25, note="50 rows"),
        Pass([], note="an empty file is F101's"),
        Fail([CHAT, CHAT_EN] * 10, At(), job={"training_datasets": ["data.jsonl", "more.jsonl"]}, job_files={"more.jsonl": (CHAT,) * 20},
             note="a job of two files: 40 rows together"),
        Pass([CHAT, CHAT_EN] * 15, job={"training_datasets": ["data.jsonl", "more.jsonl"]}, job_files={"more.jsonl": (CHAT,) * 20},
             note="a job of two files: 30 + 20 rows, 50 together"),
    )

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        minimum = platform().min_rows
        if facts.format in MEDIA_FORMATS or self.options.media_model is not None:
            return  # a media package's minimum is its kind's (K105), not 50 rows
        if facts.bytes and facts.read_error is None and facts.rows < minimum:
            yield self.finding(
                ngettext("{rows} row; the platform needs at least {minimum}", "{rows} rows; the platform needs at least {minimum}", facts.rows).format(rows=facts.rows, minimum=minimum),
                hint=_("add at least {value} more rows").format(value=minimum - facts.rows),
            )

    def check_job(self, job: JobFacts) -> Iterator[Finding]:
        minimum = platform().min_rows
        files = job.of(TRAINING)
        rows = sum(f.rows for f in files)
        if files and not job.media and not any(f.failed for f in files) and 0 < rows < minimum:
            yield self.finding(
                _("{rows} in {files}; the platform needs at least {minimum}").format(rows=count(rows, "training row"), files=count(len(files), "file"), minimum=minimum),
                hint=_("add at least {value} more rows").format(value=minimum - rows),
            )
