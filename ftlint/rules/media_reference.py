from collections.abc import Iterator

from ftlint.engine.rows import TTS_AUDIO, WAN_IMAGE, WAN_VIDEO, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.platform.packages import media_paths
from ftlint.rules._media import media_row
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass
from ftlint.rules.image_file import PNG

_ROW = media_row(prompt="一只橘猫坐在窗台上，s86b5p 水彩风格", img_path="./cat_1.png")


@register
class MediaReference(Rule):
    """A media row names a file that is not in the package, exactly as written.

    Wan and CosyVoice rows name their files by their path in the package, extension
    and case included: "./1_0.png" or "1_0.png" for a file at the root, "image/a.jpg"
    in a folder, "train/100001.wav". The docs' own video example names `image_1.jpg`
    while its package holds `image_1.jpeg`: the platform finds no such file. When a
    file of the same name with another extension or case is there, the hint names it.

    Bad:   "first_frame_path": "image_1.jpg" with image_1.jpeg in the package
    Good:  "first_frame_path": "image_1.jpeg"
    """

    code = "K103"
    slug = "media-reference"
    severity = Severity.ERROR
    formats = frozenset({WAN_IMAGE, WAN_VIDEO, TTS_AUDIO})
    examples = (
        Fail([_ROW, media_row(prompt="A fox, s86b5p style", img_path="./fox_1.jpg")], At(line=2, path="img_path"),
             files={"cat_1.png": PNG, "fox_1.jpeg": PNG}, note="fox_1.jpeg, not .jpg"),
        Fail([media_row(wav_fn="train/100001.wav", text="您好")], At(line=1, path="wav_fn"), files={"train/100001.WAV": b"RIFF"}, note="case matters"),
        Pass([_ROW, media_row(prompt="A fox, s86b5p style", img_path="fox_1.jpeg")], files={"cat_1.png": PNG, "fox_1.jpeg": PNG}),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        package = row.package
        if package is None:
            return
        for key, name in media_paths(row):
            if not name.strip() or package.resolve(name) is not None:
                continue  # a missing or empty name is the row rule's (W101, W102, S101)
            near = package.near(name)
            hint = _("the package has {name!r}: write that, extension and case as they are").format(name=near.name) if near else _("add the file, or fix the name")
            yield self.finding(_("{name!r} is not in the package").format(name=name), line=row.line, path=key, hint=hint)
