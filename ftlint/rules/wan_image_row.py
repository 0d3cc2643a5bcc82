from collections.abc import Iterator

from ftlint.engine.rows import WAN_IMAGE, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._fields import string_problem
from ftlint.rules._media import is_validation, media_row, name_problem
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass

T2I = media_row(prompt="一只橘猫坐在窗台上，s86b5p 水彩风格", img_path="./cat_1.png")
I2I = media_row(prompt="A red fox in the snow, s86b5p watercolour style", input_img="./fox_in.png", img_path="./fox_out.png")


@register
class WanImageRow(Rule):
    """A Wan image-generation row lacks its prompt or its images.

    Text-to-image rows are `{"prompt", "img_path"}` and image-to-image rows add the
    reference image, `{"prompt", "input_img", "img_path"}` (`img_path` is the target).
    The prompt is a non-empty string; each image is named by a non-empty string of
    ASCII characters (the docs ask for English file names), such as "./1_0.png". A
    validation package (a job's validation_datasets) has no targets: its rows are
    `{"prompt"}` or `{"prompt", "input_img"}`, and an img_path there is ignored.

    Bad:   {"prompt": "水彩风格的猫", "img_path": "./猫.png"}
    Good:  {"prompt": "一只橘猫坐在窗台上，s86b5p 水彩风格", "img_path": "./cat_1.png"}
    """

    code = "W101"
    slug = "wan-image-row"
    severity = Severity.ERROR
    formats = frozenset({WAN_IMAGE})
    examples = (
        Fail([T2I, media_row(img_path="./cat_2.png"), media_row(prompt="s86b5p style", img_path="./猫.png")],
             At(line=2, path="prompt"), At(line=3, path="img_path"), note="no prompt; a non-ASCII name"),
        Fail([I2I, media_row(prompt="A fox, s86b5p style", input_img="", img_path="./fox_2.png")], At(line=2, path="input_img")),
        Fail([media_row(prompt="A fox, s86b5p style", input_img="./fox_in.png")], At(line=1, path="img_path"), note="a training row needs its target"),
        Pass([T2I, I2I]),
        Pass([media_row(prompt="A fox, s86b5p style", input_img="./fox_in.png")], options={"job_role": "validation"}, note="a validation row has no target"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        data = row.data
        problem = string_problem(data, "prompt")
        if problem:
            yield self.finding(f"`prompt` {problem}", line=row.line, path="prompt", hint=_("describe the image: subject, background, trigger word, style"))
        validation = is_validation(self.options)
        for key in ("input_img", "img_path"):
            if key not in data and (key == "input_img" or validation):
                continue
            problem = name_problem(data, key)
            if problem:
                yield self.finding(f"`{key}` {problem}", line=row.line, path=key,
                                   hint=_("name the image file in the package, e.g. \"./1_0.png\"") if key == "img_path" else _("name the reference image file"))
        if validation and "img_path" in data:
            yield self.finding(_("a validation row has no target image: `img_path` is ignored"), line=row.line, path="img_path", severity=Severity.WARNING,
                               hint=_("remove it (the platform generates previews from the prompt)"))
