"""The shape of a rule, and the registry every rule (built-in or plugin) joins.

A rule is a class with a code, a slug, a default severity, the platform error code it
predicts (if any), the row formats it applies to, and a docstring that is its user
documentation (`ftlint rule CODE` prints it). It overrides one or more hooks, each
yielding Findings made with ``self.finding(...)``:

- ``check_line(line)``  every physical line, parsed or not (ftlint.engine.lines.Line)
- ``check_row(row)``    every line that parsed as a JSON object (ftlint.engine.rows.Row);
  it sees one row and keeps nothing from it: in a parallel check it runs in a worker
- ``collect(summary)``  every row of its formats again, in file order, in the main
  process, as a RowSummary holding the fields the rule declares in ``summary_fields``;
  the one place for state across rows (duplicates, totals, what was referenced). It
  gets the same summary in a serial and in a parallel check.
- ``finish(facts)``     once per file, after the last row (ftlint.engine.file_facts.FileFacts)
- ``check_job(job)``    once per job (--job), after its last file (ftlint.engine.job_facts.JobFacts):
  what the platform judges across the job's files. In a job, a rule that has it is
  not asked to ``finish`` each file: the job is judged once, as a whole.

A fresh instance is made for every file. The engine provides what rules declare:
``summary_fields`` (see ftlint.engine.rows.SUMMARY_FIELDS; "tokens" makes the engine
measure each row for --model). Line numbers are the file's in every hook. An exception
in a built-in rule's hook is reported as the rule's internal error at its line, the
rule is switched off for the rest of the file, and the check exits 2; the rest of the
file is still checked. A plugin rule that raises is switched off with a note.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, ClassVar

from ftlint.engine.rows import SUMMARY_FIELDS
from ftlint.finding import Finding, Severity
from ftlint.i18n import _

if TYPE_CHECKING:
    from ftlint.engine.file_facts import FileFacts
    from ftlint.engine.job_facts import JobFacts
    from ftlint.engine.lines import Line
    from ftlint.engine.rows import Row, RowSummary
    from ftlint.options import CheckOptions
    from ftlint.rules.examples import Example

ENTRY_POINT_GROUP = "ftlint.rules"


class Rule:
    code: ClassVar[str]
    slug: ClassVar[str]
    severity: Severity
    platform_code: ClassVar[int | None] = None
    formats: ClassVar[frozenset[str] | None] = None  # row formats checked; None = all
    plugin: ClassVar[str | None] = None  # the entry point that brought a third-party rule
    # The RowSummary fields collect() reads, beyond line, format and detected.
    summary_fields: ClassVar[frozenset[str]] = frozenset()
    # A file that is one JSON array is not read row by row; only the rules that judge
    # the file as a whole (its name, size, whether it reads) finish it.
    on_array_files: ClassVar[bool] = False
    # The rule's test cases and documented examples (ftlint.rules.examples).
    examples: ClassVar[tuple[Example, ...]] = ()

    def __init__(self, options: CheckOptions) -> None:
        self.options = options
        if self.code in options.severity:  # a configured override
            self.severity = options.severity[self.code]

    def check_line(self, line: Line) -> Iterable[Finding]:
        return ()

    def check_row(self, row: Row) -> Iterable[Finding]:
        return ()

    def collect(self, summary: RowSummary) -> Iterable[Finding]:
        return ()

    def finish(self, facts: FileFacts) -> Iterable[Finding]:
        return ()

    def check_job(self, job: JobFacts) -> Iterable[Finding]:
        return ()

    def finding(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        hint: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of this rule, at the rule's severity unless the rule gives a milder
        one for a milder case (`severity`; it predicts no platform error code); a
        configured severity always wins."""
        platform_code = self.platform_code
        if severity is None or self.code in self.options.severity:
            severity = self.severity
        elif severity is not self.severity:
            platform_code = None
        return Finding(
            code=self.code,
            rule=self.slug,
            severity=severity,
            message=message,
            line=line,
            column=column,
            path=path,
            platform_code=platform_code,
            hint=hint,
        )

    @classmethod
    def uses(cls, hook: str) -> bool:
        return getattr(cls, hook) is not getattr(Rule, hook)

    @classmethod
    def documentation(cls) -> str:
        """The rule's docstring, in the run's language (the catalog holds each whole)."""
        return _(inspect.cleandoc(cls.__doc__ or ""))

    @classmethod
    def summary(cls) -> str:
        return cls.documentation().split("\n", 1)[0]


_REGISTRY: dict[str, type[Rule]] = {}
_plugin_errors: list[str] = []


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the registry (codes and slugs are unique)."""
    for attr in ("code", "slug", "severity"):
        if not hasattr(cls, attr):
            raise TypeError(_("rule {name__} has no {attr}").format(name__=cls.__name__, attr=attr))
    unknown = set(cls.summary_fields) - SUMMARY_FIELDS
    if unknown:
        raise TypeError(_("rule {code} declares unknown summary fields {sorted}; known: {sorted2}").format(code=cls.code, sorted=sorted(unknown), sorted2=sorted(SUMMARY_FIELDS)))
    if getattr(cls, "needs_all_rows", False):
        raise TypeError(_("rule {code}: needs_all_rows is gone; keep state in collect(summary) and declare summary_fields").format(code=cls.code))
    if not cls.__doc__:
        raise TypeError(_("rule {code} has no docstring: it is the rule's documentation").format(code=cls.code))
    for other in _REGISTRY.values():
        if other is not cls and (other.code == cls.code or other.slug == cls.slug):
            raise TypeError(_("rule {code} ({slug}) clashes with {code2} ({slug2})").format(code=cls.code, slug=cls.slug, code2=other.code, slug2=other.slug))
    _REGISTRY[cls.code] = cls
    return cls


def all_rules() -> list[type[Rule]]:
    """Every registered rule, built-in and plugin, sorted by code."""
    import ftlint.rules  # noqa: F401  (registers the built-in rules)

    _load_plugins()
    return [_REGISTRY[code] for code in sorted(_REGISTRY, key=_code_key)]


def plugin_errors() -> list[str]:
    return list(dict.fromkeys(_plugin_errors))


def plugin_failures() -> int:
    """How many plugin failures this process has recorded (repeats included)."""
    return len(_plugin_errors)


def find_rule(code_or_slug: str) -> type[Rule] | None:
    wanted = code_or_slug.strip()
    for rule in all_rules():
        if wanted.upper() == rule.code or wanted.lower() == rule.slug:
            return rule
    return None


def _code_key(code: str) -> tuple[str, int]:
    letters = code.rstrip("0123456789")
    return letters, int(code[len(letters) :] or 0)


_plugins_loaded = False


def _load_plugins() -> None:
    """Import the modules third parties register under the `ftlint.rules` entry-point
    group. A plugin that fails to load is reported and skipped, never fatal."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = point.load()
            for cls in _rule_classes(loaded):
                cls.plugin = point.name
                register(cls)
        except Exception as err:  # a broken plugin must not break the linter
            _plugin_errors.append(_("plugin {name!r} ({value}) skipped: {err}").format(name=point.name, value=point.value, err=err))


def _rule_classes(loaded: object) -> Iterator[type[Rule]]:
    if inspect.isclass(loaded) and issubclass(loaded, Rule):
        yield loaded
    elif inspect.ismodule(loaded):
        for value in vars(loaded).values():
            if inspect.isclass(value) and issubclass(value, Rule) and value is not Rule:
                if value.__module__ == loaded.__name__:
                    yield value


def instantiate(cls: type[Rule], options: CheckOptions) -> Rule:
    """A rule for one file. A plugin rule's hooks are guarded: if one raises, the rule
    is switched off for the file and the failure becomes a note, never a crash."""
    try:
        rule = cls(options)
    except Exception as err:
        if not cls.plugin:
            raise
        _plugin_errors.append(_("plugin rule {code} ({plugin}) skipped: {err}").format(code=cls.code, plugin=cls.plugin, err=err))
        return _Silent(options)
    if cls.plugin:
        for hook in ("check_line", "check_row", "collect", "finish"):
            if cls.uses(hook):
                setattr(rule, hook, _guard(rule, getattr(rule, hook)))
    return rule


def _guard(rule: Rule, hook):  # type: ignore[no-untyped-def]
    def guarded(arg):  # type: ignore[no-untyped-def]
        if getattr(rule, "_failed", False):
            return ()
        try:
            return list(hook(arg))
        except Exception as err:
            rule._failed = True  # type: ignore[attr-defined]
            _plugin_errors.append(_("plugin rule {code} ({plugin}) failed and was switched off: {name__}: {err}").format(code=rule.code, plugin=rule.plugin, name__=type(err).__name__, err=err))
            return ()

    return guarded


class _Silent(Rule):
    """Stands in for a plugin rule that could not be made."""

    code = "_"
    slug = "_"
    severity = Severity.INFO
