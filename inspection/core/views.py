"""Base views shared by every app's pages. Every page asks `access` for its rows and its objects."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.generic import ListView

from . import access
from .paging import CappedPaginator


class AccessMixin(LoginRequiredMixin):
    """Page-level check: the user's role must allow `access_action` on `model` (object scope comes after)."""

    model = None
    access_action = "view"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not access.can(request.user, self.access_action, self.model):
            raise PermissionDenied("您无权访问此页面")
        return super().dispatch(request, *args, **kwargs)


def form_error(form, error) -> None:
    """A service's DomainError on the form it came from: on its field when the form has it, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def filtered(filterset):
    """The rows the filters select. A filter with a bad value shows its (Chinese) form error and is left out;
    the other filters still apply, so one typo does not silently list everything."""
    if not filterset.is_bound:
        return filterset.queryset
    return filterset.qs  # django-filter applies the cleaned (valid) fields only


class ScopedListView(AccessMixin, ListView):
    """A list page: rows from the access scope, narrowed by a django-filter FilterSet, paginated.

    Pages never count or skip more than `max_count` rows (`CappedPaginator`): at province scale the page says
    "共 10,000+ 条" and asks for narrower filters instead of counting millions of rows.
    """

    filterset_class = None
    paginate_by = 30
    paginator_class = CappedPaginator
    max_count = None  # rows counted exactly (None: settings.LIST_PAGE_MAX_COUNT or 10,000)

    def base_queryset(self):
        return self.model._default_manager.all()

    def annotate_page(self, queryset):
        """Per-row figures (counts over related rows) for the rows of the page only: annotated on the whole
        scope, they would join and group every row of a province just to count and skip rows."""
        return queryset

    def get_queryset(self):
        queryset = access.visible(self.request.user, self.base_queryset())
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
            queryset = filtered(self.filterset)
        else:
            self.filterset = None
        return queryset

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return self.paginator_class(
            queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page,
            max_count=self.max_count, annotate_page=self.annotate_page, **kwargs,
        )

    def paginate_queryset(self, queryset, page_size):
        """Like ListView's, but a bad or out-of-range `?page=` gives a normal page instead of a 404."""
        paginator = self.get_paginator(queryset, page_size, orphans=self.get_paginate_orphans(),
                                       allow_empty_first_page=self.get_allow_empty())
        page = paginator.get_page(paginator.number_or_last(self.request.GET.get(self.page_kwarg)))
        return (paginator, page, page.object_list, page.has_other_pages())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


def select_options(filterset, name) -> HttpResponse:
    """The <option>s the filter form would render for `name`, for htmx to swap into a select when the
    select it depends on (e.g. the round of a team) changes."""
    field = filterset.form.fields.get(name)
    choices = list(field.widget.choices) if field is not None else []
    return HttpResponse(render_to_string("includes/select_options.html", {"choices": choices}))
