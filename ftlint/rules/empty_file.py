import gzip
from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


@register
class EmptyFile(Rule):
    """The file is empty (zero bytes).

    An empty upload has no rows, so the job fails with error 15 (too few rows). Often
    the result of an export that failed or a redirect that truncated the file.

    Bad:   a 0-byte train.jsonl
    Good:  a train.jsonl with at least 50 rows
    """

    code = "F101"
    slug = "empty-file"
    severity = Severity.ERROR
    platform_code = 15
    examples = (
        Fail([], At(), note="0 bytes"),
        Fail((), At(), data=gzip.compress(b"", mtime=0), name="train.jsonl.gz", note="a .gz that holds 0 bytes"),
        Pass([CHAT, CHAT_EN]),
        Pass([""], note="one blank line is not empty (L101 and F102 report it)"),
    )

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        if facts.bytes == 0 and facts.read_error is None:
            yield self.finding(_("the file is empty"), hint=_("check the export that wrote it"))
