"""Training prices (data/prices.toml), dated and sourced, and the cost of a job's
tokens at a price. A cost is always an estimate: ftlint counts tokens exactly, but the
docs do not say how every token is billed (see data/prices.toml)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ftlint.i18n import _

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Price:
    amount: float  # per `per_tokens` tokens
    currency: str  # ISO 4217: CNY, USD
    per_tokens: int
    source: str  # where it comes from: the doc and its date, or "--price"
    as_of: str | None = None

    def cost(self, tokens: int) -> float:
        return tokens / self.per_tokens * self.amount

    def describe(self) -> str:
        symbol = {"CNY": "¥", "USD": "$"}.get(self.currency)
        amount = f"{symbol}{self.amount:g}" if symbol else f"{self.amount:g} {self.currency}"
        return _("{amount} per {per_tokens:,} tokens").format(amount=amount, per_tokens=self.per_tokens)


@cache
def _data() -> dict[str, object]:
    return tomllib.loads(resources.files("ftlint.platform").joinpath("data/prices.toml").read_text("utf-8"))


def price_of(model: str) -> Price | None:
    """The documented training price of a model, or None when the docs give none."""
    data = _data()
    amount = data["prices"].get(model)  # type: ignore[attr-defined]
    if amount is None:
        return None
    source = data["source"]
    return Price(float(amount), source["currency"], source["per_tokens"], source["doc"], source["as_of"])  # type: ignore[index]


_GIVEN = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([A-Za-z]{3})?\s*")


def parse_price(text: str) -> Price:
    """`--price 0.006` (yuan per 1,000 tokens) or `--price "0.0008 USD"`. Raises
    ValueError for anything else."""
    match = _GIVEN.fullmatch(text)
    if not match or not 0 <= float(match.group(1)) < 1e9:
        raise ValueError(_("{text!r} is not a price: give an amount per 1,000 tokens, e.g. 0.006 or \"0.0008 USD\"").format(text=text))
    return Price(float(match.group(1)), (match.group(2) or "CNY").upper(), 1000, "--price")
