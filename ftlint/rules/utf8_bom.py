from collections.abc import Iterator

from ftlint.engine.lines import BOM, Line
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


@register
class Utf8Bom(Rule):
    """The file starts with a UTF-8 byte order mark (BOM).

    Windows tools (Notepad, Excel "UTF-8 with BOM") put the invisible bytes EF BB BF at
    the start of the file. The platform's JSON parser does not skip them, so line 1 is
    "not parseable as JSON" and the job fails with error 14.

    Fix: save the file as UTF-8 without BOM (in VS Code: "Save with Encoding" → UTF-8).

    Bad:   bytes EF BB BF, then {"messages": [...]} on line 1
    Good:  {"messages": [...]} on line 1
    """

    code = "L102"
    slug = "utf8-bom"
    severity = Severity.ERROR
    platform_code = 14
    examples = (
        Fail((), At(line=1, column=1), data=BOM + f"{CHAT}\n{CHAT_EN}\n".encode()),
        Fail((), At(line=1, column=1), data=BOM + b"\n" + f"{CHAT}\n".encode(), note="a BOM before a blank first line"),
        Pass([CHAT, CHAT_EN]),
        Pass((), data=f"{CHAT}\n".encode() + BOM + f"{CHAT_EN}\n".encode(), note="a BOM inside the file (two files concatenated) is invalid JSON on that line: L104"),
    )

    def check_line(self, line: Line) -> Iterator[Finding]:
        if line.bom:
            yield self.finding(
                _("file starts with a UTF-8 byte order mark (BOM)"),
                line=line.number,
                column=1,
                hint=_("save the file as UTF-8 without BOM (ftlint fix FILE -o OUT.jsonl removes it)"),
            )
