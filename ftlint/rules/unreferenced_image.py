import json
from collections.abc import Iterable, Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.rows import MEDIA_FORMATS, RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import _, ngettext
from ftlint.options import CheckOptions
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass
from ftlint.rules.image_file import PNG, image_row

_ROWS = [image_row("cat_1.png", "这张图里有什么？", "一只橘猫。"), image_row("dog_2.png", "What breed is this dog?", "A corgi.")]
_FRAMES = json.dumps({"messages": [
    {"role": "user", "content": [{"video": ["cat_1.png", "dog_7.png"], "sample_fps": 1}, {"text": "What changes?"}]},
    {"role": "assistant", "content": [{"text": "A cat, then a dog."}]},
]})


@register
class UnreferencedImage(Rule):
    """An image in the package is used by no row.

    Unused images make the upload bigger for nothing, and often mean a reference in
    data.jsonl is misspelt.

    Bad:   package.zip with dog_7.jpg that no row mentions
    Good:  every image used by at least one row
    """

    code = "I105"
    slug = "unreferenced-image"
    severity = Severity.WARNING

    summary_fields = frozenset({"media_names"})
    examples = (
        Fail(_ROWS, At(), files={"cat_1.png": PNG, "dog_2.png": PNG, "dog_7.png": PNG}),
        Fail(_ROWS[:1], At(), files={"cat_1.png": PNG, "imgs/dog_2.png": PNG, "dog_7.png": PNG}, note="two unused images, one finding"),
        Pass(_ROWS, files={"cat_1.png": PNG, "imgs/dog_2.png": PNG}),
        Pass([*_ROWS, _FRAMES], files={"cat_1.png": PNG, "dog_2.png": PNG, "dog_7.png": PNG}, options={"model": "qwen3.5-27b"},
             note="a video frame counts as a use"),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.used: set[str] = set()

    def collect(self, summary: RowSummary) -> Iterable[Finding]:
        self.used.update(summary.media_names)
        return ()

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        package = facts.package
        if package is None or facts.read_error or facts.format in MEDIA_FORMATS or self.options.media_model is not None:
            return
        unused = sorted(name for name, entry in package.media.items() if entry.extension in ("bmp", "jpeg", "jpg", "png", "tif", "tiff", "webp") and name not in self.used)
        if unused:
            shown = ", ".join(unused[:5]) + (_(" and {value} more").format(value=len(unused) - 5) if len(unused) > 5 else "")
            yield self.finding(ngettext("{n} image used by no row: {shown}", "{n} images used by no row: {shown}", len(unused)).format(n=len(unused), shown=shown), hint=_("remove them, or check the names in data.jsonl"))
