"""Links from a figure to the list of the records behind it, with the list page's own filters.

A figure links only to list pages that exist, and passes only the filters that page's FilterSet knows, so a
link never pretends to filter by something the list ignores.
"""

from functools import cache
from importlib import import_module
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

# url name -> "module:FilterSet" of the list page
LIST_PAGES = {
    "findings:finding_list": "findings.filters:FindingFilter",
    "referrals:lead_list": "referrals.filters:LeadFilter",
    "rectification:task_list": "rectification.filters:TaskFilter",
    "rectification:feedback_list": "rectification.filters:FeedbackFilter",
    "rounds:petition_list": "rounds.filters:PetitionFilter",
}


@cache
def _filter_names(url_name: str) -> frozenset | None:
    target = LIST_PAGES.get(url_name)
    if target is None:
        return None
    module_name, class_name = target.split(":")
    try:
        filterset = getattr(import_module(module_name), class_name)
    except (ImportError, AttributeError):
        return None
    return frozenset(filterset.base_filters)


def list_url(url_name: str, params: dict, *args) -> str | None:
    try:
        url = reverse(url_name, args=args)
    except NoReverseMatch:
        return None
    names = _filter_names(url_name)
    kept = {k: v for k, v in params.items() if v not in (None, "") and (names is None or k in names)}
    return f"{url}?{urlencode(kept)}" if kept else url
