"""Keep ftlint's Chinese catalog in step with the code (needs Babel: pip install -e '.[dev]').

    python scripts/i18n.py extract   # write ftlint/locale/ftlint.pot from the code
    python scripts/i18n.py update    # merge it into ftlint/locale/zh/LC_MESSAGES/ftlint.po
    python scripts/i18n.py compile   # write the .mo files the wheel ships
    python scripts/i18n.py missing   # list the messages the .po does not translate yet

The messages are the `_()`, `N_()` and `ngettext()` calls (Babel's extractor), every
rule's docstring (`ftlint rule CODE`) and every help text of the command line.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ftlint"
LOCALE = PACKAGE / "locale"
POT = LOCALE / "ftlint.pot"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def catalog_of(po: Path) -> Catalog:
    with po.open("rb") as f:
        return read_po(f)


def messages() -> Iterator[tuple[str | tuple[str, str], str]]:
    """Every message ftlint can say: (msgid or (singular, plural), where)."""
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    ):
        yield message, f"ftlint/{filename}:{lineno}"
    sys.path.insert(0, str(ROOT))
    import inspect

    import click

    from ftlint.cli import cli
    from ftlint.rules.base import all_rules

    for rule in all_rules():
        yield inspect.cleandoc(rule.__doc__ or ""), f"rule {rule.code}"

    def helps(command: click.Command, path: str) -> Iterator[tuple[str, str]]:
        for text in (command.help, command.short_help):
            if text:
                yield text, f"help: {path}"
        for param in command.params:
            text = getattr(param, "help", None)
            if text:
                yield text, f"help: {path} {param.name}"
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from helps(sub, f"{path} {name}")

    yield from helps(cli, "ftlint")


def template() -> Catalog:
    pot = Catalog(project="ftlint", domain="ftlint", charset="utf-8")
    for message, where in messages():
        if message:
            pot.add(message, locations=[(where.split(":")[0], 0)] if ":" in where else [(where, 0)])
    return pot


def main(command: str) -> None:
    po_path = LOCALE / "zh" / "LC_MESSAGES" / "ftlint.po"
    if command == "extract":
        with POT.open("wb") as f:
            write_po(f, template(), width=0, omit_header=False, sort_output=True)
    elif command == "update":
        catalog = catalog_of(po_path) if po_path.exists() else Catalog(locale="zh_Hans_CN", domain="ftlint")
        catalog.update(template(), no_fuzzy_matching=True)
        catalog.fuzzy = False  # the header is the project's own, not a guess
        catalog.project, catalog.version = "ftlint", ""
        catalog.last_translator = catalog.language_team = "ftlint developers"
        with po_path.open("wb") as f:
            write_po(f, catalog, width=0, sort_output=True, ignore_obsolete=True)
    elif command == "compile":
        for po in LOCALE.glob("*/LC_MESSAGES/*.po"):
            with po.with_suffix(".mo").open("wb") as f:
                write_mo(f, catalog_of(po), use_fuzzy=False)
    elif command == "missing":
        catalog = catalog_of(po_path)
        for message in template():
            if message.id and not (catalog.get(message.id) and catalog.get(message.id).string):
                print(repr(message.id))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
