"""Child process of :func:`rampwise.app.web.tasks.run_limited`: run one function, print JSON.

Reads ``{"function": "module:name", "args": [...]}`` on stdin, calls the function and
writes ``{"outcome": "ok", "value": …}`` (or the error) as one JSON document to the
original stdout. Anything a native library prints goes to stderr instead, so it can
never corrupt the answer.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from typing import Any

from rampwise.core.errors import InputError, RampwiseError


def _call(request: dict[str, Any]) -> dict[str, Any]:
    module_name, _, name = str(request["function"]).partition(":")
    function = getattr(importlib.import_module(module_name), name)
    try:
        return {"outcome": "ok", "value": function(*request["args"])}
    except InputError as err:
        return {"outcome": "input", "field": err.field, "message": err.message}
    except RampwiseError as err:
        return {"outcome": "rampwise", "message": str(err)}
    except Exception as err:  # reported to the job, never shown as a traceback
        return {"outcome": "crash", "message": f"{type(err).__name__}: {err}"}


def main() -> None:
    """Entry point: ``python -m rampwise.app.web.child``."""
    answer = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    request = json.loads(sys.stdin.read())
    json.dump(_call(request), answer)
    answer.flush()


if __name__ == "__main__":
    main()
