import json
from collections.abc import Iterator

from ftlint.engine.rows import IMAGE_MESSAGES, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.platform.packages import image_references, video_references
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass
from ftlint.rules.image_file import PNG, image_row

_FILES: dict[str, str | bytes] = {"imgs/cat_1.png": PNG, "dog_2.png": PNG}
_FRAMES = json.dumps({"messages": [
    {"role": "user", "content": [{"video": ["cat_1.png", "frames/dog_2.png", "dog_3.png"], "sample_fps": 1}, {"text": "What changes?"}]},
    {"role": "assistant", "content": [{"text": "A cat, then a dog."}]},
]})


@register
class ImageReference(Rule):
    """A row refers to an image that is not in the package, or by a path.

    Images (and video files and video frames) are referred to by their bare file name,
    exactly as stored (`cat_1.jpg`), wherever they sit in the package; a path
    (`imgs/cat_1.jpg`) or a name with no file behind it fails the job.

    Bad:   {"image": "imgs/cat_1.jpg"}, or {"image": "cat_2.jpg"} with no such file
    Good:  {"image": "cat_1.jpg"}
    """

    code = "I103"
    slug = "image-reference"
    severity = Severity.ERROR
    formats = frozenset({IMAGE_MESSAGES})
    examples = (
        Fail([image_row("imgs/cat_1.png", "这张图里有什么？", "一只橘猫。"), image_row("dog_3.png", "What breed?", "A corgi.")],
             At(line=1, path="messages[0].content[0].image"), At(line=2, path="messages[0].content[0].image"), files=_FILES,
             note="a path, and a name with no file"),
        Fail([image_row("Cat_1.png", "这是什么？", "一只猫。"), image_row("imgs\\cat_1.png", "What is this?", "A cat.")],
             At(line=1, path="messages[0].content[0].image"), At(line=2, path="messages[0].content[0].image"), files=_FILES,
             note="names are case-sensitive; a Windows path"),
        Fail([_FRAMES], At(line=1, path="messages[0].content[0].video[1]"), At(line=1, path="messages[0].content[0].video[2]"),
             files=_FILES, options={"model": "qwen3.5-27b"}, note="video frames are images too"),
        Pass([image_row("cat_1.png", "这张图里有什么？", "一只橘猫。"), image_row("dog_2.png", "What breed?", "A corgi.")], files=_FILES,
             note="bare names, wherever the file sits in the package"),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        package = row.package
        if package is None:
            return
        for name, where in (*image_references(row), *video_references(row)):
            if "/" in name or "\\" in name:
                bare = name.replace("\\", "/").rsplit("/", 1)[-1]
                hint = f"write {bare!r}" if bare in package.media else None
                yield self.finding(_("{name!r} is a path; refer to media by bare file name").format(name=name), line=row.line, path=where, hint=hint)
            elif name not in package.media:
                yield self.finding(_("{name!r} is not in the package").format(name=name), line=row.line, path=where, hint=_("add the file, or fix the name (it is case-sensitive)"))
