from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


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

    def check_line(self, line):
        if line.bom:
            yield self.finding(
                "file starts with a UTF-8 byte order mark (BOM)",
                line=line.number,
                column=1,
                hint="save the file as UTF-8 without BOM",
            )
