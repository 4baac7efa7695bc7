"""rampwise: stage, readiness, route, quote and batch-quality decisions for CNC-machined parts."""

from typing import Any

__all__ = ["__version__", "assess"]


def __getattr__(name: str) -> Any:
    """``rampwise.assess`` and ``rampwise.__version__``, worked out on first use.

    The package itself stays light: ``rampwise --help`` and ``rampwise limits`` do not
    load the pipeline, nor :mod:`importlib.metadata` for the version (PEP 562 module
    ``__getattr__``).
    """
    if name == "assess":
        from rampwise.api import assess

        return assess
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("rampwise")
        except PackageNotFoundError:  # pragma: no cover - a source tree without install
            return "0.0.0"
    raise AttributeError(f"module 'rampwise' has no attribute {name!r}")
