import gzip
from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.platform.limits import platform
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


@register
class FileName(Rule):
    """The file name is not one the platform accepts.

    The name without its extension may hold only letters, digits, `_` and `-`, at most
    120 characters. Spaces, dots (`train.v2.jsonl`) and non-ASCII characters
    (`训练集.jsonl`) are refused at upload.

    Bad:   train.v2 final.jsonl
    Good:  train_v2-final.jsonl
    """

    code = "F106"
    on_array_files = True
    slug = "file-name"
    severity = Severity.ERROR
    examples = (
        Fail([CHAT, CHAT_EN], At(), name="train.v2 final.jsonl"),
        Fail([CHAT, CHAT_EN], At(), name="训练集.jsonl"),
        Fail([CHAT, CHAT_EN], At(), name="customer_service_" + "x" * 104 + ".jsonl", note="121 characters before the extension"),
        Pass([CHAT, CHAT_EN], name="train_v2-final.jsonl"),
        Pass([CHAT, CHAT_EN], name="customer_service_" + "x" * 103 + ".jsonl", note="120 characters"),
        Pass(data=gzip.compress((CHAT + "\n").encode(), mtime=0), name="train_v2.jsonl.gz", note="the name uploaded is the one inside the .gz: train_v2.jsonl"),
    )

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        name = facts.source.upload_name
        if not name:
            return
        stem = name.split(".", 1)[0] if name.count(".") <= 1 else name.rsplit(".", 1)[0]
        rules = platform()
        if len(stem) > rules.file_name_max_length:
            yield self.finding(_("file name is {len} characters; at most {file_name_max_length} are allowed").format(len=len(stem), file_name_max_length=rules.file_name_max_length))
        if not rules.file_name_pattern.match(stem):
            bad = sorted({c for c in stem if not rules.file_name_pattern.match(c)})
            shown = " ".join(repr(c) for c in bad[:8])
            yield self.finding(
                _("file name {stem!r} has characters other than A-Z a-z 0-9 _ - ({shown})").format(stem=stem, shown=shown),
                hint=_("rename the file before uploading"),
            )
