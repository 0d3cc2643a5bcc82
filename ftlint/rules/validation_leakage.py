from collections.abc import Iterator

from ftlint.engine.job_facts import JobFacts, Repeat
from ftlint.finding import Finding, Severity
from ftlint.i18n import _, count, ngettext
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass, row

TRAIN = tuple(row(f"第 {n} 个问题：订单 {n} 何时发货？", f"订单 {n} 将在 24 小时内发货。") for n in range(60))
# TRAIN[7] again, with other spacing and half-width punctuation ("：" is ":" to NFKC).
NEAR_7 = row("第 7 个问题:订单  7 何时发货?", " 订单 7 将在 24 小时内发货。")


@register
class ValidationLeakage(Rule):
    """Rows of the validation set are also training rows.

    A validation row the model trains on measures memorisation, not learning: the
    validation loss looks better than the model is. Checked for a job (--job) with
    validation_datasets: each validation row is compared with every training row,
    byte for byte (after surrounding whitespace) and again with whitespace runs,
    letter case and character width (full-width "，" is ",") normalised and key order
    ignored. The counts are exact; the first five of each kind are named. ftlint keeps
    two 8-byte hashes per training row, not the rows.

    Bad:   val.jsonl:3 is train.jsonl:17 again
    Good:  validation rows kept out of the training files
    """

    code = "J102"
    slug = "validation-leakage"
    severity = Severity.WARNING
    examples = (
        Fail(TRAIN, At(), At(), job={"validation_datasets": ["val.jsonl"]}, job_files={"val.jsonl": (TRAIN[3], CHAT, NEAR_7)},
             note="an exact copy and a copy up to whitespace, case and width"),
        Pass(TRAIN, job={"validation_datasets": ["val.jsonl"]}, job_files={"val.jsonl": (CHAT, CHAT_EN)}),
        Pass(TRAIN, note="no validation set: nothing to compare"),
    )

    def check_job(self, job: JobFacts) -> Iterator[Finding]:
        yield from repeats(self, job.leaked, job.leaked_normalised, job.leaks, _("of the validation set"),
                           _("remove them from the validation set (or from the training files)"))


def repeats(rule: Rule, exact: int, normalised: int, found: list[Repeat], where: str, hint: str, of: str | None = None) -> Iterator[Finding]:
    """The findings for rows repeated elsewhere in a job (J102, J103): exact repeats,
    then the ones equal only once normalised, each with the first few named."""
    of = of if of is not None else _("the training files")
    if exact:
        yield rule.finding(ngettext("{rows} {where} repeats a row of {of}: {found}", "{rows} {where} repeat rows of {of}: {found}", exact).format(
            rows=count(exact, "row"), where=where, of=of, found=_where(found, False)), hint=hint)
    if normalised:
        yield rule.finding(ngettext("{rows} {where} differs from rows of {of} only in whitespace, case or character width: {found}",
                                    "{rows} {where} differ from rows of {of} only in whitespace, case or character width: {found}", normalised).format(
            rows=count(normalised, "row"), where=where, of=of, found=_where(found, True)), hint=hint)




def _where(repeats: list[Repeat], normalised: bool) -> str:
    """The first repeats of a kind: "val.jsonl:3 = train.jsonl:17, …"."""
    chosen = [r for r in repeats if r.normalised == normalised][:5]
    return ", ".join(f"{r.file}:{r.line} = {r.first_file}:{r.first_line}" for r in chosen)
