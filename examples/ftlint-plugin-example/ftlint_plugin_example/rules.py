"""An example plugin rule. A plugin module defines Rule subclasses exactly like
ftlint's built-in rules; ftlint registers every one it finds in the module."""

from ftlint.finding import Severity
from ftlint.engine.rows import MESSAGES
from ftlint.rules.base import Rule

PHRASES = ("as an AI language model", "作为一个人工智能语言模型")


class AiApology(Rule):
    """An assistant answer apologises for being an AI language model.

    Such boilerplate, copied from another model's output, teaches the tuned model to
    refuse and to talk about itself instead of answering.

    Bad:   {"role": "assistant", "content": "I'm sorry, but as an AI language model, I cannot…"}
    Good:  {"role": "assistant", "content": "Here is how to do it: …"}
    """

    code = "X101"
    slug = "ai-apology"
    severity = Severity.WARNING
    formats = frozenset({MESSAGES})

    def check_row(self, row):
        for index, message in enumerate(row.messages() or ()):
            if not isinstance(message, dict):
                continue
            content = message.get("content")
            if message.get("role") == "assistant" and isinstance(content, str) and any(p.lower() in content.lower() for p in PHRASES):
                yield self.finding("the answer apologises as an AI language model", line=row.line, path=f"messages[{index}].content")
