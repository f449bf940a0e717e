"""Browse, category and search pages: one listing view, three ways in.

Replaces Oscar's haystack views (``catalogue.views`` takes ``CatalogueView`` and
``ProductCategoryView`` from here); the search and filters are in ``search.selectors``.
"""

from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.apps.search.signals import user_search
from oscar.core.loading import get_model

from search import facets, selectors
from search.cache import request_listing_version
from search.cards import CardCache
from search.forms import SearchForm

Category = get_model("catalogue", "Category")
Producer = get_model("catalogue", "Producer")


class ProductListView(generic.ListView):
    context_object_name = "products"
    form_class = SearchForm
    summary = _("All products")

    def get_category_and_groups(self) -> tuple:
        """The page's category (none here) and the OCOP product groups the filters name."""
        return None, selectors.group_categories(version=request_listing_version(self.request))

    def canonical_redirect(self, request):
        return None

    def get(self, request, *args, **kwargs):
        self.category, self.groups = self.get_category_and_groups()
        if redirect := self.canonical_redirect(request):
            return redirect
        self.form = self.form_class(request.GET)
        self.filters = self.form.filters(category=self.category)
        if self.form.errors:
            messages.warning(request, _("Some search filters could not be read and were ignored."))
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            messages.error(request, _("The given page number was invalid."))
            params = request.GET.copy()
            params.pop("page", None)
            return HttpResponseRedirect(f"{request.path}?{params.urlencode()}" if params else request.path)

    def get_paginate_by(self, queryset):
        # Read per request, not at import, so a settings change (or a test) takes effect.
        return settings.OSCAR_PRODUCTS_PER_PAGE

    def page_number(self) -> int | str:
        raw = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1
        if raw == "last":
            return raw
        try:
            number = int(raw)
        except (TypeError, ValueError):
            raise Http404() from None
        if number < 1:
            raise Http404()
        return number

    def get_queryset(self):
        """The page's products: the search backend answers the page, its total and the facet counts at once."""
        per_page = self.get_paginate_by(None)
        number = self.page_number()
        card_cache = CardCache(self.request)
        # The listing version, read once per request (the menu, the category tree and the sidebar are cached by
        # it too), before the listing, whose facet counts the backend keeps under it (search.backends.database).
        version = request_listing_version(self.request)
        self.listing = selectors.search_listing(
            self.filters,
            groups=self.groups,
            page=1 if number == "last" else number,
            per_page=per_page,
            card_cache=card_cache,
            version=version,
        )
        if number == "last":
            number = max(1, -(-self.listing.total // per_page))
            if number > 1:
                self.listing = selectors.search_listing(
                    self.filters,
                    groups=self.groups,
                    page=number,
                    per_page=per_page,
                    facets=True,
                    card_cache=card_cache,
                    version=version,
                )
        self.number = number
        return self.listing.products

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(ListingWindow(self.listing), page_size)
        try:
            page = paginator.page(self.number)
        except InvalidPage:
            raise Http404() from None
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        # Read once here: the menu and the category tree are cached by it (search.cache).
        request_listing_version(self.request)
        context = super().get_context_data(**kwargs)
        counts = self.listing.facets
        params = self.request.GET
        context.update(
            form=self.form,
            query=self.filters.query,
            current_sort=self.filters.sort_key,
            summary=self.summary,
            category=self.category,
            page=context["page_obj"],
            facet_groups=facets.facet_groups(counts, params, in_stock=self.filters.in_stock),
            has_filters=any(params.getlist(name) for name in facets.FILTER_PARAMS),
            producer=self.get_producer(),
            remove_producer_url=facets.toggle_url(params, "producer", params.get("producer", ""), multiple=False),
            clear_filters_url=facets.clear_filters_url(params),
        )
        if suggestion := self.get_suggestion(context["paginator"]):
            context["suggestion"] = suggestion
            context["suggestion_url"] = reverse("search:search") + "?" + urlencode({"q": suggestion})
        if not context["paginator"].count and self.filters.query:
            # A shopper who finds nothing learns why: the products that match are no longer on sale.
            context["lapsed_products"] = selectors.lapsed_matches(self.filters.query)
        return context

    def get_suggestion(self, paginator) -> str:
        if paginator.count or not self.filters.query:
            return ""
        return selectors.suggest_query(self.filters.query)

    def get_producer(self):
        if self.filters.producer is None:
            return None
        return Producer.objects.select_related("partner").filter(pk=self.filters.producer).first()


class ListingWindow:
    """A listing as Django's paginator sees it: ``total`` long, holding only the asked page's products."""

    def __init__(self, listing: selectors.Listing):
        self.listing = listing

    def __len__(self) -> int:
        return self.listing.total

    def __getitem__(self, window: slice) -> list:
        return self.listing.products


class CatalogueView(ProductListView):
    """All listed products: /catalogue/"""

    template_name = "oscar/catalogue/browse.html"


class ProductCategoryView(ProductListView):
    """A product group or sub-group and everything below it: /catalogue/category/<slug>_<pk>/"""

    template_name = "oscar/catalogue/category.html"

    def get_category_and_groups(self) -> tuple:
        category, groups = selectors.category_and_groups(self.kwargs["pk"])
        if category is None or not (category.is_public or self.request.user.is_staff):
            raise Http404()
        return category, groups

    def canonical_redirect(self, request):
        # Categories are found by primary key, so a renamed one redirects to its new slug.
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected)
        return None


class FacetedSearchView(ProductListView):
    """Search results: /search/?q=..."""

    template_name = "oscar/search/results.html"

    def get_queryset(self):
        # Sent with the cleaned query: a raw one may hold characters the database refuses.
        user_search.send(sender=self, session=self.request.session, user=self.request.user, query=self.filters.query)
        return super().get_queryset()


def suggest(request):
    """``/search/suggest/?q=``: products completing what the shopper types, as JSON for the search box."""
    form = SearchForm(request.GET)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    response = JsonResponse({"query": query, "suggestions": selectors.suggestions(query)})
    response["Cache-Control"] = "public, max-age=60"
    return response
