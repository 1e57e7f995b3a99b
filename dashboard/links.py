"""Links from a figure to the list of the records behind it, with the list page's own filters.

A figure links only to list pages that exist. The filters that select the records of the figure (`required`,
e.g. fixed_on_site=true) must all be known to the page's FilterSet, or the figure gets no link rather than a
link to the wrong records; the dashboard's scope filters (round, plan, year, unit kind) are passed where the
page knows them.
"""

from functools import cache
from importlib import import_module
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

# url name -> "module:FilterSet" of the list page
LIST_PAGES = {
    "findings:finding_list": "findings.filters:FindingFilter",
    "referrals:lead_list": "referrals.filters:LeadFilter",
    "referrals:statistics": "referrals.filters:FiguresFilter",
    "rectification:task_list": "rectification.filters:TaskFilter",
    "rectification:overview": "rectification.filters:FeedbackFilter",
    "rounds:round_list": "rounds.filters:RoundFilter",
    "rounds:petition_list": "rounds.filters:PetitionFilter",
}


@cache
def filter_names(url_name: str) -> frozenset | None:
    target = LIST_PAGES.get(url_name)
    if target is None:
        return None
    module_name, class_name = target.split(":")
    try:
        filterset = getattr(import_module(module_name), class_name)
    except (ImportError, AttributeError):
        return None
    return frozenset(filterset.base_filters)


def list_url(url_name: str, scope_params: dict, required: dict | None = None, args=()) -> str | None:
    try:
        url = reverse(url_name, args=args)
    except NoReverseMatch:
        return None
    names = filter_names(url_name)
    required = required or {}
    if required and (names is None or not set(required) <= names):
        return None
    kept = {k: v for k, v in scope_params.items() if v not in (None, "") and names is not None and k in names}
    kept.update(required)
    return f"{url}?{urlencode(kept)}" if kept else url
