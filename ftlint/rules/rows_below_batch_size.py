from ftlint.finding import Severity
from ftlint.platform.limits import platform
from ftlint.rules.base import Rule, register


@register
class RowsBelowBatchSize(Rule):
    """The training part of the file does not exceed the batch size.

    The platform needs more training rows than `batch_size`. When it holds part of the
    file out for validation, what is left must still exceed it: the seeds' profile
    holds out 20% (the console's automatic split; API users are advised 80/20); the
    current profile holds out 10%, at most 1,000 rows. Use --validation-split 0 for a
    file you already split yourself. Below 50 rows (F102) this is reported only for a
    --batch-size you gave.

    Bad:   60 rows with --batch-size 48 (48 training rows after the 20% split)
    Good:  60 rows with --batch-size 4
    """

    code = "F103"
    slug = "rows-below-batch-size"
    severity = Severity.ERROR

    def finish(self, facts):
        options = facts.options
        if not facts.rows or facts.read_error:
            return
        if facts.rows < platform().min_rows and options.batch_size is None:
            return  # F102 already fails the file; the default batch size adds nothing
        profile = options.platform_profile
        batch = options.hyperparameter("batch_size")
        training = profile.training_rows(facts.rows, options.validation_split)
        if training <= batch:
            yield self.finding(
                f"{training} training rows (of {facts.rows}, after the validation split) do not exceed batch_size {batch:g}",
                hint="add rows, or lower --batch-size",
            )
