from collections.abc import Iterator

from ftlint.engine.job_facts import JobFacts
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass
from ftlint.rules.validation_leakage import NEAR_7, TRAIN, repeats


@register
class RepeatedAcrossFiles(Rule):
    """A training row repeats a row of another training file of the job.

    The platform merges a dataset's files, so a row in two files trains twice (and,
    once the job holds part of the data out, may land in both training and
    validation). Rows are compared as J102 compares them: exactly, and with
    whitespace, case and character width normalised. Repeats inside one file are
    F104's. Checked for a job (--job) with more than one training file.

    Bad:   part_2.jsonl:5 is part_1.jsonl:40 again
    Good:  every row in one file only
    """

    code = "J103"
    slug = "repeated-across-files"
    severity = Severity.WARNING
    examples = (
        Fail(TRAIN, At(), At(), job={"training_datasets": ["data.jsonl", "more.jsonl"]}, job_files={"more.jsonl": (TRAIN[10], NEAR_7)},
             note="an exact copy and a near copy in a second file"),
        Pass(TRAIN, job={"training_datasets": ["data.jsonl", "more.jsonl"]}, job_files={"more.jsonl": TRAIN[:0]}),
        Pass(TRAIN + TRAIN[:3], note="repeats inside one file are F104's"),
    )

    def check_job(self, job: JobFacts) -> Iterator[Finding]:
        yield from repeats(self, job.repeated, job.repeated_normalised, job.repeats, _("of one training file"), _("keep each row in one file"),
                           of=_("another training file"))
