from ftlint.finding import Severity
from ftlint.rules.base import Rule, register
from ftlint.platform.tokenizers import consequence, longest_token, measured_length


@register
class OverLength(Rule):
    """A row is longer than the job's max_length, in tokens of the chosen model.

    The platform does not fail the job: it silently drops such rows (API SFT, API DPO,
    console SFT) or truncates them (console DPO), so you lose data without knowing.
    The limit is --max-length (default 2048, as the platform's API) capped by the
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
    needs_all_rows = True

    def __init__(self, options):
        super().__init__(options)
        self.over_rows = 0
        self.over_tokens = 0
        self.lost_tokens = 0  # what is dropped, or cut off by truncation
        self.counted_tokens = 0  # tokens of the rows counted in the first pass
        self.bounded = False  # some counts are lower bounds (rows far over the limit)

    def check_row(self, row):
        tokens = measured_length(row, self.options)
        limit = self.options.token_limit
        if tokens is None:
            return
        self.counted_tokens += tokens
        if tokens <= limit:
            return
        self.bounded |= not row.tokens_exact
        fate = consequence(row.format, self.options.via)
        self.over_rows += 1
        self.over_tokens += tokens
        self.lost_tokens += tokens if fate == "dropped" else tokens - limit
        longest = longest_token(self.options.model_entry.family.vocabulary.file)
        count = f"{tokens:,} tokens" if row.tokens_exact else f"at least {tokens:,} tokens (a bound: its text is over {longest}× the limit in bytes)"
        yield self.finding(
            f"{count} > limit {limit:,} ({self.options.model}): the platform {'drops this row' if fate == 'dropped' else f'truncates it to {limit:,} tokens'} via {self.options.via}",
            line=row.line,
            hint="shorten or split the conversation, or raise --max-length",
        )

    def finish(self, facts):
        if not self.over_rows:
            return
        fate = consequence(facts.format, self.options.via)
        share_rows = self.over_rows / facts.rows if facts.rows else 0
        total = None if self.bounded else self._total_tokens(facts)
        if self.bounded:  # a share of two lower bounds would bound nothing: give the bound alone
            tokens = f"at least {self.lost_tokens:,} tokens lost"
        else:
            tokens = f"{self.lost_tokens:,} tokens lost"
            if total:
                tokens += f" ({self.lost_tokens / total:.1%} of the file's {total:,} training tokens)"
        yield self.finding(
            f"{self.over_rows:,} of {facts.rows:,} rows ({share_rows:.1%}) exceed {self.options.token_limit:,} tokens and would be {fate}: {tokens}",
            hint="ftlint stats shows the length distribution and the max_length that keeps every row",
        )

    def _total_tokens(self, facts) -> int | None:
        """Training tokens of the whole file: the rows counted here, plus the rows the
        byte bound let through uncounted, which a second pass counts (only for files
        with over-length rows). None when the file cannot be re-read (stdin)."""
        if facts.read_error or facts.count_skipped_tokens is None:
            return None
        skipped = facts.count_skipped_tokens()
        return None if skipped is None else self.counted_tokens + skipped
