"""Names in words for the enum values and catalog keys a stored result holds.

A value is looked up in the domain's own words
(:attr:`rampwise.rules.process.MachiningStrategy.label`, the ``description`` column of
``catalog/machines.csv``, …); a value this version does not know (a machine class no
longer in the catalog) falls back to :func:`rampwise.app.web.present.humanise`.
"""

from __future__ import annotations

from typing import Any

from rampwise.app.web.present import humanise
from rampwise.core.shop import default_shop
from rampwise.rules.inspection import StepKind
from rampwise.rules.process import MachiningStrategy, Route
from rampwise.rules.process_capability import in_words
from rampwise.rules.strategies import StrategyName


def _label(kind: type[MachiningStrategy] | type[StrategyName] | type[StepKind], value: Any) -> str:
    """``kind(value).label``, or the value humanised when ``kind`` has no such member."""
    try:
        return kind(value).label
    except ValueError:
        return humanise(value)


def machine_name(machine_class: Any) -> str:
    """A machine class key in the catalog's words: ``mill_5axis`` → ``5-axis machining centre``."""
    machine = default_shop().machines.get(str(machine_class))
    return machine.description if machine else humanise(machine_class)


def strategy_name(name: Any) -> str:
    """A quote strategy in words: ``hybrid_am`` → ``Hybrid AM``."""
    return _label(StrategyName, name)


def step_name(kind: Any) -> str:
    """An inspection step kind in words: ``in_process_spc`` → ``In-process SPC``."""
    return _label(StepKind, kind)


def route_strategy(route: Route) -> str:
    """A route's strategy and setups, capitalised: ``5-axis milling in 2 setups``."""
    text = route.strategy_text
    return text[:1].upper() + text[1:]


TEMPLATE_FILTERS = {
    "machine_name": machine_name,
    "strategy_name": strategy_name,
    "step_name": step_name,
    "route_strategy": route_strategy,
    "in_words": in_words,
}
"""The label filters of the templates."""
