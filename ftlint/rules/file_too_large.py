import gzip
from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.rows import CPT_TEXT, DPO
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.platform.limits import platform
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass, row


def gzip_of(*pieces: tuple[bytes, int]) -> bytes:
    """A .gz of each (chunk, times) piece's chunk repeated `times` times, one gzip
    member per chunk (gzip readers join members): each chunk is compressed once, so a
    few hundred kilobytes made in a millisecond stand for hundreds of MiB."""
    return b"".join(gzip.compress(chunk, mtime=0) * times for chunk, times in pieces)


# 205 SFT rows of 1 MiB each, a user turn of laughter to translate (it compresses
# ~1000:1): 205 MiB as uploaded, ~260 KB as stored here. Each row is its JSON up to
# the laughter, five 200 KiB runs of 哈, then the rest of the row.
_HEAD, _TAIL = (row("请把这段笑声翻译成英文：@", "Hahaha!") + "\n").encode().split(b"@")
LAUGHTER = gzip_of((_HEAD, 1), ("哈".encode() * 69_906, 5), (_TAIL, 1)) * 205


@register
class FileTooLarge(Rule):
    """The file is larger than the platform accepts for an upload.

    Current caps: SFT/DPO .jsonl 300 MB through the API and 200 MB on the console; CPT
    .jsonl 300 MB; image packages (.zip) 2 GB. The size counted is the uncompressed
    dataset, as uploaded. Choose the path with --via api|console.

    Bad:   a 250 MB train.jsonl uploaded on the console (cap 200 MB)
    Good:  two 125 MB files
    """

    code = "F105"
    on_array_files = True
    slug = "file-too-large"
    severity = Severity.ERROR
    examples = (
        Fail((), At(), data=LAUGHTER, name="train.jsonl.gz", options={"via": "console"}, note="205 MiB of SFT rows uncompressed; the console takes 200 MB"),
        Pass((), data=LAUGHTER, name="train.jsonl.gz", options={"via": "api"}, note="the same 205 MiB through the API, which takes 300 MB"),
        Pass([CHAT, CHAT_EN] * 25, options={"via": "console"}),
    )

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        via = facts.options.via
        kind = "image_zip" if facts.source.is_package else {DPO: "dpo", CPT_TEXT: "cpt"}.get(facts.format or "", "sft")
        cap = platform().size_caps[via][kind]
        size = facts.package.archive_size if facts.package is not None else facts.bytes
        if size > cap:
            yield self.finding(
                _("{value:,.1f} MiB exceeds the {value2:,.0f} MiB cap for {replace} uploads via {via}").format(value=size / 2**20, value2=cap / 2**20, replace=kind.replace('_', ' '), via=via),
                hint=_("split the data into several files"),
            )
