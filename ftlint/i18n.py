"""The language ftlint speaks: English, or Chinese (zh) from the gettext catalog shipped
in `ftlint/locale`.

Messages are written in English in the code, marked `_("... {name} ...").format(name=…)`
(named placeholders, so a translation may put them in any order), and translated when
they are made. The language is set once per run, before any worker process forks, from
`--lang`, then `[tool.ftlint] lang`, then the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
Codes, rule slugs and the keys of machine-readable output never change with it.

`scripts/i18n.py` extracts the messages (Babel), updates the catalog and compiles it;
`tests/test_i18n.py` checks that every message has a translation whose placeholders
match.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TypeVar

K = TypeVar("K")

LANGUAGES = ("en", "zh")
DOMAIN = "ftlint"
LOCALE_DIR = Path(__file__).parent / "locale"

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def _(message: str) -> str:
    """The message in the run's language."""
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Marks a message for extraction without translating it here (it is translated
    where it is shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the run's language (Chinese has one form)."""
    return _translation.ngettext(singular, plural, n)


def language() -> str:
    return _language


def language_from_environment(environ: dict[str, str] | os._Environ[str] | None = None) -> str:
    """`zh` when the locale asks for Chinese (zh_CN.UTF-8, zh_TW, zh…), else `en`. The
    first of LC_ALL, LC_MESSAGES, LANG that is set decides, as gettext itself does."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str) -> None:
    """Speak `lang` ("en" or "zh") from now on, in this process and the workers it forks."""
    global _translation, _language
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    _language = lang
    if lang == "en":
        _translation = _gettext.NullTranslations()
    else:
        _translation = _gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)
    # click's own words ("Usage:", "Options", "Show this message and exit.") come from
    # gettext's default domain, looked up by the LANGUAGE variable; ftlint's catalog
    # directory holds them too (messages.mo), and English finds no catalog there.
    _gettext.bindtextdomain("messages", str(LOCALE_DIR))
    os.environ["LANGUAGE"] = lang


def count(n: int, noun: str) -> str:
    """`n` and the noun in the right number, in the run's language: "1 row", "2 rows",
    "2 条数据"."""
    forms = _NOUNS[noun](n)
    return forms.format(n=n)


# Each noun's forms are written out in full so that extraction finds them.
_NOUNS = {
    "row": lambda n: ngettext("{n:,} row", "{n:,} rows", n),
    "line": lambda n: ngettext("{n:,} line", "{n:,} lines", n),
    "file": lambda n: ngettext("{n:,} file", "{n:,} files", n),
    "error": lambda n: ngettext("{n:,} error", "{n:,} errors", n),
    "warning": lambda n: ngettext("{n:,} warning", "{n:,} warnings", n),
    "training row": lambda n: ngettext("{n:,} training row", "{n:,} training rows", n),
    "validation file": lambda n: ngettext("{n:,} validation file", "{n:,} validation files", n),
    "epoch": lambda n: ngettext("{n:,} epoch", "{n:,} epochs", n),
    "image": lambda n: ngettext("{n:,} image", "{n:,} images", n),
    "message": lambda n: ngettext("{n:,} message", "{n:,} messages", n),
    "thinking row": lambda n: ngettext("{n:,} thinking row", "{n:,} thinking rows", n),
    "finding": lambda n: ngettext("{n:,} finding", "{n:,} findings", n),
}


class Messages(Mapping[K, str]):
    """A table of messages made when a module is imported, read in the language of the
    moment: `FORMATS[MESSAGES]` is "SFT messages (ChatML)" or "SFT 多轮对话 (ChatML)"."""

    def __init__(self, table: dict[K, str]) -> None:
        self._table = table

    def __getitem__(self, key: K) -> str:
        return _(self._table[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def english(self, key: K) -> str:
        """The message as written, whatever the language."""
        return self._table[key]


_ENGLISH_HELP: dict[int, tuple[object, str | None, str | None]] = {}

# Click rewraps a help paragraph, joining its lines with a space: right between English
# words, a stray gap between two Chinese characters. A line break between two wide
# characters (CJK, full-width punctuation) is taken out before click sees it.
_WIDE = "\u2e80-\u303f\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_WIDE_BREAK = re.compile(f"(?<=[{_WIDE}])\n[ \t]*(?=[{_WIDE}])")  # a docstring's lines keep their indent


def _unbreak(text: str) -> str:
    return _WIDE_BREAK.sub("", text)


def translate_help(command: object) -> None:
    """Put a click command tree's help texts into the run's language. The English
    texts are kept, so the language can change again in the same process (tests)."""
    import click

    def visit(item: object) -> None:
        key = id(item)
        if key not in _ENGLISH_HELP:
            _ENGLISH_HELP[key] = (item, getattr(item, "help", None), getattr(item, "short_help", None))
        _item, help_text, short = _ENGLISH_HELP[key]
        if help_text:
            item.help = _unbreak(_(help_text))  # type: ignore[attr-defined]
        if short:
            item.short_help = _unbreak(_(short))  # type: ignore[attr-defined]
        if isinstance(item, click.Command):
            for param in item.params:
                visit(param)
        if isinstance(item, click.Group):
            for sub in item.commands.values():
                visit(sub)

    visit(command)
