"""Base views shared by every app's pages. Every page asks `access` for its rows and its objects."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.views.generic import ListView

from . import access


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


class ScopedListView(AccessMixin, ListView):
    """A list page: rows from the access scope, narrowed by a django-filter FilterSet, paginated."""

    filterset_class = None
    paginate_by = 30

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self):
        queryset = access.visible(self.request.user, self.base_queryset())
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
            if self.filterset.is_bound and self.filterset.is_valid():
                queryset = self.filterset.qs
        else:
            self.filterset = None
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context
