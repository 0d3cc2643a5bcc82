"""Helpers for the rules of media packages (Wan image and video, CosyVoice)."""

from __future__ import annotations

import json
from typing import Any

from ftlint.i18n import _
from ftlint.job import VALIDATION
from ftlint.options import CheckOptions
from ftlint.rules._fields import string_problem


def is_validation(options: CheckOptions) -> bool:
    """A validation package of a job: its rows carry no targets (no img_path, no
    video_path), and the platform generates previews from them."""
    return options.job_role == VALIDATION


def kinds(options: CheckOptions) -> tuple[str, ...]:
    """The package kinds the job's model trains on; () without a media model."""
    model = options.media_model
    return model.kinds if model is not None else ()


def ascii_problem(value: str) -> str | None:
    """Why a file name in a row is not one the platform takes: English names only."""
    if not value.isascii():
        return _("must be ASCII (English file names only)")
    if any(ord(c) < 32 for c in value):
        return _("holds a control character")
    return None


def name_problem(data: dict[str, Any], key: str) -> str | None:
    """Why a row's file name field is not a non-empty ASCII string, or None."""
    return string_problem(data, key) or ascii_problem(data[key])


def media_row(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False)
