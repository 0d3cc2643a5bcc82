import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath

from ftlint.engine.file_facts import FileFacts
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass, row

ROWS = (row("这道菜叫什么？", "宫保鸡丁。") + "\n" + CHAT_EN + "\n" + CHAT + "\n").encode()
IMAGE = b"\x89PNG\r\n\x1a\n"  # a name is all this rule reads; the image itself is not opened


def zip_of(files: dict[str, bytes], encrypted: frozenset[str] = frozenset()) -> bytes:
    """A .zip archive holding `files` (name -> bytes), entry names as given; the
    entries named in `encrypted` are flagged as encrypted in the archive's directory
    (their bytes are not)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            archive.writestr(info, body)
            if name in encrypted:  # set after writing: it goes into the central directory only
                info.flag_bits |= 0x1
    return buffer.getvalue()


@register
class UnsafeArchiveEntry(Rule):
    """A .zip package holds an entry that points outside it, or an encrypted entry.

    Entry names such as `../../x.jpg` or `/etc/x.png` would be written outside the
    folder a package is unpacked into (a "zip slip"); encrypted entries cannot be read.
    Packages that contain them are refused. ftlint itself never extracts anything: it
    reads the archive's directory and streams data.jsonl from it.

    Bad:   a package with an entry named ../images/a.jpg
    Good:  a package with data.jsonl and a.jpg at its root
    """

    code = "F109"
    slug = "unsafe-archive-entry"
    severity = Severity.ERROR
    examples = (
        Fail((), At(), data=zip_of({"data.jsonl": ROWS, "../images/a.jpg": IMAGE}), name="package.zip"),
        Fail(
            (),
            At(),
            At(),
            At(),
            data=zip_of({"data.jsonl": ROWS, "/etc/cron.d/x.png": IMAGE, "C:/Users/a.png": IMAGE, "images\\..\\..\\b.png": IMAGE}),
            name="package.zip",
            note="an absolute path, a drive letter, and a Windows path that climbs out",
        ),
        Fail((), At(), data=zip_of({"data.jsonl": ROWS, "a.png": IMAGE}, encrypted=frozenset({"a.png"})), name="package.zip", note="an encrypted entry"),
        Pass((), data=zip_of({"data.jsonl": ROWS, "a.png": IMAGE, "images/b.png": IMAGE}), name="package.zip"),
        Pass([CHAT, CHAT_EN], note="a plain .jsonl has no entries"),
    )

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        if facts.source.kind != "zip" or facts.source.path is None:
            return
        try:
            with zipfile.ZipFile(facts.source.path) as archive:
                entries = archive.infolist()
        except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile):
            return  # F108 reports an unreadable archive
        for info in entries:
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
                yield self.finding(_("entry {name!r} points outside the archive").format(name=name), hint=_("rebuild the package with plain names at its root"))
            elif info.flag_bits & 0x1:
                yield self.finding(_("entry {name!r} is encrypted").format(name=name), hint=_("zip without a password"))
