from django.db.models import Exists, OuterRef, QuerySet
from oscar.core.loading import get_model

from catalog.selectors import verified_certificates_prefetch
from outlets import stock

Option = get_model("catalogue", "Option")
Product = get_model("catalogue", "Product")


def products_to_add() -> QuerySet:
    """Products as adding one to the basket reads them, in three queries whatever it checks.

    The add form asks whether the product has options (Oscar's annotations answer it), the partner
    strategy picks the selling stock record and applies the OCOP rule (its producer, stock records and
    verified certificates), and the basket line stores the product class's rules.
    """
    return (
        Product.objects.select_related("product_class", "producer__partner", "parent__product_class")
        .annotate(
            has_product_class_options=Exists(Option.objects.filter(productclass=OuterRef("product_class"))),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related(stock.prefetch_selling_records(), verified_certificates_prefetch())
    )
