"""Links that tick and untick filters on a listing page, keeping every other parameter."""

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from search.selectors import Facets

FILTER_PARAMS = ("group", "stars", "district", "price_min", "price_max", "producer", "in_stock")


@dataclass
class FacetLink:
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class FacetGroup:
    name: str
    param: str
    links: list[FacetLink]


def toggle_url(params: QueryDict, name: str, value: str, *, multiple: bool) -> str:
    """The query string with ``value`` of ``name`` switched; the page number is dropped."""
    params = params.copy()
    params.pop("page", None)
    values = params.getlist(name)
    if value in values:
        values = [v for v in values if v != value]
    elif multiple:
        values = values + [value]
    else:
        values = [value]
    params.setlist(name, values)
    return "?" + params.urlencode()


def facet_groups(facets: Facets, params: QueryDict, *, in_stock: bool = False) -> list[FacetGroup]:
    """The sidebar's filters; ``in_stock`` says whether the in-stock filter applies."""
    groups = []
    for name, param, options, multiple in (
        (_("Product group"), "group", facets.groups, False),
        (_("OCOP stars"), "stars", facets.stars, True),
        (_("District"), "district", facets.districts, True),
    ):
        selected = set(params.getlist(param))
        links = [
            FacetLink(
                label=option.label,
                count=option.count,
                selected=option.value in selected,
                url=toggle_url(params, param, option.value, multiple=multiple),
            )
            for option in options
        ]
        if links:
            groups.append(FacetGroup(name=str(name), param=param, links=links))
    # One checkbox, shown while it would find something or while it is ticked (so it can be unticked).
    if facets.in_stock or in_stock:
        link = FacetLink(
            label=str(pgettext_lazy("stock filter", "In stock")),
            count=facets.in_stock,
            selected=in_stock,
            url=toggle_url(params, "in_stock", params.get("in_stock", "") if in_stock else "1", multiple=False),
        )
        groups.append(
            FacetGroup(name=str(pgettext_lazy("stock filter", "Availability")), param="in_stock", links=[link])
        )
    return groups


def clear_filters_url(params: QueryDict) -> str:
    """Keeps the query and the sort order, drops every filter."""
    kept = QueryDict(mutable=True)
    for name in ("q", "sort_by"):
        if params.get(name):
            kept[name] = params[name]
    return "?" + kept.urlencode()
