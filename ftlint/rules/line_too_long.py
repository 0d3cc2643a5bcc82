import gzip
import json
from collections.abc import Iterator

from ftlint.engine.lines import Line
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


def gzip_of(*pieces: tuple[bytes, int]) -> bytes:
    """A .gz of each (chunk, times) piece's chunk repeated `times` times, one gzip
    member per chunk (gzip readers join members): each chunk is compressed once, so a
    few hundred kilobytes made in a millisecond stand for hundreds of MiB."""
    return b"".join(gzip.compress(chunk, mtime=0) * times for chunk, times in pieces)


# 301 MiB of NUL bytes with no line end (a preallocated download that never filled
# in), then a good row: ~350 KB compressed, 301 MiB as read.
NUL_LINE = gzip_of((bytes(1 << 18), 301 * 4), (f"\n{CHAT}\n".encode(), 1))
LONG_ROW = json.dumps({"text": "杭州位于浙江省北部，是浙江省省会。" * 20000}, ensure_ascii=False)  # 1 MiB


@register
class LineTooLong(Rule):
    """A line is longer than the largest file the platform accepts.

    No single row can be longer than the largest .jsonl upload (300 MB), so such a
    line is certainly unusable: usually a file with no line ends (CR-only line ends,
    a JSON array dumped on one line) or binary data. ftlint measures it without holding
    it in memory and goes on with the next line.

    Bad:   a 2 GB export with every row on one line
    Good:  one JSON object per line
    """

    code = "L106"
    slug = "line-too-long"
    severity = Severity.ERROR
    examples = (
        Fail((), At(line=1), data=NUL_LINE, name="train.jsonl.gz", note="a 301 MiB line (compressed here to keep the example small); line 2 is still checked"),
        Pass([CHAT, LONG_ROW, CHAT_EN], note="a 1 MiB row is long, but not too long to read"),
    )

    def check_line(self, line: Line) -> Iterator[Finding]:
        if line.oversized:
            yield self.finding(
                _("line is {value:,.0f} MiB long, more than any upload the platform takes; not read").format(value=line.oversized / 2**20),
                line=line.number,
                hint=_("put one JSON object per line (LF line ends)"),
            )
