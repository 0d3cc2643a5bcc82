from ftlint.engine.rows import IMAGE_MESSAGES
from ftlint.finding import Severity
from ftlint.platform.packages import IMAGE_EXTENSIONS, MAX_IMAGE_SIDE
from ftlint.rules.base import Rule, register


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

    def __init__(self, options):
        super().__init__(options)
        self.seen: set[str] = set()

    def collect(self, summary):
        package = summary.package
        if package is None:
            return
        for name, where in summary.image_refs:
            if name not in package.media or name in self.seen:
                continue
            self.seen.add(name)
            info = package.probe(name)
            if info.problem:
                yield self.finding(f"image {name!r}: {info.problem}", line=summary.line, path=where)
            elif info.format not in IMAGE_EXTENSIONS:
                yield self.finding(f"image {name!r} is a {info.format} file, not an accepted type", line=summary.line, path=where)
            elif max(info.width, info.height) > MAX_IMAGE_SIDE:
                yield self.finding(
                    f"image {name!r} is {info.width}×{info.height} px; each side may be at most {MAX_IMAGE_SIDE}",
                    line=summary.line, path=where, hint=f"resize it (e.g. to fit {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE})",
                )
