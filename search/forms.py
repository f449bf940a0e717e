"""The shopper's search and filter form, used by the search box on every page and the listing pages.

Oscar's haystack form is replaced: filtering happens in ``search.selectors``.
"""

from django import forms
from django.forms.widgets import Input
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog import ocop
from search import selectors


class SearchInput(Input):
    input_type = "search"


class SlugListField(forms.Field):
    """Several slugs under one name (``?district=hoi-an&district=tam-ky``).

    Each value is cleaned by a ``SlugField``, so a NUL character or any other non-slug is
    refused here instead of reaching the database.
    """

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> tuple[str, ...]:
        if not value:
            return ()
        if isinstance(value, str):
            value = [value]
        slug = forms.SlugField(required=False)
        return tuple(cleaned for cleaned in (slug.clean(item) for item in value) if cleaned)


MAX_PRICE = 10**10 - 1


class SearchForm(forms.Form):
    SORT_BY_CHOICES = [
        (selectors.RELEVANCE, _("Relevance")),
        (selectors.STARS, _("OCOP stars")),
        (selectors.NEWEST, _("Newest")),
        (selectors.PRICE_ASC, _("Price low to high")),
        (selectors.PRICE_DESC, _("Price high to low")),
        (selectors.TITLE, _("Name A to Z")),
    ]
    STAR_CHOICES = [(5, "5★"), (4, "4★"), (3, "3★")]

    q = forms.CharField(
        required=False,
        max_length=200,
        label=_("Search"),
        widget=SearchInput({"placeholder": _("Search OCOP products"), "tabindex": "1", "class": "form-control"}),
    )
    group = forms.SlugField(required=False, label=_("Product group"))
    stars = forms.TypedMultipleChoiceField(
        required=False, coerce=int, choices=STAR_CHOICES, label=_("OCOP stars"), widget=forms.CheckboxSelectMultiple
    )
    district = SlugListField(required=False, label=_("District"))
    # Bounded by what the columns hold (a big integer key, a price of 12 digits with 2 decimals), so an
    # out-of-range value is an invalid field, ignored, instead of an overflow in SQL.
    producer = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, label=_("Producer"))
    price_min = forms.IntegerField(required=False, min_value=0, max_value=MAX_PRICE, label=_("Price from (₫)"))
    price_max = forms.IntegerField(required=False, min_value=0, max_value=MAX_PRICE, label=_("Price to (₫)"))
    in_stock = forms.BooleanField(required=False, label=pgettext_lazy("stock filter", "In stock"))
    sort_by = forms.ChoiceField(required=False, choices=SORT_BY_CHOICES, label=_("Sort by"))

    def clean_q(self) -> str:
        return ocop.nfc(self.cleaned_data["q"])

    def filters(self, *, category=None) -> selectors.ProductFilters:
        """The filters the valid fields ask for; an invalid field is ignored, not an error page."""
        if not self.is_bound:
            return selectors.ProductFilters(category=category)
        self.is_valid()
        data = self.cleaned_data
        return selectors.ProductFilters(
            query=data.get("q") or "",
            category=category,
            group=data.get("group") or "",
            stars=tuple(data.get("stars") or ()),
            districts=data.get("district") or (),
            producer=data.get("producer"),
            price_min=data.get("price_min"),
            price_max=data.get("price_max"),
            in_stock=bool(data.get("in_stock")),
            sort=data.get("sort_by") or "",
        )
