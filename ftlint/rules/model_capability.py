from ftlint.engine.rows import CPT_TEXT, DPO
from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


@register
class ModelCapability(Rule):
    """The data needs something the chosen model cannot be tuned with.

    DPO data needs a model that supports DPO training, CPT text one that supports
    continued pre-training, and tool-calling rows (`tools`, `tool_calls`) a model with
    tool support (qwen3.5 and later). `ftlint models` lists each model's capabilities;
    some are assumptions of the catalog, marked there. Needs --model.

    Bad:   DPO data with --model qwen-7b-chat
    Good:  DPO data with --model qwen2.5-7b-instruct
    """

    code = "T104"
    slug = "model-capability"
    severity = Severity.ERROR
    summary_fields = frozenset({"has_tool_calls"})

    def __init__(self, options):
        super().__init__(options)
        self.first_tool_row: int | None = None
        self.tool_rows = 0

    def collect(self, summary):
        if summary.has_tool_calls:
            self.tool_rows += 1
            if self.first_tool_row is None:
                self.first_tool_row = summary.line
        return ()

    def finish(self, facts):
        model = self.options.model_entry
        if model is None:
            return
        needs = {DPO: ("dpo", "DPO training"), CPT_TEXT: ("cpt", "continued pre-training (CPT)")}.get(facts.format)
        if needs and not model.can(needs[0]):
            yield self.finding(f"{model.name} does not support {needs[1]}", hint="choose a model that does (ftlint models)")
        if self.tool_rows and not model.can("tools"):
            yield self.finding(
                f"{self.tool_rows:,} rows carry tool calls (first at line {self.first_tool_row}), but {model.name} is not tuned with tools",
                hint="tool-calling data needs qwen3.5 or later",
            )
