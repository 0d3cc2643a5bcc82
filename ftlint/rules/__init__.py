"""The built-in rules, one module per rule, named after the rule's slug.

Importing this package registers them. To add a rule, copy the shape of a small one
(blank_line.py for a line rule, prompt_completion.py for a row rule, too_few_rows.py for
a file rule), give it a new code, and import it below.
"""

from ftlint.rules import (  # noqa: F401
    blank_line,
    content_not_string,
    cpt_text,
    deprecated_format,
    dpo_identical,
    dpo_prompt_end,
    dpo_response,
    duplicate_row,
    empty_content,
    empty_file,
    file_name,
    file_too_large,
    hyperparameter_range,
    invalid_json,
    invalid_utf8,
    legacy_text,
    loss_weight,
    message_not_object,
    messages_not_list,
    mixed_formats,
    not_an_object,
    prompt_completion,
    rows_below_batch_size,
    system_not_first,
    too_few_rows,
    turn_order,
    unknown_field,
    unknown_format,
    unknown_key,
    unknown_role,
    unreadable_file,
    unsupported_key,
    utf8_bom,
)
