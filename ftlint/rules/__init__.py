"""The built-in rules, one module per rule, named after the rule's slug.

Importing this package imports (and so registers) every module in it. To add a rule,
copy the shape of a small one (blank_line.py for a line rule, prompt_completion.py for
a row rule, too_few_rows.py for a file rule) into a new module with a new code.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")
