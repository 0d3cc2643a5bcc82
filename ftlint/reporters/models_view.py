"""`ftlint models` for people: the catalog as plain text that fits 80 columns."""

from __future__ import annotations

import textwrap

from rich.cells import cell_len

from ftlint.i18n import _
from ftlint.platform.catalog import MediaModel, Model

# `ftlint models --method X`: the API's training_type values, their short names, and dpo for either DPO.
METHOD_FILTERS = {"sft": {"sft"}, "efficient_sft": {"efficient_sft"}, "lora": {"efficient_sft"}, "dpo": {"dpo_full", "dpo_lora"}, "dpo_full": {"dpo_full"},
                  "dpo_lora": {"dpo_lora"}, "cpt": {"cpt"}, "rl": {"rl"}}
_SHORT = {"sft": "sft", "efficient_sft": "lora", "dpo_full": "dpo", "dpo_lora": "dlora", "cpt": "cpt", "rl": "rl"}
_FLAGS = (("thinking", "t"), ("tools", "T"), ("video", "v"))


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` padded to `width` terminal cells (a Chinese character takes two)."""
    room = " " * max(0, width - cell_len(text))
    return room + text if right else text + room


def models_table(models: list[Model]) -> str:
    """The catalog as plain text that fits 80 columns: one line per model, then the
    notes its numbers point to."""
    notes: list[str] = []
    # The headings are translated outside any f-string: Babel does not look inside one.
    heading = "{} {} {}  {}  {}".format(pad(_("model"), 30), pad(_("tokens"), 6, right=True), pad(_("methods"), 22), pad(_("data"), 6), _("notes"))
    lines = [heading, "-" * 80]
    for m in models:
        refs = []
        for text in (*m.assumed, *([_("remark: {note}").format(note=m.note)] if m.note else ())):
            if text not in notes:
                notes.append(text)
            refs.append(str(notes.index(text) + 1))
        methods = " ".join(_SHORT[x] for x in m.methods)
        data = m.modality + " " + "".join(flag for feature, flag in _FLAGS if feature in m.features)
        lines.append(f"{m.name:<30} {m.max_tokens // 1024:>5}k {methods:<22}  {data.strip():<6}  {','.join(refs)}".rstrip())
    lines += ["", _("methods: sft, lora = efficient_sft, dpo = dpo_full, dlora = dpo_lora, cpt, rl"),
              _("data: text or vl (images); t thinking, T tool calling, v video"), _("tokens: the longest sample trained on (k = 1,024)"), "", _("notes: what no platform document states (assumed), and remarks")]
    for number, text in enumerate(notes, 1):
        lines += textwrap.wrap(text, 80 - (cell_len(text) - len(text)), initial_indent=f"{number:>2}. ", subsequent_indent="    ")  # wide characters take two cells
    return "\n".join(lines)


# The kinds of package a generation model takes, as `ftlint models` names them.
KIND_NAMES = {"wan-image": "image t2i/i2i", "wan-i2v": "video i2v", "wan-kf2v": "video kf2v", "cosyvoice": "speech"}


def media_table(models: list[MediaModel]) -> str:
    """The generation models (tuned from a media package), fitting 80 columns."""
    lines = [_("generation models: tuned from a .zip package of media (ftlint check checks it)"),
             "{} {} {} {}  {}".format(pad(_("model"), 22), pad(_("package"), 24), pad(_("method"), 6), pad(_("clip"), 5, right=True), pad(_("price"), 7, right=True)),
             "-" * 80]
    notes: list[str] = []
    for m in models:
        kinds = ", ".join(KIND_NAMES[k] for k in m.kinds)
        methods = " ".join(_SHORT[x] for x in m.methods)
        clip = f"{m.clip_seconds:g} s" if m.clip_seconds else "-"
        price = f"¥{m.price:g}" if m.price is not None else "-"
        refs = []
        for text in (*m.assumed, *([_("remark: {note}").format(note=m.note)] if m.note else ())):
            if text not in notes:
                notes.append(text)
            refs.append(str(notes.index(text) + 1))
        lines.append(f"{m.name:<22} {kinds:<24} {methods:<6} {clip:>5}  {price:>7}  {','.join(refs)}".rstrip())
    lines += ["", _("clip: the longest training clip; price: yuan per 1,000 training tokens")]
    for number, text in enumerate(notes, 1):
        lines += textwrap.wrap(text, 80 - (cell_len(text) - len(text)), initial_indent=f"{number:>2}. ", subsequent_indent="    ")  # wide characters take two cells
    return "\n".join(lines)
