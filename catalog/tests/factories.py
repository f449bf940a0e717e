"""Factories for the catalogue: districts, producers, products, certificates, stock."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from oscar.core.loading import get_model

District = get_model("catalogue", "District")
Producer = get_model("catalogue", "Producer")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Huyện thử {n}")
    slug = factory.Sequence(lambda n: f"huyen-thu-{n}")
    kind = "district"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"HTX Thử nghiệm {n}")


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    partner = factory.SubFactory(PartnerFactory)
    kind = "cooperative"
    district = factory.SubFactory(DistrictFactory)
    registration_number = factory.Sequence(lambda n: f"40{n:08d}")
    email = factory.Sequence(lambda n: f"producer{n}@example.vn")


class ProductClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductClass
        django_get_or_create = ("slug",)

    slug = "san-pham-ocop"  # catalog.services.products.ocop_product_class finds it by this slug
    name = "Sản phẩm OCOP"
    requires_shipping = True
    track_stock = True


class ProductFactory(factory.django.DjangoModelFactory):
    """A standalone product with a producer; add stock and a certificate with the helpers below."""

    class Meta:
        model = Product

    structure = Product.STANDALONE
    title = factory.Sequence(lambda n: f"Sản phẩm thử {n}")
    product_class = factory.SubFactory(ProductClassFactory)
    producer = factory.SubFactory(ProducerFactory)
    is_public = True
    weight_grams = 500


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OcopCertificate

    product = factory.SubFactory(ProductFactory)
    stars = 4
    score = Decimal("75")
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decision_date = factory.LazyFunction(lambda: days_ago(100))
    level = factory.LazyAttribute(lambda o: "central" if o.stars == 5 else "province")
    kind = "new"
    status = "verified"


class StockRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockRecord

    product = factory.SubFactory(ProductFactory)
    partner = factory.LazyAttribute(lambda o: o.product.producer.partner)
    partner_sku = factory.Sequence(lambda n: f"SKU{n:06d}")
    price_currency = "VND"
    price = Decimal("150000")
    num_in_stock = 20


def make_certified_product(
    *, stars: int = 4, price: Decimal = Decimal("150000"), stock: int = 20, lapsed: bool = False, **product_kwargs
):
    """A product for sale: producer, stock record and a certificate (lapsed if asked)."""
    product = ProductFactory(**product_kwargs)
    score = {3: Decimal("60"), 4: Decimal("75"), 5: Decimal("92")}[stars]
    decision_date = days_ago(40 * 30) if lapsed else days_ago(100)
    CertificateFactory(product=product, stars=stars, score=score, decision_date=decision_date)
    StockRecordFactory(product=product, price=price, num_in_stock=stock)
    return product
