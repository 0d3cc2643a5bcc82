import json
from collections.abc import Iterator

from ftlint.engine.rows import FORMATS, Row
from ftlint.finding import Finding, Severity
from ftlint.foreign_formats import SOURCE_NAMES, convert_from
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

SHAREGPT = json.dumps({"conversations": [{"from": "human", "value": "你好"}, {"from": "gpt", "value": "你好！有什么可以帮您？"}]}, ensure_ascii=False)
SHAREGPT_DPO = json.dumps({"conversations": [{"from": "human", "value": "介绍一下西湖。"}], "chosen": {"from": "gpt", "value": "西湖位于杭州。"},
                           "rejected": {"from": "gpt", "value": "不知道。"}}, ensure_ascii=False)
ALPACA = json.dumps({"instruction": "Translate to English", "input": "早上好", "output": "Good morning"}, ensure_ascii=False)


@register
class UnknownFormat(Rule):
    """A row matches none of the dataset formats the platform takes.

    ftlint recognises a row by its keys: `messages` (SFT, or DPO with `chosen` and
    `rejected`), `prompt`/`completion`, or `text` (legacy Human/Assistant text or CPT
    text). A row with none of them trains nothing; typical causes are another tool's
    format (ShareGPT `conversations`, Alpaca `instruction`/`output`) or a typo in a key.

    Bad:   {"conversations": [{"from": "human", "value": "你好"}]}
    Good:  {"messages": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！"}]}

    Fix: `ftlint convert FILE --from sharegpt -o OUT.jsonl` (or `--from alpaca`,
    `--from openai`); the hint names the one the row needs.
    """

    code = "R101"
    slug = "unknown-format"
    severity = Severity.ERROR
    examples = (
        Fail([CHAT, SHAREGPT, ALPACA], At(line=2), At(line=3), note="ShareGPT and Alpaca rows"),
        Fail([SHAREGPT_DPO, CHAT], At(line=1), note="a ShareGPT preference row: one finding, not one per missing DPO field"),
        Fail([CHAT_EN, '{"message": [{"role": "user", "content": "你好"}]}', "{}"], At(line=2), At(line=3), note="a misspelt key, and no keys"),
        Fail(['{"role": "user", "content": "你好"}', '{"role": "assistant", "content": "你好！"}'], At(line=1), At(line=2), note="messages written one per line"),
        Pass([CHAT, CHAT_EN, '{"prompt": "1+1=?", "completion": "2"}', '{"text": "杭州位于浙江省北部。"}']),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        if row.format is None:
            keys = ", ".join(sorted(row.data)[:6]) or _("no keys")
            hint = _("use one of: {formats}").format(formats="; ".join(FORMATS.values()))
            source = convert_from(row.data)
            if source is not None:
                hint = _("this is {name} data: ftlint convert FILE --from {source} -o OUT.jsonl writes it in the platform's format").format(name=SOURCE_NAMES[source], source=source)
            elif "role" in row.data and "content" in row.data:
                hint = _("this is a single message: part of a pretty-printed row (ftlint fix FILE -o OUT.jsonl joins those) or a messages list split over lines?")
            yield self.finding(_("row matches no dataset format (keys: {keys})").format(keys=keys), line=row.line, hint=hint)
