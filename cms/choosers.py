"""The product chooser of the Wagtail admin: search by name or code, filter by group and former district."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from catalog.selectors import browsable_products

Category = get_model("catalogue", "Category")
District = get_model("catalogue", "District")


class ProductFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search term"), required=False, widget=forms.TextInput(attrs={"placeholder": _("Name or code")})
    )
    group = forms.ModelChoiceField(label=_("Product group"), queryset=Category.objects.filter(depth=1), required=False)
    district = forms.ModelChoiceField(label=_("Former district"), queryset=District.objects.all(), required=False)

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.filter(
                Q(title__icontains=query) | Q(upc__icontains=query) | Q(producer__partner__name__icontains=query)
            )
        if group := self.cleaned_data.get("group"):
            objects = objects.filter(categories__path__startswith=group.path).distinct()
        if district := self.cleaned_data.get("district"):
            objects = objects.filter(producer__district=district)
        return objects


class ProductListingMixin:
    """Only products the catalogue shows, with their producer and former district beside the name."""

    filter_form_class = ProductFilterForm
    ordering = ["title"]

    def get_object_list(self):
        return browsable_products().select_related("producer__partner", "producer__district")

    @property
    def columns(self):
        return super().columns + [
            Column("producer", label=_("Producer"), accessor="producer"),
            Column("district", label=_("Former district"), accessor="producer.district"),
        ]


class ProductChooseView(ProductListingMixin, chooser_views.ChooseView):
    pass


class ProductChooseResultsView(ProductListingMixin, chooser_views.ChooseResultsView):
    pass


class ProductChooserViewSet(ChooserViewSet):
    model = "catalogue.Product"
    icon = "tag"
    choose_one_text = _("Choose a product")
    choose_another_text = _("Choose another product")
    edit_item_text = _("Edit product")
    per_page = 20
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView


product_chooser_viewset = ProductChooserViewSet("product_chooser", url_prefix="product-chooser")
