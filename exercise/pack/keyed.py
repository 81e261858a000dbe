"""Unions told apart by which key a mapping has: ``{all: [...]}`` versus ``{track: ...}``.

Pack conditions and script actions are written as one-key mappings. A callable
discriminator picks the branch from the key, so an error names the right field instead
of listing every branch's complaint.
"""

from __future__ import annotations

import functools
import operator
from typing import Annotated, Any

from pydantic import BaseModel, Discriminator, Tag


def keyed_union(members: dict[str, type[BaseModel]], noun: str, *, error_type: str) -> Any:
    """An annotated union of ``members`` (key -> model), chosen by the key present.

    Branch tags read "<key> <noun>" (with a space) so they can never be mistaken for a
    data key when errors are mapped back to file positions.
    """

    def tag(value: Any) -> str | None:
        if isinstance(value, BaseModel):
            for key, cls in members.items():
                if isinstance(value, cls):
                    return f"{key} {noun}"
            return None
        if isinstance(value, dict):
            for key in members:
                if key in value:
                    return f"{key} {noun}"
        return None

    article = "an" if noun[:1] in "aeiou" else "a"
    branches = [Annotated[cls, Tag(f"{key} {noun}")] for key, cls in members.items()]
    return Annotated[
        functools.reduce(operator.or_, branches),
        Discriminator(
            tag,
            custom_error_type=error_type,
            custom_error_message=f"{article} {noun} needs one of the keys " + ", ".join(members),
        ),
    ]
