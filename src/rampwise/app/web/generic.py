"""Generic rendering of result JSON as HTML: mappings as definition lists, rows as tables.

The result page shows every field of a stored assessment, including the ones it does not
lay out by name ("All fields", sections a later model adds). A template macro called per
value made that most of the page's rendering time (about two hundred macro calls per
page), so the same markup is built here in one recursive pass, every text escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from rampwise.app.web.present import fmt, humanise

MAX_DEPTH = 3
"""Deepest nesting shown as lists and tables; a mapping deeper down is shown as JSON."""


def is_scalar(item: Any) -> bool:
    """True for text, numbers, booleans and None."""
    return item is None or isinstance(item, str | int | float | bool)


def is_rows(item: Any) -> bool:
    """True for a non-empty list of JSON objects (shown as a table)."""
    return isinstance(item, list) and bool(item) and all(isinstance(v, Mapping) for v in item)


def columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Columns of a table of rows: every key, in order of first appearance."""
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def value(item: Any, depth: int = 0) -> Markup:
    """A JSON value as HTML.

    Parameters
    ----------
    item
        Text, a number, a boolean, ``None``, a list or a mapping of those.
    depth
        How deep ``item`` sits in the value being shown (0 at the top) [unitless].

    Returns
    -------
    Markup
        Scalars as short text (:func:`~rampwise.app.web.present.fmt`); a list of
        mappings as a table, one column per key; a mapping as a definition list (as
        JSON below :data:`MAX_DEPTH`); other lists as text when every item is a scalar,
        else as a bulleted list; an empty list as ``—``.
    """
    parts: list[str] = []
    _write(item, depth, parts)
    return Markup("".join(parts))


def _text(text: str) -> str:
    """Text escaped for HTML, as :func:`markupsafe.escape` does it, faster for plain text."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return str(escape(text))
    return text


def _write(item: Any, depth: int, parts: list[str]) -> None:
    kind = type(item)
    if kind is str:
        parts.append(_text(item))
    elif kind is float or kind is int or kind is bool or item is None or is_scalar(item):
        parts.append(_text(fmt(item)))
    elif kind is dict or isinstance(item, Mapping):
        if depth > MAX_DEPTH:
            parts.append(f"<code>{htmlsafe_json_dumps(item, sort_keys=True)}</code>")
            return
        parts.append('<dl class="kv">')
        for key, entry in item.items():
            parts.append(f"<dt>{_text(humanise(key))}</dt><dd>")
            _write(entry, depth + 1, parts)
            parts.append("</dd>")
        parts.append("</dl>")
    elif is_rows(item):
        _write_table(item, depth, parts)
    elif isinstance(item, Sequence):
        if not item:
            parts.append("—")
        elif all(is_scalar(entry) for entry in item):
            parts.append(_text(fmt(item)))
        else:
            parts.append("<ul>")
            for entry in item:
                parts.append("<li>")
                _write(entry, depth + 1, parts)
                parts.append("</li>")
            parts.append("</ul>")
    else:
        parts.append(_text(str(item)))


def _write_table(rows: list[Mapping[str, Any]], depth: int, parts: list[str]) -> None:
    keys = columns(rows)
    parts.append('<div class="scroll"><table><thead><tr>')
    parts.extend(f'<th scope="col">{_text(humanise(key))}</th>' for key in keys)
    parts.append("</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>")
        for key in keys:
            parts.append("<td>")
            _write(row.get(key), depth + 1, parts)
            parts.append("</td>")
        parts.append("</tr>")
    parts.append("</tbody></table></div>")


TEMPLATE_GLOBALS = {"value": value}
"""What this module offers the templates."""
