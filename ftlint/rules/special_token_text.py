import json
import re
from collections.abc import Iterator
from functools import cache

from ftlint.engine.rows import Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.platform.catalog import catalog
from ftlint.platform.conversations import conversations_of
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass, row


@cache
def _pattern(specials: frozenset[str]) -> re.Pattern[str]:
    # Control tokens of the <|...|> kind; <think> and <tool_call> tags have rules of their own.
    controls = sorted((t for t in specials if t.startswith("<|")), key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in controls))


@register
class SpecialTokenText(Rule):
    """Text contains a special token of the model's chat format, such as <|im_start|>.

    The tokenizer reads `<|im_start|>`, `<|im_end|>` or `<|endoftext|>` inside content
    as the control token itself (one token), not as text: the model then learns a
    broken conversation structure (a message ending early, a fake system turn). Usually
    the row was rendered with a chat template twice, or copied from a log. ftlint counts
    such rows as the tokenizer would. Without --model, the Qwen ChatML tokens are checked.

    Bad:   {"role": "user", "content": "<|im_start|>system\\n你是客服<|im_end|>"}
    Good:  {"role": "system", "content": "你是客服"}
    """

    code = "T102"
    slug = "special-token-text"
    severity = Severity.WARNING
    examples = (
        Fail([CHAT, row("<|im_start|>system\n你是客服<|im_end|>\n<|im_start|>user\n你好", "您好！")], At(line=2)),
        Fail([row("Where is my order?", "It ships within 24 hours.<|im_end|>", "Thanks", "You're welcome."),
              '{"messages": [{"role": "user", "content": "Hi\\u003c|endoftext|>"}, {"role": "assistant", "content": "Hello!"}]}',
              json.dumps({"text": "Qwen 是阿里云研发的大语言模型。<|endoftext|>"}, ensure_ascii=False)],
             At(line=1), At(line=2), At(line=3), options={"model": "qwen3-8b"},
             note="one finding per row: a copied end token, one spelt with a JSON escape, and CPT text"),
        Pass([CHAT, CHAT_EN, row("How do I write <| im_start |> in a prompt?", "With spaces inside, as you did: it stays text.")]),
        Pass([row("我的快递到哪了？", "<think>\n用户在问物流\n</think>\n\n我来查一下。")], options={"model": "qwen3-8b"},
             note="think tags are M110's, not control tokens here"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        if b"<" not in row.raw and b"\\u" not in row.raw:  # no "<" and no escape that could spell one
            return
        model = self.options.model_entry
        specials = model.family.special_tokens if model else catalog()["qwen-turbo"].family.special_tokens
        pattern = _pattern(frozenset(specials))
        for kind, value, _where in conversations_of(row):
            texts = [value] if kind == "text" else [m.get("content") for m in value]
            for text in texts:
                if isinstance(text, str) and (found := pattern.search(text)):
                    yield self.finding(
                        _("text contains the special token {group}, which the tokenizer reads as a control token").format(group=found.group(0)),
                        line=row.line,
                        hint=_("remove it, or write it differently (e.g. <| im_start |>) if the text is about it"),
                    )
                    return
