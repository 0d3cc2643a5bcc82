"""LLaMA-Factory datasets as they are: a `dataset_info.json` entry names the file, its
formatting (alpaca or sharegpt), whether it is a preference (ranking) dataset, which
columns hold what, and for sharegpt which tags mark each role. `ftlint convert
dataset_info.json --dataset NAME` reads that description and hands each row to the
alpaca or sharegpt converter in the shape it knows (LLaMA-Factory's defaults), so a
dataset with renamed columns or OpenAI-style role/content tags converts as declared.

The description's fields are LLaMA-Factory's (data/README.md of hiyouga/LLaMA-Factory):
file_name, formatting, ranking, columns {prompt, query, response, history, messages,
system, tools, images, videos, chosen, rejected}, tags {role_tag, content_tag,
user_tag, assistant_tag, observation_tag, function_tag, system_tag}. Hub and script
datasets (hf_hub_url, ms_hub_url, script_url) are not local files: refused.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ftlint.i18n import _
from ftlint.rewriting.convert import Conversion, Unmappable

MAX_INFO_BYTES = 16 << 20

ALPACA_COLUMNS = {"prompt": "instruction", "query": "input", "response": "output", "history": None, "system": None, "tools": None,
                  "images": None, "videos": None, "chosen": None, "rejected": None}
SHAREGPT_COLUMNS = {"messages": "conversations", "system": None, "tools": None, "images": None, "videos": None, "chosen": None, "rejected": None}
SHAREGPT_TAGS = {"role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt", "observation_tag": "observation",
                 "function_tag": "function_call", "system_tag": "system"}
# The tag each role becomes in the sharegpt converter's own vocabulary.
CANONICAL_ROLE = {"user_tag": "human", "assistant_tag": "gpt", "observation_tag": "observation", "function_tag": "function_call", "system_tag": "system"}
# The canonical key each column becomes.
ALPACA_KEYS = {"prompt": "instruction", "query": "input", "response": "output", "history": "history", "system": "system", "tools": "tools",
               "images": "images", "videos": "videos", "chosen": "chosen", "rejected": "rejected"}


class DatasetInfoError(ValueError):
    """The description cannot be used (one line, exit 2)."""


@dataclass(frozen=True)
class Dataset:
    name: str
    file: Path  # the data file, resolved beside dataset_info.json
    formatting: str  # "alpaca" or "sharegpt"
    ranking: bool
    columns: dict[str, str | None] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    def adapter(self) -> Callable[[dict[str, Any], Conversion], dict[str, Any]]:
        """A function from one of the dataset's rows to the shape the converter reads.
        Columns the description does not declare are what LLaMA-Factory ignores: they
        are counted as dropped, never read (a stray `system` stays out of the row)."""
        return self._alpaca if self.formatting == "alpaca" else self._sharegpt

    def _rest(self, row: dict[str, Any], out: dict[str, Any], conv: Conversion) -> dict[str, Any]:
        declared = {c for c in self.columns.values() if c}
        for key, value in row.items():
            if key not in declared:
                conv.drop(key, value)
        return out

    def _require(self, row: dict[str, Any], columns: tuple[str, ...]) -> None:
        for column in columns:
            name = self.columns.get(column)
            if name and name not in row:
                raise Unmappable(_("the row has no {name!r} column (dataset_info.json declares it as {column})").format(name=name, column=column))

    def _alpaca(self, row: dict[str, Any], conv: Conversion) -> dict[str, Any]:
        self._require(row, ("prompt", "chosen", "rejected") if self.ranking else ("prompt", "response"))
        out: dict[str, Any] = {}
        for column, key in ALPACA_KEYS.items():
            name = self.columns.get(column)
            if name and name in row:
                out[key] = row[name]
        # LLaMA-Factory's user turn: the prompt and the query, each when not empty,
        # joined by one line break.
        parts = [out.get("instruction"), out.pop("input", None)]
        if all(isinstance(p, str) or p is None for p in parts):
            out["instruction"] = "\n".join(p for p in parts if p)
        elif parts[1] is not None:
            out["input"] = parts[1]  # not text: the converter says what is wrong with it
        return self._rest(row, out, conv)

    def _sharegpt(self, row: dict[str, Any], conv: Conversion) -> dict[str, Any]:
        self._require(row, ("messages", "chosen", "rejected") if self.ranking else ("messages",))
        out: dict[str, Any] = {}
        roles = {self.tags[tag]: CANONICAL_ROLE[tag] for tag in CANONICAL_ROLE if self.tags.get(tag)}
        role_tag, content_tag = self.tags["role_tag"], self.tags["content_tag"]

        def turn(item: Any) -> Any:
            if not isinstance(item, dict):
                return item  # the converter says what is wrong with it
            mapped = {k: v for k, v in item.items() if k not in (role_tag, content_tag)}
            if role_tag in item:
                role = item[role_tag]
                mapped["from"] = roles.get(role, role) if isinstance(role, str) else role
            if content_tag in item:
                mapped["value"] = item[content_tag]
            return mapped

        messages = row.get(self.columns.get("messages") or "conversations")
        if messages is not None:
            out["conversations"] = [turn(m) for m in messages] if isinstance(messages, list) else messages
        for column in ("system", "tools", "images", "videos"):
            name = self.columns.get(column)
            if name and name in row:
                out[column] = row[name]
        for column in ("chosen", "rejected"):
            name = self.columns.get(column)
            if name and name in row:
                out[column] = turn(row[name])
        return self._rest(row, out, conv)


def load(info_path: Path, name: str) -> Dataset:
    """The dataset `name` of a dataset_info.json. Raises DatasetInfoError."""
    try:
        with info_path.open("rb") as f:
            body = f.read(MAX_INFO_BYTES + 1)
    except OSError as err:
        raise DatasetInfoError(_("{path}: cannot read it: {err}").format(path=info_path, err=err.strerror or err)) from None
    if len(body) > MAX_INFO_BYTES:
        raise DatasetInfoError(_("{path}: over {size} MB: not a dataset_info.json").format(path=info_path, size=MAX_INFO_BYTES >> 20))
    try:
        info = json.loads(body)
    except (ValueError, RecursionError) as err:
        raise DatasetInfoError(_("{path}: not valid JSON: {err}").format(path=info_path, err=err)) from None
    if not isinstance(info, dict):
        raise DatasetInfoError(_("{path}: not a dataset_info.json (a JSON object of dataset descriptions)").format(path=info_path))
    entry = info.get(name)
    if not isinstance(entry, dict):
        close = difflib.get_close_matches(name, [str(k) for k in info], n=3)
        hint = _(" (did you mean {names}?)").format(names=", ".join(close)) if close else _(" (it names {names})").format(names=", ".join(list(map(str, info))[:10]))
        raise DatasetInfoError(_("{path}: no dataset {name!r}{hint}").format(path=info_path, name=name, hint=hint))
    where = f"{info_path}: {name}"
    for remote in ("hf_hub_url", "ms_hub_url", "script_url", "cloud_file_name"):
        if entry.get(remote) and not entry.get("file_name"):
            raise DatasetInfoError(_("{where}: {key} names a remote dataset; ftlint converts local files (download it and name it in file_name)").format(where=where, key=remote))
    file_name = entry.get("file_name")
    if not isinstance(file_name, str) or not file_name:
        raise DatasetInfoError(_("{where}: file_name is missing").format(where=where))
    file = info_path.parent / file_name
    if file.is_dir():
        raise DatasetInfoError(_("{where}: file_name {file} is a folder; ftlint converts one file at a time").format(where=where, file=file_name))
    if not file.is_file():
        raise DatasetInfoError(_("{where}: file_name {file}: no such file beside {info}").format(where=where, file=file_name, info=info_path.name))
    formatting = entry.get("formatting", "alpaca")
    if formatting == "openai":  # newer LLaMA-Factory: sharegpt with OpenAI's role/content tags
        formatting = "sharegpt"
        defaults_tags = {**SHAREGPT_TAGS, "role_tag": "role", "content_tag": "content", "user_tag": "user", "assistant_tag": "assistant"}
    else:
        defaults_tags = SHAREGPT_TAGS
    if formatting not in ("alpaca", "sharegpt"):
        raise DatasetInfoError(_("{where}: formatting {value!r} is not alpaca or sharegpt").format(where=where, value=formatting))
    columns_given = entry.get("columns") or {}
    tags_given = entry.get("tags") or {}
    if not isinstance(columns_given, dict) or not isinstance(tags_given, dict):
        raise DatasetInfoError(_("{where}: columns and tags must be objects").format(where=where))
    defaults = ALPACA_COLUMNS if formatting == "alpaca" else SHAREGPT_COLUMNS
    unknown = sorted(set(columns_given) - set(defaults) - {"kto_tag", "audios"})
    if unknown:
        raise DatasetInfoError(_("{where}: unknown column {names} for {formatting}").format(where=where, names=", ".join(unknown), formatting=formatting))
    if columns_given.get("kto_tag"):
        raise DatasetInfoError(_("{where}: a KTO dataset (kto_tag): the platform has no KTO training").format(where=where))
    columns = {**defaults, **{k: (str(v) if v else None) for k, v in columns_given.items()}}
    tags = {**defaults_tags, **{k: str(v) for k, v in tags_given.items() if v}}
    ranking = entry.get("ranking", False)
    if not isinstance(ranking, bool):
        # LLaMA-Factory reads any non-empty value as true, "false" too: say so, never guess.
        raise DatasetInfoError(_("{where}: ranking is {value!r}: write true or false (a JSON boolean)").format(where=where, value=ranking))
    return Dataset(name, file, formatting, ranking, columns, tags)
