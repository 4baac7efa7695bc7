"""rampwise: stage, readiness, route, quote and batch-quality decisions for CNC-machined parts."""

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("rampwise")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__", "assess"]


def __getattr__(name: str) -> Any:
    """``rampwise.assess`` and the rest of :mod:`rampwise.api`, imported on first use.

    The package itself stays light: ``rampwise --help`` and ``rampwise limits`` do not
    load the pipeline (PEP 562 module ``__getattr__``).
    """
    if name == "assess":
        from rampwise.api import assess

        return assess
    raise AttributeError(f"module 'rampwise' has no attribute {name!r}")
