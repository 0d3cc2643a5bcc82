"""Example plugin rules. A plugin module defines Rule subclasses exactly like
ftlint's built-in rules; ftlint registers every one it finds in the module."""

from ftlint import MESSAGES, Rule, Severity

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


class RepeatedRows(Rule):
    """Rows repeat an earlier row, and what that costs (an example of a rule with
    state across rows).

    A rule that remembers rows keeps its state in ``collect(summary)`` and declares the
    summary fields it reads; ftlint then hands it the same summaries, in file order,
    whether the file is checked serially or by worker processes. This one counts the
    repeats and, with --model, the training tokens they add.

    Bad:   the same conversation on lines 4 and 900
    Good:  every conversation once
    """

    code = "X102"
    slug = "repeated-rows"
    severity = Severity.INFO
    summary_fields = frozenset({"digest", "tokens"})

    def __init__(self, options):
        super().__init__(options)
        self.first: dict[bytes, int] = {}
        self.repeats = 0
        self.counted = 0  # repeats whose tokens were counted
        self.tokens = 0

    def collect(self, summary):
        first = self.first.setdefault(summary.digest, summary.line)
        if first == summary.line:
            return
        self.repeats += 1
        count = summary.tokens
        if count is not None and count.tokens is not None:
            self.counted += 1
            self.tokens += count.tokens
        yield self.finding(f"repeats line {first}", line=summary.line)

    def finish(self, facts):
        if self.repeats:
            cost = f"; {self.tokens:,} tokens in the {self.counted:,} that were counted" if self.counted else ""
            yield self.finding(f"{self.repeats:,} of {facts.rows:,} rows repeat an earlier row{cost}")
