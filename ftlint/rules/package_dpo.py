from ftlint.engine.rows import DPO
from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


@register
class PackageDpo(Rule):
    """A DPO row in an image package.

    Preference (DPO) training takes text only: image packages are for SFT. Put DPO
    data in a plain .jsonl file.

    Bad:   package.zip whose data.jsonl holds {"messages": ..., "chosen": ..., "rejected": ...}
    Good:  DPO rows in a plain dpo.jsonl, image rows in the package
    """

    code = "I106"
    slug = "package-dpo"
    severity = Severity.ERROR
    formats = frozenset({DPO})

    def check_row(self, row):
        if row.package is not None:
            yield self.finding("DPO rows are not accepted in an image package", line=row.line)
