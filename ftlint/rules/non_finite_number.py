from collections.abc import Iterable

from ftlint.engine.lines import CONSTANT, Line
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


@register
class NonFiniteNumber(Rule):
    """A number is NaN, Infinity or -Infinity.

    Python's `json` reads `NaN`, `Infinity` and `-Infinity` (`json.loads('{"a": NaN}')`
    gives `{'a': nan}`), and `json.dumps` writes them for float('nan') and float('inf'),
    which is how they get into datasets. They are not JSON: RFC 8259 (section 6) does
    not permit them, and orjson, Go's encoding/json, JavaScript's JSON.parse and Java's
    Jackson (by default) refuse the line. The platform's documents ask for one JSON
    object per line and give error 14 for a line that is not parseable as JSON; the
    platform rules this project follows list NaN as a cause of it. So ftlint keeps them
    an error, and the row is not checked further.

    The rule has its own code so that a pipeline known to read the file only with
    Python's `json`, and to ignore the field, can turn it off with `--ignore L110`
    (the row is still not checked further). Even then a NaN in a value that is
    trained on, such as `loss_weight`, poisons training. A line with NaN and a syntax
    error as well is reported once, as L104. A number too large for a double (1e999) is
    valid JSON and is not reported: Python's `json` reads it as inf.

    Bad:   {"prompt": "1/0 = ?", "completion": "undefined", "score": NaN}
    Good:  {"prompt": "1/0 = ?", "completion": "undefined", "score": null}

    Fix: write null or a finite number; `json.dumps(row, allow_nan=False)` refuses to
    write them, so the writer finds the rows.
    """

    code = "L110"
    slug = "non-finite-number"
    severity = Severity.ERROR
    platform_code = 14
    examples = (
        Fail([CHAT, '{"prompt": "1/0 = ?", "completion": "undefined", "score": NaN}'], At(line=2, column=59), note="NaN, as json.dumps writes float('nan')"),
        Fail(['{"messages": [{"role": "user", "content": "最高温度？"}, {"role": "assistant", "content": "未知"}], "max": Infinity, "min": -Infinity}', CHAT_EN],
             At(line=1, column=101), note="Infinity: one finding for the line, at the first"),
        Pass([CHAT, '{"prompt": "NaN 是什么意思？", "completion": "NaN 表示“不是一个数”（Not a Number）。", "score": 1e999}'],
             note="NaN inside a string, and a number too large for a double (valid JSON)"),
    )

    def check_line(self, line: Line) -> Iterable[Finding]:
        error = line.json_error
        if error is None or error.kind != CONSTANT:
            return ()
        constant = error.reason.split(" ", 1)[0]
        return (
            self.finding(
                _("{constant} is not JSON: Python's json reads it as float({lower!r}), most JSON parsers refuse the line").format(constant=constant, lower=constant.lower()),
                line=line.number,
                column=error.column,
                hint=_("write null or a finite number; if it is a measurement that failed, drop the field"),
            ),
        )
