"""StreamField blocks for the editorial pages (after bakerydemo's ``blocks.py``).

``BaseStreamBlock`` is what every page body starts from: text, headings, images,
galleries, quotes, video and a call to action with its own link. Campaign pages
add product and sales-point blocks on top of it.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.choosers import product_chooser_viewset


class HeadingBlock(blocks.StructBlock):
    heading_text = blocks.CharBlock(label=_("heading"), max_length=120)
    size = blocks.ChoiceBlock(
        label=_("size"),
        choices=[("h2", _("large")), ("h3", _("medium")), ("h4", _("small"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "cms/blocks/heading_block.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)
    attribution = blocks.CharBlock(label=_("photo credit"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image_block.html"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)
    images = blocks.ListBlock(ImageBlock(), label=_("images"), min_num=1, max_num=24)

    class Meta:
        icon = "image"
        label = _("Image gallery")
        template = "cms/blocks/gallery_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribute_name = blocks.CharBlock(label=_("said by"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "cms/blocks/quote_block.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video address"), help_text=_("A YouTube or Vimeo link, e.g. https://youtu.be/..."))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "cms/blocks/video_block.html"


class CallToActionBlock(blocks.StructBlock):
    """A button with its own link: a page of this site or any address."""

    text = blocks.CharBlock(label=_("button text"), max_length=64)
    page = blocks.PageChooserBlock(label=_("link to a page"), required=False)
    url = blocks.URLBlock(label=_("or to an address"), required=False)
    description = blocks.TextBlock(label=_("text beside the button"), required=False)

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "cms/blocks/call_to_action_block.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Choose either a page or an address for the button.")
            raise blocks.StructBlockValidationError(
                block_errors={
                    "page": ErrorList([ValidationError(message)]),
                    "url": ErrorList([ValidationError(message)]),
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["href"] = value["page"].url if value.get("page") else value.get("url")
        return context


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4"],
        template="cms/blocks/paragraph_block.html",
    )
    image = ImageBlock()
    gallery = GalleryBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    call_to_action = CallToActionBlock()


# --- Products -------------------------------------------------------------------------------

ProductChooserBlock = product_chooser_viewset.get_block_class(name="ProductChooserBlock", module_path="cms.blocks")


def product_group_choices():
    from oscar.core.loading import get_model

    return [(str(c.pk), c.name) for c in get_model("catalogue", "Category").objects.filter(depth=1).order_by("path")]


def district_choices():
    from oscar.core.loading import get_model

    return [(str(d.pk), d.name) for d in get_model("catalogue", "District").objects.order_by("name")]


def producer_choices():
    from oscar.core.loading import get_model

    producers = get_model("catalogue", "Producer").objects.select_related("partner").order_by("partner__name")
    return [(str(p.pk), p.name) for p in producers]


class ProductListBase(blocks.StructBlock):
    """A titled row of product cards: only products that can be bought now, with badges and live prices."""

    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)
    title_en = blocks.CharBlock(label=_("title (English)"), required=False, max_length=120)

    class Meta:
        template = "cms/blocks/product_list_block.html"

    def products_queryset(self, value, page=None):
        raise NotImplementedError

    def get_context(self, value, parent_context=None):
        from django.utils.translation import get_language

        from cms.models import is_english
        from cms.selectors import buyable_products

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        queryset = self.products_queryset(value, page=(parent_context or {}).get("page"))
        context["products"] = buyable_products(queryset, request=request, limit=self.limit(value))
        context["title"] = (is_english(get_language()) and value.get("title_en")) or value.get("title")
        return context

    def limit(self, value):
        return None


class HandPickedProductsBlock(ProductListBase):
    products = blocks.ListBlock(ProductChooserBlock(), label=_("products"), min_num=1, max_num=60)

    class Meta:
        icon = "tag"
        label = _("Products chosen by hand")

    def product_ids(self, value) -> list[int]:
        return [product.pk for product in value["products"] if product is not None]

    def products_queryset(self, value, page=None):
        from django.db.models import Case, IntegerField, When

        from cms.selectors import products_in_order

        ids = self.product_ids(value)
        order = Case(*[When(pk=pk, then=index) for index, pk in enumerate(ids)], output_field=IntegerField())
        return products_in_order(ids).order_by(order)


class ProductRuleBlock(ProductListBase):
    group = blocks.ChoiceBlock(label=_("product group"), choices=product_group_choices, required=False)
    district = blocks.ChoiceBlock(label=_("former district"), choices=district_choices, required=False)
    min_stars = blocks.ChoiceBlock(label=_("at least"), choices=[("3", "3★"), ("4", "4★"), ("5", "5★")], required=False)
    producer = blocks.ChoiceBlock(label=_("producer"), choices=producer_choices, required=False)
    limit_count = blocks.IntegerBlock(label=_("at most"), default=12, min_value=1, max_value=60)

    class Meta:
        icon = "list-ul"
        label = _("Products chosen by rule")

    def products_queryset(self, value, page=None):
        """The rule's products; on a campaign discounting its lists, only those its discount froze at publishing."""
        from cms.selectors import products_by_rule

        queryset = products_by_rule(
            group=value.get("group"),
            district=value.get("district"),
            min_stars=value.get("min_stars"),
            producer=value.get("producer"),
        )
        discounted = page.discounted_product_ids() if hasattr(page, "discounted_product_ids") else None
        if discounted is not None:
            queryset = queryset.filter(pk__in=discounted)
        return queryset

    def shown_products(self, value) -> list:
        """What the list shows today to any buyer (the rule's buyable products, up to its limit)."""
        from cms.selectors import buyable_products

        return buyable_products(self.products_queryset(value), request=None, limit=self.limit(value))

    def limit(self, value):
        return value.get("limit_count") or 12


class SalesPointsBlock(blocks.StructBlock):
    """The open OCOP sales points where the campaign's products can be seen and collected (from ``outlets``)."""

    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)
    title_en = blocks.CharBlock(label=_("title (English)"), required=False, max_length=120)
    district = blocks.ChoiceBlock(label=_("former district"), choices=district_choices, required=False)
    limit_count = blocks.IntegerBlock(label=_("at most"), default=12, min_value=1, max_value=60)

    class Meta:
        icon = "site"
        label = _("Sales points")
        template = "cms/blocks/sales_points_block.html"

    def get_context(self, value, parent_context=None):
        from django.utils.translation import get_language

        from cms.models import is_english
        from cms.selectors import open_sales_points

        context = super().get_context(value, parent_context=parent_context)
        context["outlets"] = open_sales_points(district=value.get("district"), limit=value.get("limit_count") or 12)
        context["title"] = (is_english(get_language()) and value.get("title_en")) or value.get("title")
        return context


class CampaignStreamBlock(BaseStreamBlock):
    products = HandPickedProductsBlock()
    product_rule = ProductRuleBlock()
    sales_points = SalesPointsBlock()
