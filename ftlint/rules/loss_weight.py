import dataclasses
import json
import math
from collections.abc import Iterable, Iterator
from typing import Any

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.rows import DPO, RL_PROMPT, Row, RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import _, ngettext
from ftlint.options import CheckOptions
from ftlint.platform.limits import NUMBER_TEXT
from ftlint.rules._chat import CHAT_FORMATS, every_message, is_thinking_row, last_assistant, path
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass


def _chat(*messages: dict[str, Any]) -> str:
    return json.dumps({"messages": list(messages)}, ensure_ascii=False)


def _dpo(chosen: dict[str, Any], rejected: dict[str, Any], *context: dict[str, Any]) -> str:
    messages = list(context) or [{"role": "user", "content": "订单什么时候发货？"}]
    return json.dumps({"messages": messages, "chosen": chosen, "rejected": rejected}, ensure_ascii=False)


def weight(value: Any) -> float | None:
    """The weight as a number: a JSON number, or a string holding a decimal number;
    None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and NUMBER_TEXT.fullmatch(value):  # a decimal string, as the rules page's "1.0"
        return float(value)
    return None


@register
class LossWeight(Rule):
    """`loss_weight` is where the docs do not allow it, or not a weight.

    `loss_weight` scales how much one assistant message trains. The docs allow it on
    every assistant message of a plain SFT row, only on the last assistant message of
    a thinking row (the only one trained), and only inside `chosen` of a DPO row. It is
    a number, or a string holding one ("1.0", as the data-format page's example
    writes it), in the range the data-format page gives, (0.0, 1.0]; the overview
    writes 0.0~1.0, so exactly 0 is a warning rather than an error (it would train
    nothing anyway). Whether your account may use it also differs by page: the
    overview calls it invitation-only, the data-format page on by default for qwen3.5
    and later and enabled by the business manager for Qwen3 and Qwen2.5; a file that
    uses it gets one note saying so.

    Bad:   {"role": "user", "content": "你好", "loss_weight": 2}
    Good:  {"role": "assistant", "content": "好的", "loss_weight": 0.5}
    """

    code = "M111"
    slug = "loss-weight"
    severity = Severity.ERROR
    formats = CHAT_FORMATS
    summary_fields = frozenset({"loss_weights"})
    examples = (
        Fail([CHAT, _chat({"role": "user", "content": "你好"}, {"role": "assistant", "content": "好的", "loss_weight": 2})],
             At(severity=Severity.INFO), At(line=2, path="messages[1].loss_weight")),
        Fail([_chat({"role": "user", "content": "Where is my order?", "loss_weight": 1}, {"role": "assistant", "content": "It ships today.", "loss_weight": "0.5"},
                    {"role": "user", "content": "Thanks!"}, {"role": "assistant", "content": "You're welcome.", "loss_weight": 0}),
              _chat({"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!", "loss_weight": "high"}),
              _chat({"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!", "loss_weight": True})],
             At(severity=Severity.INFO), At(line=1, path="messages[0].loss_weight"), At(line=1, path="messages[3].loss_weight", severity=Severity.WARNING),
             At(line=2, path="messages[1].loss_weight"), At(line=3, path="messages[1].loss_weight"),
             note='on a user message; "0.5" as a string is fine; 0 (warning); a word; a boolean'),
        Fail([_chat({"role": "user", "content": "我的快递到哪了？"}, {"role": "assistant", "content": "正在查询。", "loss_weight": 1.0},
                    {"role": "user", "content": "快点"}, {"role": "assistant", "content": "<think>\n安抚\n</think>\n\n明天送达。", "loss_weight": 1.0}),
              _dpo({"role": "assistant", "content": "明天发货。", "loss_weight": 1.0}, {"role": "assistant", "content": "不知道。", "loss_weight": 0.2})],
             At(severity=Severity.INFO), At(line=1, path="messages[1].loss_weight"), At(line=2, path="rejected.loss_weight"),
             note="an earlier turn of a thinking row; rejected in a DPO row (chosen may carry it)"),
        Pass([CHAT, CHAT_EN]),
        Pass([_chat({"role": "user", "content": "你好"}, {"role": "assistant", "content": "您好！", "loss_weight": 0.3},
                    {"role": "user", "content": "谢谢"}, {"role": "assistant", "content": "不客气。", "loss_weight": "1.0"})],
             options={"model": "qwen3.6-27b"}, note="every assistant message of a plain SFT row, for a qwen3.5+ model (on by default: no note)"),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.used = 0
        self.first: int | None = None

    def check_row(self, row: Row) -> Iterator[Finding]:
        if not row.may_hold(b"loss_weight"):
            return
        last = last_assistant(row)
        thinking = is_thinking_row(row)
        for where, message in every_message(row):
            if "loss_weight" not in message:
                continue
            at = path(where, "loss_weight")
            place = _misplaced(row, where, message, thinking, last)
            if place:
                yield self.finding(f"loss_weight {place}", line=row.line, path=at, hint=_("remove it there"))
                continue
            value = weight(message["loss_weight"])
            if value is None:
                yield self.finding(_("loss_weight {message!r} is not a number").format(message=message['loss_weight']), line=row.line, path=at, hint=_("write a number in (0, 1], e.g. 0.5 or \"0.5\""))
            elif value == 0:
                yield dataclasses.replace(
                    self.finding(_("loss_weight 0 trains nothing; the data-format page allows (0.0, 1.0], the overview 0.0~1.0"), line=row.line, path=at,
                                 hint=_("drop the message from training another way, or use a small positive weight")),
                    severity=Severity.WARNING,
                )
            elif not math.isfinite(value) or not 0 < value <= 1:
                yield self.finding(_("loss_weight {message!r} is outside (0.0, 1.0]").format(message=message['loss_weight']), line=row.line, path=at)

    def collect(self, summary: RowSummary) -> Iterable[Finding]:
        if summary.loss_weights:
            self.used += summary.loss_weights
            self.first = self.first or summary.line
        return ()

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        model = self.options.model_entry
        if not self.used or (model is not None and model.family.name == "qwen3.5"):
            return
        who = _("for {model}").format(model=model.name) if model else _("for Qwen3 and Qwen2.5 models")
        yield dataclasses.replace(
            self.finding(
                ngettext("{used:,} message uses loss_weight (first at line {first}): {who} the data-format page says the business manager enables it (the overview: invitation-only); qwen3.5 and later have it on by default",
                         "{used:,} messages use loss_weight (first at line {first}): {who} the data-format page says the business manager enables it (the overview: invitation-only); qwen3.5 and later have it on by default",
                         self.used).format(used=self.used, first=self.first, who=who),
                hint=_("ask for it to be enabled before training, or remove loss_weight"),
            ),
            severity=Severity.INFO,
        )


def _misplaced(row: Row, where: int | str, message: dict[str, Any], thinking: bool, last: tuple[int, dict[str, Any]] | None) -> str | None:
    """Why loss_weight may not stand on this message, or None when it may."""
    if row.format == RL_PROMPT:
        return _("in an RL prompt row, which has no answer to weigh")
    if message.get("role") != "assistant":
        return _("on a {get} message: only assistant messages are trained").format(get=message.get('role'))
    if row.format == DPO:
        return None if where == "chosen" else _("outside `chosen`: in a DPO row only the chosen answer may carry it")
    if thinking and last is not None and where != last[0]:
        return _("on an earlier turn of a thinking row: only the last assistant turn is trained")
    return None
