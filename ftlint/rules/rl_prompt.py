import json
from collections.abc import Iterator
from typing import Any

from ftlint.engine.rows import RL_PROMPT, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._chat import messages, path
from ftlint.rules._fields import json_type
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass


def rl(*messages: dict[str, Any], rollout_extra: Any = ...) -> str:
    extra = {"solution": "42", "tests": ["assert answer() == 42"]} if rollout_extra is ... else rollout_extra
    return json.dumps({"messages": list(messages), "rollout_extra": extra}, ensure_ascii=False)


_SYSTEM = {"role": "system", "content": "你是一个数学助手，请一步步推理并给出最终答案。"}
_MATH = {"role": "user", "content": "一个数的 6 倍是 252，这个数是多少？"}
_CODE = {"role": "user", "content": "Write a Python function answer() that returns the answer to 6 * 7."}


@register
class RlPrompt(Rule):
    """An RL prompt row is not a prompt with its `rollout_extra`.

    Reinforcement-learning (GSPO) data gives the model prompts, not answers: the model
    writes the answers itself during rollouts and a reward function scores them. A row
    is `{"messages": [...], "rollout_extra": {...}}`: `messages` holds the user's
    prompt, after an optional system message, and no assistant or tool turn;
    `rollout_extra` is an object with whatever the reward function reads (for example
    `solution`, `tests`, `expected_tools`; `ground_truth` is extracted automatically).
    The docs define no `reward` field: rewards are computed, not given.

    Bad:   {"messages": [{"role": "user", ...}, {"role": "assistant", ...}], "rollout_extra": {}}
    Good:  {"messages": [{"role": "user", "content": "6 倍是 252，这个数是多少？"}], "rollout_extra": {"solution": "42"}}
    """

    code = "G101"
    slug = "rl-prompt"
    severity = Severity.ERROR
    formats = frozenset({RL_PROMPT})
    examples = (
        Fail([rl(_SYSTEM, _MATH), rl(_MATH, {"role": "assistant", "content": "42"})], At(line=2, path="messages[1].role"), note="an answer in an RL prompt"),
        Fail([rl(_CODE, rollout_extra="42"), rl(_MATH, _SYSTEM), rl(_SYSTEM), rl(_MATH, rollout_extra={"solution": "42", "reward": 1.0})],
             At(line=1, path="rollout_extra"), At(line=2, path="messages[1].role"), At(line=3, path="messages"), At(line=4, path="rollout_extra.reward"),
             note="rollout_extra a string; a system message after the prompt; no user prompt; a reward given"),
        Pass([rl(_SYSTEM, _MATH), rl(_CODE), rl(_MATH, {"role": "user", "content": "只写出最终数字。"})], note="a system message is optional"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        extra = row.data.get("rollout_extra")
        if not isinstance(extra, dict):
            yield self.finding(_("`rollout_extra` is {json_type}, not an object").format(json_type=json_type(extra)), line=row.line, path="rollout_extra",
                               hint=_("give what the reward function reads, e.g. {\"solution\": \"42\"}"))
        elif "reward" in extra:
            yield self.finding(_("`rollout_extra` gives a reward: RL computes rewards from the model's answers"), line=row.line, path="rollout_extra.reward",
                               hint=_("give what the reward is computed from (solution, tests, ...) instead"))
        users = 0
        for index, message in messages(row):
            role = message.get("role")
            if role == "user":
                users += 1
            elif role == "system" and index != 0:
                yield self.finding(_("a system message after the prompt"), line=row.line, path=path(index, "role"), hint=_("put the system message first"))
            elif role in ("assistant", "tool"):
                yield self.finding((_("an assistant turn in an RL prompt: the model writes the answers during rollouts") if role == "assistant" else _("a tool turn in an RL prompt: the model writes the answers during rollouts")), line=row.line, path=path(index, "role"),
                                   hint=_("keep only the system and user messages"))
        if users == 0 and isinstance(row.data.get("messages"), list) and row.data["messages"]:
            yield self.finding(_("the row has no user prompt"), line=row.line, path="messages")
