from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's front page: a hero, an introduction and products featured by their stars."""

    hero_title = models.CharField(_("hero title"), max_length=255, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_cta_text = models.CharField(_("button text"), max_length=64, blank=True)
    introduction = RichTextField(_("introduction"), blank=True)
    featured_title = models.CharField(_("featured products title"), max_length=255, blank=True)
    featured_min_stars = models.PositiveSmallIntegerField(
        _("feature products with at least"),
        default=4,
        choices=[(3, "3★"), (4, "4★"), (5, "5★")],
    )
    featured_count = models.PositiveSmallIntegerField(
        _("how many featured products"), default=8, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image"), FieldPanel("hero_cta_text")],
            heading=_("Hero"),
        ),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [FieldPanel("featured_title"), FieldPanel("featured_min_stars"), FieldPanel("featured_count")],
            heading=_("Featured products"),
        ),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from catalog.selectors import featured_products

        context = super().get_context(request, *args, **kwargs)
        context["featured_products"] = featured_products(min_stars=self.featured_min_stars, limit=self.featured_count)
        return context
