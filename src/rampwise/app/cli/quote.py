"""The ``quote`` command: price ladder, lead times and set-up strategies of a project."""

from __future__ import annotations

from pathlib import Path

import typer
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from rampwise.api import open_plan
from rampwise.app.cli._common import console, emit_json, guarded, parse_number_list
from rampwise.core.shop import default_shop
from rampwise.io.project_file import load_project
from rampwise.io.shop_file import resolve_shop
from rampwise.rules.cost import DEFAULT_BREAKS, driver_shares
from rampwise.rules.leadtime import LeadTimeTier
from rampwise.rules.quote import Quote
from rampwise.rules.strategies import DEFAULT_STRATEGY

PROJECT_ARG = typer.Argument(..., help="Project file (YAML).", show_default=False)
QTY_OPT = typer.Option(
    None,
    "--qty",
    help="Quantity breaks, comma-separated (default 1,5,10,25,50,100,250,500,1000).",
    show_default=False,
)
SHOP_OPT = typer.Option(
    None,
    "--shop",
    help="Shop file (YAML or TOML) overriding catalog rates; default $RAMPWISE_SHOP.",
    show_default=False,
)
TIER_OPT = typer.Option(LeadTimeTier.STANDARD, "--tier", help="Lead-time tier shown.")
MACHINE_OPT = typer.Option(
    None,
    "--machine",
    help="Machine class (mill_3axis, mill_5axis, lathe, swiss, grinder, edm) to price on "
    "instead of the route's; default the route's.",
    show_default=False,
)
PLOT_OPT = typer.Option(
    None, "--plot", help="Write the ladder chart (.png, .svg or .pdf).", show_default=False
)
JSON_OPT = typer.Option(False, "--json", help="Print the quote as JSON on stdout.")


def register(app: typer.Typer) -> None:
    """Add the ``quote`` command to ``app``."""
    app.command("quote")(quote_command)


@guarded
def quote_command(
    project: Path = PROJECT_ARG,
    qty: str | None = QTY_OPT,
    shop: Path | None = SHOP_OPT,
    tier: LeadTimeTier = TIER_OPT,
    machine: str | None = MACHINE_OPT,
    plot: Path | None = PLOT_OPT,
    json: bool = JSON_OPT,
) -> None:
    """Unit price, total and lead time per quantity, with price drivers and strategies.

    Priced on the plan ``rampwise assess`` makes (each quantity on the plan of the stage
    it runs under: same route, inspection plan and validation run), with the given
    ladder, shop and tier.
    """
    quantities = parse_number_list("--qty", qty) if qty is not None else list(DEFAULT_BREAKS)
    loaded = load_project(project)
    result = open_plan(loaded, shop=resolve_shop(shop)).quote(
        quantities, tier=tier, machine=machine
    )
    if plot is not None:
        from rampwise.render.quote_plot import plot_ladder

        plot_ladder(result, plot, title=f"{loaded.project}: unit price by quantity")
    if json:
        emit_json(result)
        return
    console.print(quote_view(result, title=f"{loaded.project} · part {loaded.part.number}"))
    if plot is not None:
        console.print(f"Ladder chart written to {plot}")


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _tier_words(quote: Quote) -> str:
    """The quote's tier, with its premium or discount on the standard price when it has one."""
    words = f"prices and lead time in {quote.tier.value} working days"
    standard = quote.breaks[0].unit_price_tiers.get(LeadTimeTier.STANDARD) if quote.breaks else None
    if quote.tier is LeadTimeTier.STANDARD or not standard:
        return words
    change = quote.breaks[0].unit_price / standard - 1
    return f"{words} ({change:+.0%} on the standard price)"


def _tier_table(quote: Quote) -> list[RenderableType]:
    """Unit price and working days of every tier per break (none for a stored quote without)."""
    if not quote.breaks or not quote.breaks[0].unit_price_tiers:
        return []
    cur = quote.currency
    table = Table(
        title="Every tier per break: unit price and working days",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("Qty", justify="right", no_wrap=True)
    standard = quote.breaks[0].unit_price_tiers[LeadTimeTier.STANDARD]
    for tier in LeadTimeTier:
        change = quote.breaks[0].unit_price_tiers[tier] / standard - 1
        label = tier.label if tier is LeadTimeTier.STANDARD else f"{tier.label} {change:+.0%}"
        table.add_column(f"{label} [{cur}, d]", justify="right", no_wrap=True)
    for b in quote.breaks:
        table.add_row(
            f"{b.quantity:,}",
            *(f"{_money(b.unit_price_tiers[t])} · {b.lead_time_tiers[t]}" for t in LeadTimeTier),
        )
    return [table]


def quote_view(quote: Quote, *, title: str) -> RenderableType:
    """The ladder, the strategies, notes and assumptions as Rich renderables."""
    cur = quote.currency
    ladder = Table(
        title=f"{title} — {quote.stage.adjective} stage"
        + ("" if len({b.stage for b in quote.breaks}) == 1 else " (each quantity on its own plan)")
        + ", "
        f"{default_shop().machine(quote.machine_class).description}, prices ±"
        f"{quote.uncertainty.fraction:.0%}, {_tier_words(quote)}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for header in ("Qty", f"Unit [{cur}]", f"Total [{cur}]", "Days"):
        ladder.add_column(header, justify="right", no_wrap=True)
    mixed = len({b.stage for b in quote.breaks}) > 1  # else the title names the one plan
    if mixed:
        ladder.add_column("Plan", no_wrap=True)
    ladder.add_column("Top driver", no_wrap=True)
    ladder.add_column("Workholding", no_wrap=True)
    for b in quote.breaks:
        shares = driver_shares(b.drivers)
        ladder.add_row(
            f"{b.quantity:,}",
            _money(b.unit_price),
            _money(b.total_price),
            str(b.lead_time_days),
            *((b.stage.label,) if mixed else ()),
            f"{shares[0][0]} {shares[0][1]:.0%}" if shares else "—",
            b.strategy.label,
        )
    tiers = _tier_table(quote)
    strategies = Table(
        title=f"Strategies against soft jaws (per part at {quote.order_quantity:,} pcs)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    strategies.add_column("Strategy", no_wrap=True)
    strategies.add_column(f"One-time [{cur}]", justify="right")
    strategies.add_column(f"Per part [{cur}]", justify="right")
    strategies.add_column("Break-even [pcs]", justify="right")
    for s in quote.strategies:
        if s.break_even_quantity is not None:
            even = f"{s.break_even_quantity:,}"
        else:
            even = "default" if s.name is DEFAULT_STRATEGY else "never"
        strategies.add_row(
            s.name.label + ("" if s.applies else " (n/a)"),
            _money(s.one_time_cost),
            _money(s.per_part_cost),
            even,
        )
    parts: list[RenderableType] = [ladder, *tiers, strategies]
    parts.extend(Text(f"• {s.name.label}: {s.note}", style="dim") for s in quote.strategies)
    if quote.notes:
        parts.append(Text("Notes", style="bold yellow"))
        parts.extend(Text(f"• {note}", style="yellow") for note in quote.notes)
    parts.append(Text("Assumptions", style="bold"))
    parts.extend(Text(f"• {line}", style="dim") for line in quote.assumptions)
    return Group(*parts)
