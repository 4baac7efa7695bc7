"""The result page shows each break's price and lead time in every tier, and the deliveries."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from rampwise.api import open_plan
from rampwise.app.store import create_project
from rampwise.core.shop import default_shop
from rampwise.io.project_file import load_project, project_from_mapping
from rampwise.rules.leadtime import LeadTimeTier
from support import TODAY, build_document


def test_the_result_page_lists_every_tier_per_break(client: TestClient) -> None:
    """Expedite +50 % and economy −10 % on the standard price (catalog lead_times.price_factor)."""
    document = build_document(ready=True)
    result = open_plan(project_from_mapping(document), shop=default_shop(), today=TODAY).assess()
    assert result.quote is not None
    database = client.app.state.services.database  # type: ignore[attr-defined]
    with database.write() as session:
        detail = create_project(session, document=document, result=result)
    assert detail.latest_assessment is not None
    page = client.get(f"/assessments/{detail.latest_assessment.id}").text
    assert "Price and lead time per tier" in page
    assert "Expedite +50 %" in page and "Economy -10 %" in page
    first = result.quote.breaks[0]
    standard = first.unit_price_tiers[LeadTimeTier.STANDARD]
    assert f"{standard:,.2f} · {first.lead_time_tiers[LeadTimeTier.STANDARD]} d" in page
    # demand [100, 110, 95, 105, 100, 98]: mean 101.3 a month, far below the small shop's
    assert "against a demand of 101.3 a month" in page and "short of the demand" not in page


def test_the_quote_shows_the_deliveries_against_the_demand(examples_dir: Path) -> None:
    """The valve body's 1,000 a month (mean of its 8 monthly periods) on the small shop."""
    project = load_project(examples_dir / "valve_body_production.yaml", today=TODAY)
    quote = open_plan(project, shop=default_shop(), today=TODAY).quote([2000])
    assert quote.deliveries is not None
    assert quote.deliveries.demand_per_month == 1000  # (950 + 1050 + … + 1010) / 8 = 8000 / 8
    assert quote.deliveries.demand_basis == "mean of 8 monthly periods"
    assert any("deliveries: demand 1,000 pcs a month" in a for a in quote.assumptions)
