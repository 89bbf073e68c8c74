"""What the browser tests check on every page: nothing reaches past the right edge, and
axe-core (vendored in tests/e2e/vendor/) finds no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[1] / "e2e" / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = ["critical", "serious"]


def overflowing_elements(page: Page) -> list[str]:
    """The elements that reach past the right edge, to say what makes a page too wide."""
    return page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 8)
            .map((element) => {
                const name = element.tagName.toLowerCase()
                    + (element.id ? "#" + element.id : "")
                    + (element.className && typeof element.className === "string"
                       ? "." + element.className.trim().split(/\\s+/).join(".") : "");
                return name + " right=" + Math.round(element.getBoundingClientRect().right);
            })"""
    )


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (impacts) => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations
                .filter((violation) => impacts.includes(violation.impact))
                .map((violation) => ({
                    rule: violation.id,
                    impact: violation.impact,
                    help: violation.help,
                    nodes: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
                }));
        }""",
        BLOCKING_IMPACTS,
    )
