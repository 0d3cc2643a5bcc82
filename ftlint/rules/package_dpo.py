import json
from collections.abc import Iterator

from ftlint.engine.rows import DPO, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass
from ftlint.rules.image_file import PNG, image_row

_DPO = json.dumps({
    "messages": [{"role": "user", "content": "我的订单什么时候发货？"}],
    "chosen": {"role": "assistant", "content": "您好，订单将在 24 小时内发货。"},
    "rejected": {"role": "assistant", "content": "不知道。"},
}, ensure_ascii=False)
_IMAGE_DPO = json.dumps({
    "messages": [{"role": "user", "content": [{"image": "cat_1.png"}, {"text": "What is in this picture?"}]}],
    "chosen": {"role": "assistant", "content": [{"text": "An orange cat on a windowsill."}]},
    "rejected": {"role": "assistant", "content": [{"text": "A dog."}]},
})
_CAT = image_row("cat_1.png", "这张图里有什么？", "一只橘猫趴在窗台上。")


@register
class PackageDpo(Rule):
    """A DPO row in an image package.

    Preference (DPO) training takes text only: image packages are for SFT. Put DPO
    data in a plain .jsonl file.

    Bad:   package.zip whose data.jsonl holds {"messages": ..., "chosen": ..., "rejected": ...}
    Good:  DPO rows in a plain dpo.jsonl, image rows in the package
    """

    code = "I106"
    slug = "package-dpo"
    severity = Severity.ERROR
    formats = frozenset({DPO})
    examples = (
        Fail([_CAT, _IMAGE_DPO, _DPO], At(line=2), At(line=3), files={"cat_1.png": PNG}),
        Pass([_DPO, _DPO], note="DPO rows in a plain .jsonl"),
        Pass([_CAT, image_row("cat_1.png", "What colour is the cat?", "Orange.")], files={"cat_1.png": PNG}),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        if row.package is not None:
            yield self.finding(_("DPO rows are not accepted in an image package"), line=row.line)
