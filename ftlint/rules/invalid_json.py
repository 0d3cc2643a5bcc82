import re
from collections.abc import Iterable

from ftlint.engine.lines import SYNTAX, Line
from ftlint.finding import Finding, Severity
from ftlint.i18n import N_, _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

# A line that is a piece of an indented object: a lone bracket, a `"key": value` line,
# or a line ending in an opening bracket or a comma.
_PRETTY_PIECE = re.compile(r'^([\[\]{}],?|"[^"]*"\s*:.*|[}\]].*|.*[{\[,])$')


@register
class InvalidJson(Rule):
    """A line is not parseable as JSON.

    Every line must hold one complete JSON object. Otherwise the job fails with error 14
    ("data is not parseable as JSON"). ftlint gives the column where parsing stopped and
    names the likely cause. The cause is a guess, labelled "likely": single quotes
    (a Python dict written with str()), Python's True/False/None, a trailing comma, a
    pretty-printed object split over several lines, two objects on one line, or a line
    cut short.

    JSON that Python's json reads but that still cannot be used has rules of its own:
    NaN and Infinity (L110 non-finite-number) and nesting too deep for Python's json
    (L108 nesting-too-deep). A line with NaN and a syntax error as well is this rule's.

    Bad:   {'messages': [{'role': 'user', 'content': '你好'}]}
    Good:  {"messages": [{"role": "user", "content": "你好"}]}

    A full-width colon, comma or quote typed by a Chinese input method (`：` `，` `“`)
    is named with its code point and column; so is a comma lost between two values.

    Fix: write the file with a JSON serializer (`json.dumps(row, ensure_ascii=False)`),
    one object per line.
    """

    code = "L104"
    slug = "invalid-json"
    severity = Severity.ERROR
    platform_code = 14
    examples = (
        Fail([CHAT, "{'messages': [{'role': 'user', 'content': '你好'}]}"], At(line=2, column=2), note="single quotes: a Python dict written with str()"),
        Fail(['{"prompt": "1/0 = ?", "completion": "undefined", "score": NaN,}'], At(line=1, column=63), note="NaN and a trailing comma: the syntax error is this rule's"),
        Fail(['{"prompt": "你好", "completion": "你好！",}', CHAT], At(line=1, column=38), note="a trailing comma"),
        Fail(["{", '  "prompt": "你好",', '  "completion": "你好！"', "}"], At(line=1, column=2), At(line=2, column=11), At(line=3, column=15), At(line=4, column=1),
             note="a pretty-printed object: every line of it fails"),
        Fail([CHAT + " " + CHAT_EN], At(line=1, column=len(CHAT) + 2), note="two objects on one line"),
        Fail(['{"messages": [{"role"："user", "content": "你好"}]}'], At(line=1, column=22), note="a full-width colon after a key"),
        Fail(['{"messages": [{"role": “user”, "content": "你好"}]}'], At(line=1, column=24), note="curly quotes"),
        Fail(['{"prompt": "你好"， "completion": "你好！"}'], At(line=1, column=16), note="a full-width comma"),
        Fail(['{"prompt": "你好" "completion": "你好！"}'], At(line=1, column=17), note="a comma lost in a paste"),
        Pass([CHAT, CHAT_EN]),
        Pass(["[1, 2]", "null"], note="valid JSON that is not an object is L105's"),
        Pass([CHAT, '{"prompt": "1/0 = ?", "completion": "undefined", "score": NaN}'], note="NaN alone is L110's"),
    )

    def check_line(self, line: Line) -> Iterable[Finding]:
        error = line.json_error
        if error is None or error.kind != SYNTAX:
            return ()
        return (
            self.finding(
                _("not valid JSON: {reason}").format(reason=error.reason),
                line=line.number,
                column=error.column,
                hint=likely_cause(error.text, error.reason, error.column),
            ),
        )


def likely_cause(text: str, reason: str, column: int) -> str:
    """A guess at why a line does not parse, worded as a guess."""
    stripped = text.strip()
    at = text[column - 1 : column + 8] if column else ""
    punctuation = _full_width(text, reason, column)
    if punctuation is not None:
        return punctuation
    if "\r" in text.rstrip("\r"):
        cause = _("the file uses CR-only (old Mac) line ends, so rows run together: convert them to LF")
    elif re.search(r"(^|[\[{,:]\s*)'", stripped) and '"' not in stripped[:3]:
        cause = _("single quotes: JSON strings and keys need double quotes")
    elif re.search(r"\b(NaN|-?Infinity)\b", at):
        cause = _("NaN/Infinity are not JSON: write null or a number")
    elif re.match(r"(True|False|None)\b", at):
        cause = _("Python literal: write true, false or null")
    elif _PRETTY_PIECE.match(stripped) and not (stripped.startswith("{") and len(stripped) > 1 and stripped.endswith("}")):
        cause = _("part of a pretty-printed object split over several lines: put each object on one line")
    elif "Extra data" in reason:
        cause = _("more than one JSON value on the line: put each object on its own line")
    elif stripped.startswith("{") and not stripped.endswith("}"):
        cause = _("the line ends before the object does: truncated line, or an object split over lines")
    elif re.search(r",\s*[}\]]", text[max(0, column - 5) : column + 1]):
        cause = _("trailing comma before a closing bracket")
    elif "Unterminated string" in reason or "Invalid control character" in reason:
        cause = _("a raw line break or control character inside a string: escape it as \\n")
    elif "Invalid \\escape" in reason:
        cause = _("a backslash that starts no JSON escape: write \\\\ for a literal backslash")
    else:
        return _("likely cause: malformed JSON near the column shown")
    return _("likely cause: {cause}").format(cause=cause)


# Characters a Chinese input method types where JSON needs ASCII: what each is, and
# what JSON needs instead.
FULL_WIDTH = {
    "“": (N_("a curly quote"), '"'), "”": (N_("a curly quote"), '"'), "‘": (N_("a curly quote"), '"'), "’": (N_("a curly quote"), '"'),
    "＂": (N_("a full-width quote"), '"'), "：": (N_("a full-width colon"), ":"), "，": (N_("a full-width comma"), ","),
    "｛": (N_("a full-width brace"), "{"), "｝": (N_("a full-width brace"), "}"), "［": (N_("a full-width bracket"), "["),
    "］": (N_("a full-width bracket"), "]"), "　": (N_("a full-width space"), " "), "、": (N_("an enumeration comma"), ","),
}


def _full_width(text: str, reason: str, column: int) -> str | None:
    """The cause when parsing stopped at (or just after) full-width punctuation or a
    curly quote, or where a comma is missing between two values: named with its
    character, code point and column."""
    if not column:
        return None
    for at in range(column - 1, max(column - 4, -1), -1):  # the character itself, or just before it
        char = text[at] if at < len(text) else ""
        if char in FULL_WIDTH:
            what, ascii_char = FULL_WIDTH[char]
            return _("likely cause: {what} {char} (U+{code}) at column {column}, where JSON needs `{ascii}` (typed by a Chinese input method?)").format(
                what=_(what), char=char, code=f"{ord(char):04X}", column=at + 1, ascii=ascii_char)
    if reason.startswith("Expecting ',' delimiter") and text[column - 1 : column] in ('"', "{", "["):
        return _("likely cause: a comma is missing before column {column}, between two values (a paste that lost its comma?)").format(column=column)
    return None
