import json
from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.finding import Finding, Severity
from ftlint.foreign_formats import convert_from, output_name
from ftlint.i18n import _, count
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass

ALPACA = [{"instruction": "把下面的句子翻译成英文", "input": "今天天气很好。", "output": "The weather is nice today."},
          {"instruction": "Summarise in one sentence", "input": "The meeting moved to 3 pm because the room was booked.", "output": "The meeting is now at 3 pm."}]
SHAREGPT = [{"conversations": [{"from": "human", "value": "订单 A123 到哪了？"}, {"from": "gpt", "value": "已经发货，预计明天送达。"}]}]
MESSAGES = [{"messages": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！有什么可以帮你？"}]}]


@register
class JsonArray(Rule):
    """The file is one JSON array of rows, not JSON Lines.

    The platform reads one JSON object per line (JSON Lines). A file written with
    `json.dump(rows, f, indent=2)`, the usual shape of LLaMA-Factory and Alpaca
    datasets (`alpaca_zh_demo.json`), is a single array spread over many lines: the
    upload fails with error 14, as not one line of it is a row. ftlint reports it once,
    counts its elements and names the command that writes it as JSON Lines; its rows
    are checked once they are.

    Bad:   [⏎  {"instruction": "…", "output": "…"},⏎  …⏎]
    Good:  {"messages": [{"role": "user", "content": "…"}, …]}⏎{"messages": […]}

    Fix: `ftlint convert FILE.json --from alpaca -o FILE.jsonl` (or `--from sharegpt`,
    `--from openai`); rows already in the platform's format: `ftlint fix FILE.json -o
    FILE.jsonl`. Both read the array streaming and account for every element.
    """

    code = "F110"
    slug = "json-array"
    severity = Severity.ERROR
    platform_code = 14
    on_array_files = True
    examples = (
        Fail([json.dumps(ALPACA * 30, ensure_ascii=False, indent=2)], At(line=1, column=1), name="alpaca_zh_demo.json", note="Alpaca rows, pretty-printed"),
        Fail([json.dumps(SHAREGPT * 60, ensure_ascii=False)], At(line=1, column=1), name="sharegpt.json", note="one line: an array written without line breaks"),
        Fail([json.dumps(MESSAGES * 60, ensure_ascii=False, indent=1)], At(line=1, column=1), name="train.json", note="platform rows, but in an array"),
        Fail(["[", json.dumps(ALPACA[0], ensure_ascii=False) + ","], At(line=1, column=1), name="cut.json", note="an array cut short"),
        Pass([json.dumps(row, ensure_ascii=False) for row in MESSAGES * 60], name="train.json", note="JSON Lines in a .json file is fine"),
        Pass(['[{"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！"}]'], note="a bare messages list on one line is L105's"),
    )

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        array = facts.array
        if array is None:
            return
        name = facts.source.name
        out = output_name(name)
        source_format = convert_from(array.first)
        if source_format is not None:
            command = f"ftlint convert {name} --from {source_format} -o {out}"
        else:
            command = f"ftlint fix {name} -o {out}"
        message = _("the file is one JSON array of {rows}, not JSON Lines: the platform reads one object per line").format(rows=count(array.elements, "row"))
        if array.error:
            message += _("; the array is broken at line {line}: {error}").format(line=array.error_line, error=array.error)
        yield self.finding(message, line=1, column=1, hint=_("write it as JSON Lines: {command}").format(command=command))

