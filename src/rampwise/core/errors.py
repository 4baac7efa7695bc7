"""The project's own exceptions and warnings.

Every user mistake surfaces as an :class:`InputError` (or a subclass) whose message is one
line naming the field and what is wrong; the CLI maps it to exit code 2 and the API to
HTTP 422. Failures of third-party kernels (OpenCascade, SciPy solvers) are translated into
these classes with ``raise ... from err`` so callers never see a foreign exception type.
"""

from __future__ import annotations


class RampwiseError(Exception):
    """Base class of every exception rampwise raises on purpose."""


class InputError(RampwiseError, ValueError):
    """A user-supplied value is missing, malformed or out of range.

    Parameters
    ----------
    field
        Dotted path of the offending field, e.g. ``"part.characteristics[0].tolerance"``.
    message
        What is wrong, in one line, ideally with the value received.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


class CatalogError(RampwiseError, LookupError):
    """A name was not found in a catalog table; the message lists the valid names."""


class GeometryError(InputError):
    """A CAD or mesh file cannot be read or has no usable solid."""


class RampwiseWarning(UserWarning):
    """Warnings rampwise emits itself (turned into errors by the test suite)."""
