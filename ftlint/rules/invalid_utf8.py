from collections.abc import Iterator

from ftlint.engine.lines import Line
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

GBK_ROW = '{"prompt": "你好", "completion": "你好！有什么可以帮您？"}'


@register
class InvalidUtf8(Rule):
    """A line is not valid UTF-8.

    The platform reads datasets as UTF-8. A line in another encoding (GBK/GB18030 from
    Chinese Windows tools, Latin-1, UTF-16 exports) or with corrupted bytes cannot be
    decoded, so it is not parseable as JSON and the job fails with error 14.

    Fix: re-encode the file as UTF-8 (e.g. `iconv -f GB18030 -t UTF-8 in.jsonl > out.jsonl`).

    Bad:   {"prompt": "你好"} saved as GBK (bytes C4 E3 BA C3)
    Good:  the same line saved as UTF-8 (bytes E4 BD A0 E5 A5 BD)
    """

    code = "L103"
    slug = "invalid-utf8"
    severity = Severity.ERROR
    platform_code = 14
    examples = (
        Fail((), At(line=2, column=13), data=f"{CHAT_EN}\n".encode() + f"{GBK_ROW}\n".encode("gbk"), note="a row saved as GBK"),
        Fail((), At(line=1, column=16), data='{"prompt": "Café au lait?", "completion": "A coffee with milk."}\n'.encode("latin-1"), note="Latin-1"),
        Fail(
            (),
            At(line=1, column=43),
            data='{"prompt": "法语的咖啡怎么写？", "completion": "'.encode() + "Café".encode("latin-1") + b'"}\n',
            note="UTF-8 and Latin-1 mixed in one line: the column counts characters, not bytes",
        ),
        Pass([CHAT, CHAT_EN, GBK_ROW]),
    )

    def check_line(self, line: Line) -> Iterator[Finding]:
        if line.utf8_error:
            column, reason = line.utf8_error
            hint = _("re-encode the file as UTF-8")
            if b"\x00" in line.raw:
                hint = _("the line holds NUL bytes: a UTF-16 export or a binary file? re-encode as UTF-8")
            yield self.finding(reason, line=line.number, column=column, hint=hint)
