import json
import struct
import zlib
from collections.abc import Iterator

from ftlint.engine.rows import IMAGE_MESSAGES, RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.options import CheckOptions
from ftlint.platform.packages import IMAGE_EXTENSIONS, MAX_IMAGE_SIDE
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass


def png(width: int = 1, height: int = 1) -> bytes:
    """A small valid grey PNG, for the image-package rules' examples (no Pillow needed)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    pixels = b"".join(b"\x00" + b"\x80" * width for _ in range(height))  # filter byte, then 8-bit grey
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b"")


def image_row(image: str, question: str, answer: str) -> str:
    """One image-package row: a user turn with an image and a question, and the answer."""
    return json.dumps({"messages": [
        {"role": "user", "content": [{"image": image}, {"text": question}]},
        {"role": "assistant", "content": [{"text": answer}]},
    ]}, ensure_ascii=False)


PNG = png()
# A 1×1 GIF: a readable image of a type the platform refuses.
_GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
_CAT = image_row("cat_1.png", "这张图里有什么？", "一只橘猫趴在窗台上。")
_DOG = image_row("dog_2.png", "What breed is this dog?", "It looks like a corgi.")


@register
class ImageFile(Rule):
    """An image the data refers to is unreadable, of a refused type, over 10 MB, or
    over 1024 px on a side.

    ftlint reads each image's header and structure (never decoding pixels, and never a
    file over 10 MB), once, and reports a problem at the first row that uses it. The
    real type must be bmp, jpeg, png, tiff or webp whatever the extension says.

    Bad:   cat_1.jpg that is really a HEIC photo, or a 4032×3024 photo
    Good:  cat_1.jpg, a JPEG of 1024×768
    """

    code = "I104"
    slug = "image-file"
    severity = Severity.ERROR
    formats = frozenset({IMAGE_MESSAGES})

    summary_fields = frozenset({"image_refs", "package"})
    examples = (
        Fail([_CAT, _DOG], At(line=2, path="messages[0].content[0].image"), files={"cat_1.png": PNG, "dog_2.png": png(1025, 2)},
             note="1025 px wide"),
        Fail([_CAT, _DOG, image_row("cat_1.png", "猫是什么颜色的？", "橘色。"), _DOG],
             At(line=1, path="messages[0].content[0].image"), At(line=2, path="messages[0].content[0].image"),
             files={"cat_1.png": b"\xff\xd8\xff\xe0 truncated", "dog_2.png": _GIF},
             note="unreadable, and a GIF named .png; each reported once, at its first row"),
        Pass([_CAT, _DOG], files={"cat_1.png": PNG, "dog_2.png": png(1024, 768)}, note="1024×768 is within the limit"),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.seen: set[str] = set()

    def collect(self, summary: RowSummary) -> Iterator[Finding]:
        package = summary.package
        if package is None:
            return
        for name, where in summary.image_refs:
            if name not in package.media or name in self.seen:
                continue
            self.seen.add(name)
            info = package.probe(name)
            if info.problem:
                yield self.finding(_("image {name!r}: {problem}").format(name=name, problem=info.problem), line=summary.line, path=where)
            elif info.format not in IMAGE_EXTENSIONS:
                yield self.finding(_("image {name!r} is a {format} file, not an accepted type").format(name=name, format=info.format), line=summary.line, path=where)
            elif max(info.width, info.height) > MAX_IMAGE_SIDE:
                yield self.finding(
                    _("image {name!r} is {width}×{height} px; each side may be at most {MAX_IMAGE_SIDE}").format(name=name, width=info.width, height=info.height, MAX_IMAGE_SIDE=MAX_IMAGE_SIDE),
                    line=summary.line, path=where, hint=_("resize it (e.g. to fit {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE})").format(MAX_IMAGE_SIDE=MAX_IMAGE_SIDE),
                )
