import gzip
import io
import zipfile
from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

TRAIN_GZ = gzip.compress(("\n".join([CHAT, CHAT_EN] * 30) + "\n").encode(), mtime=0)


def zip_of(files: dict[str, bytes]) -> bytes:
    """A .zip archive holding `files` (name -> bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return buffer.getvalue()


ROWS = f"{CHAT}\n{CHAT_EN}\n".encode()


@register
class UnreadableFile(Rule):
    """The file could not be read to the end.

    A truncated .gz, a corrupt .zip, a package without data.jsonl at its root, or an
    I/O error. Findings before the failure are still reported; rows after it were not
    checked.

    Bad:   train.jsonl.gz cut off in the middle of a download
    Good:  the complete train.jsonl.gz
    """

    code = "F108"
    on_array_files = True
    slug = "unreadable-file"
    severity = Severity.ERROR
    examples = (
        Fail((), At(), data=TRAIN_GZ[: len(TRAIN_GZ) // 2], name="train.jsonl.gz", note="a .gz cut off halfway"),
        Fail((), At(), data=zip_of({"readme.txt": b"images for the menu dataset", "menu.png": b"\x89PNG\r\n\x1a\n"}), name="package.zip", note="a package without data.jsonl"),
        Fail((), At(), data=b"PK\x03\x04" + bytes(60), name="package.zip", note="not a zip archive at all"),
        Pass((), data=TRAIN_GZ, name="train.jsonl.gz"),
        Pass((), data=zip_of({"data.jsonl": ROWS}), name="package.zip"),
    )

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        if facts.read_error:
            where = _(" after line {lines}").format(lines=facts.lines) if facts.lines else ""
            yield self.finding(_("could not read the file{where}: {read_error}").format(where=where, read_error=facts.read_error))
