"""`ftlint models` for people: the catalog as plain text that fits 80 columns."""

from __future__ import annotations

import textwrap

from ftlint.platform.catalog import Model

# `ftlint models --method X`: the API's training_type values, their short names, and dpo for either DPO.
METHOD_FILTERS = {"sft": {"sft"}, "efficient_sft": {"efficient_sft"}, "lora": {"efficient_sft"}, "dpo": {"dpo_full", "dpo_lora"}, "dpo_full": {"dpo_full"},
                  "dpo_lora": {"dpo_lora"}, "cpt": {"cpt"}, "rl": {"rl"}}
_SHORT = {"sft": "sft", "efficient_sft": "lora", "dpo_full": "dpo", "dpo_lora": "dlora", "cpt": "cpt", "rl": "rl"}
_FLAGS = (("thinking", "t"), ("tools", "T"), ("video", "v"))


def models_table(models: list[Model]) -> str:
    """The catalog as plain text that fits 80 columns: one line per model, then the
    notes its numbers point to."""
    notes: list[str] = []
    lines = [f"{'model':<30} {'tokens':>6} {'methods':<22}  {'data':<6}  notes", "-" * 80]
    for m in models:
        refs = []
        for text in (*m.assumed, *([f"remark: {m.note}"] if m.note else ())):
            if text not in notes:
                notes.append(text)
            refs.append(str(notes.index(text) + 1))
        methods = " ".join(_SHORT[x] for x in m.methods)
        data = m.modality + " " + "".join(flag for feature, flag in _FLAGS if feature in m.features)
        lines.append(f"{m.name:<30} {m.max_tokens // 1024:>5}k {methods:<22}  {data.strip():<6}  {','.join(refs)}".rstrip())
    lines += ["", "methods: sft, lora = efficient_sft, dpo = dpo_full, dlora = dpo_lora, cpt, rl",
              "data: text or vl (images); t thinking, T tool calling, v video", "tokens: the longest sample trained on (k = 1,024)", "", "notes: what no platform document states (assumed), and remarks"]
    for number, text in enumerate(notes, 1):
        lines += textwrap.wrap(text, 80, initial_indent=f"{number:>2}. ", subsequent_indent="    ")
    return "\n".join(lines)
