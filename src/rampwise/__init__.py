"""rampwise: stage, readiness, route, quote and batch-quality decisions for CNC-machined parts."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rampwise")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
