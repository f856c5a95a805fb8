"""Helpers shared by several test modules (imported, never collected as tests).

Dash's page registry imports each page as ``pages.<name>``; :func:`page`
and :func:`callback` reach them after :func:`dashboard.app.create_app` ran.
"""

from __future__ import annotations

import sys
from typing import Any

from dash import dcc

from tests.conftest import tiny_records

__all__ = ["hostile_records", "page", "callback", "graphs", "dropdowns", "strings",
           "drawn_figures"]


def hostile_records(names: dict[str, str], city: str | None = None) -> dict[str, list[dict]]:
    """The tiny programme with organizations renamed (and A's city replaced)."""
    records = tiny_records()
    for org in records["organizations"]:
        org["name"] = names.get(org["org_id"], org["name"])
        if city is not None and org["org_id"] == "A":
            org["city"] = city
    return records


def page(name: str):
    """A page module as Dash registered it (create_app imports the pages)."""
    return sys.modules[f"pages.{name}"]


def callback(module: str, name: str):
    func = getattr(page(module), name)
    return getattr(func, "__wrapped__", func)


def graphs(component) -> list:
    """Every dcc.Graph figure in a Dash component tree."""
    found = []
    if isinstance(component, dcc.Graph):
        found.append(component.figure)
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            found += graphs(child)
    elif children is not None and hasattr(children, "to_plotly_json"):
        found += graphs(children)
    return found


def dropdowns(component) -> list:
    """Every dcc.Dropdown in a Dash component tree."""
    found = [component] if isinstance(component, dcc.Dropdown) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            found += dropdowns(child)
    return found


def strings(value: Any) -> list[str]:
    """Every string in a figure (its JSON form: data, layout, nested lists)."""
    if hasattr(value, "to_plotly_json"):
        value = value.to_plotly_json()
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return [s for v in list(value) for s in strings(v)]
    return []


def drawn_figures(app, orgs: list[str]) -> list:
    """The figures the pages draw, each organization in ``orgs`` focused in turn."""
    drawn = []
    with app.server.test_request_context("/"):
        drawn += graphs(page("overview").layout())
        drawn += graphs(page("gaps")._content("collaborated", None, None))
        drawn += graphs(callback("unogp", "_focal")(None))
        for org in orgs:
            for view, colour in (("geographic", "country"), ("force", "field"),
                                 ("force", "community")):
                drawn.append(callback("network", "_render")(
                    "combined", view, colour, "degree", org, None, None, None, None, None,
                    None)[0])
            drawn += graphs(callback("partners", "_results")(org, "balanced", None, None, None))
            drawn += graphs(page("org").layout(org_id=org))
    return drawn


