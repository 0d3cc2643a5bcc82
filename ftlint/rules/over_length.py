import json
from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.rows import RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.options import CheckOptions
from ftlint.platform.tokenizers import consequence
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

# A DPO pair: the chosen answer is the longer one, and decides the row's length.
_DPO = json.dumps({
    "messages": [{"role": "user", "content": "Where is my order? I placed it on Monday and have heard nothing since."}],
    "chosen": {"role": "assistant", "content": "Sorry for the wait. Your order left our warehouse this morning; the tracking number is in your email, and it should arrive within two days."},
    "rejected": {"role": "assistant", "content": "I don't know."},
})
_DPO_ZH = json.dumps({
    "messages": [{"role": "user", "content": "你好"}],
    "chosen": {"role": "assistant", "content": "您好！"},
    "rejected": {"role": "assistant", "content": "嗯。"},
}, ensure_ascii=False)


@register
class OverLength(Rule):
    """A row is longer than the job's max_length, in tokens of the chosen model.

    The platform does not fail the job: it silently drops such rows (API SFT, API DPO,
    console SFT) or truncates them (console DPO), so you lose data without knowing.
    The limit is --max-length (default 8192 as today's docs recommend; 2048 on the old API) capped by the
    model's maximum; tokens are counted exactly, offline, with the model family's
    tokenizer and chat template (DPO: the longer of messages+chosen and
    messages+rejected). Needs --model. A file-level finding sums it up: how many rows,
    and what share of the file's training tokens, would be lost.

    Fix: shorten or split the long conversations, raise --max-length (up to the model's
    maximum), or choose a model with a longer context.

    Bad:   a 3,000-token conversation with --max-length 2048
    Good:  the conversation split in two, or --max-length 4096
    """

    code = "T101"
    slug = "over-length"
    severity = Severity.WARNING
    summary_fields = frozenset({"tokens"})
    examples = (
        Fail([CHAT, CHAT_EN], At(), At(line=2), options={"model": "qwen2.5-7b-instruct", "max_length": 50},
             note="the English conversation is 66 tokens (Qwen2.5's default system prompt included); the file-level sum comes first"),
        Fail([_DPO_ZH, _DPO], At(), At(line=2), options={"model": "qwen3-8b", "max_length": 40, "via": "console"},
             note="console DPO truncates the pair instead of dropping it"),
        Pass([CHAT, CHAT_EN], options={"model": "qwen2.5-7b-instruct"}, note="the default max_length, 2048"),
        Pass([CHAT, CHAT_EN], options={"max_length": 10}, note="without a model nothing is measured"),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.over_rows = 0
        self.lost_tokens = 0  # what is dropped, or cut off by truncation
        self.counted_tokens = 0  # tokens of the rows counted exactly
        self.uncounted_at_most = 0  # an upper bound of the rows proved within without a full count
        self.unbounded = False  # some row was neither counted nor bounded
        self.bounded = False  # some counts are lower bounds (rows far over the limit)

    def collect(self, summary: RowSummary) -> Iterator[Finding]:
        count = summary.tokens
        limit = self.options.token_limit
        model = self.options.model_entry
        if count is None or limit is None or model is None:
            return
        if count.tokens is None:
            if count.at_most is None:
                self.unbounded = True
            else:
                self.uncounted_at_most += count.at_most
            return
        self.counted_tokens += count.tokens
        if count.tokens <= limit:
            return
        self.bounded |= not count.exact
        fate = consequence(summary.format, self.options.via)
        self.over_rows += 1
        self.lost_tokens += count.tokens if fate == "dropped" else count.tokens - limit
        if count.exact:
            tokens = _("{tokens:,} tokens").format(tokens=count.tokens)
        else:  # the vocabulary is loaded only for a bound's explanation
            tokens = _("at least {tokens:,} tokens (a bound: its text is over {longest}× the limit in bytes)").format(tokens=count.tokens, longest=model.family.vocabulary.longest_token)
        yield self.finding(
            (_("{tokens} > limit {limit:,} ({model}): the platform drops this row via {via}") if fate == "dropped"
             else _("{tokens} > limit {limit:,} ({model}): the platform truncates it to {limit:,} tokens via {via}")).format(tokens=tokens, limit=limit, model=self.options.model, via=self.options.via),
            line=summary.line,
            hint=_("shorten or split the conversation, raise --max-length, or drop such rows: ftlint fix FILE --drop-overlength --model {model} -o OUT.jsonl").format(model=self.options.model or "MODEL"),
        )

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        if not self.over_rows:
            return
        fate = consequence(facts.format, self.options.via)
        share_rows = self.over_rows / facts.rows if facts.rows else 0
        lost = _("at least {lost_tokens:,}").format(lost_tokens=self.lost_tokens) if self.bounded else f"{self.lost_tokens:,}"
        tokens = _("{lost} tokens lost").format(lost=lost)
        if not self.bounded and not self.unbounded and not facts.read_error:
            # Rows proved within the limit were not counted in full (that is what keeps a
            # check fast), so the file's total is known only from above: the share is a
            # lower bound. `ftlint stats` counts every row for the exact total.
            most = self.counted_tokens + self.uncounted_at_most
            if most:
                exact = not self.uncounted_at_most
                share = f"{self.lost_tokens / most:.1%}" if exact else _("at least {value:.1%}").format(value=self.lost_tokens / most)
                total = f"{most:,}" if exact else _("at most {most:,}").format(most=most)
                tokens += (_(" ({share} of the file's {total} training tokens)") if exact else _(" ({share} of the file's {total} training tokens; ftlint stats counts them exactly)")).format(share=share, total=total)
        yield self.finding(
            (_("{over_rows:,} of {rows:,} rows ({share_rows:.1%}) exceed {token_limit:,} tokens and would be dropped: {tokens}") if fate == "dropped"
             else _("{over_rows:,} of {rows:,} rows ({share_rows:.1%}) exceed {token_limit:,} tokens and would be truncated: {tokens}")).format(
                over_rows=self.over_rows, rows=facts.rows, share_rows=share_rows, token_limit=self.options.token_limit, tokens=tokens),
            hint=_("ftlint stats shows the length distribution and the max_length that keeps every row"),
        )
