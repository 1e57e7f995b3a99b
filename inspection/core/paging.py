"""Page numbers for list pages that stay fast at province scale.

A page never counts more than `max_count` rows exactly: a county's few thousand rows show their exact count and
every page, a province's millions show "10,000+" and the first `max_count` rows in pages. Rows beyond are reached
by narrowing the filters (the page says so), so no request counts or skips millions of rows.
`?page=last` is the last reachable page; a page number that is not a number or out of range gives a normal page.

Two queries a page, however deep: the count (`COUNT(*)` over at most `max_count + 1` ids, unordered) and the
page's ids (`SELECT id ... ORDER BY ... OFFSET n LIMIT per_page`, which an index on the ordering answers
without touching the joined tables), then the rows of those ids with their joins. Skipping 10,000 index
entries costs a few milliseconds; skipping 10,000 fully joined rows costs fifty.
"""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

DEFAULT_MAX_COUNT = 10_000


class CappedPage(Page):
    @property
    def page_links(self):
        """Page numbers around this one, with `Paginator.ELLIPSIS` where numbers are left out."""
        return list(self.paginator.get_elided_page_range(self.number, on_each_side=2, on_ends=1))


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *args, max_count=None, annotate_page=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.max_count = max_count or getattr(settings, "LIST_PAGE_MAX_COUNT", DEFAULT_MAX_COUNT)
        self.annotate_page = annotate_page  # adds per-row figures to the page's rows only

    @cached_property
    def _counted(self) -> int:
        """Rows up to `max_count + 1` (one more tells whether there are more): one bounded COUNT query."""
        limit = self.max_count + 1
        if isinstance(self.object_list, QuerySet):
            # Any `limit` rows give the same answer: no ORDER BY, so no sort of a province's rows.
            return self.object_list.order_by()[:limit].count()
        if hasattr(self.object_list, "count") and not isinstance(self.object_list, list | tuple):
            return self.object_list[:limit].count()
        return len(self.object_list[:limit])

    @cached_property
    def capped(self) -> bool:
        return self._counted > self.max_count

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.max_count)

    @property
    def count_label(self) -> str:
        return f"{self.count:,}+" if self.capped else str(self.count)

    def number_or_last(self, number):
        """`get_page` argument: "last" is the last reachable page; anything else goes to `get_page` as is."""
        if isinstance(number, str) and number.strip().lower() == "last":
            return self.num_pages
        if isinstance(number, str) and len(number) > 12:
            return 1  # no giant integers parsed from the query string
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom, top):
        if not isinstance(self.object_list, QuerySet):
            return self.object_list[bottom:top]
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        if not ids:
            return self.object_list.none()
        # Same ordering: sorting these few rows again puts them in the order their ids came in.
        rows = self.object_list.filter(pk__in=ids)
        return self.annotate_page(rows) if self.annotate_page else rows

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)
