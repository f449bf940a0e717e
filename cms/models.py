from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

TRANSLATED_FIELDS = ("hero_title", "hero_text", "hero_cta_text", "introduction", "featured_title")


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
    # English pages show these when filled, the Vietnamese fields above otherwise.
    hero_title_en = models.CharField(_("hero title (English)"), max_length=255, blank=True)
    hero_text_en = models.TextField(_("hero text (English)"), blank=True)
    hero_cta_text_en = models.CharField(_("button text (English)"), max_length=64, blank=True)
    introduction_en = RichTextField(_("introduction (English)"), blank=True)
    featured_title_en = models.CharField(_("featured products title (English)"), max_length=255, blank=True)

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
        MultiFieldPanel(
            [FieldPanel(f"{name}_en") for name in TRANSLATED_FIELDS],
            heading=_("English version"),
            classname="collapsed",
        ),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from catalog.selectors import featured_products

        context = super().get_context(request, *args, **kwargs)
        context["text"] = self.text_in(get_language())
        context["featured_products"] = featured_products(min_stars=self.featured_min_stars, limit=self.featured_count)
        return context

    def text_in(self, language: str | None) -> dict[str, str]:
        """The hero, introduction and featured title in ``language``: English ones when filled, else Vietnamese."""
        english = (language or "").split("-")[0] == "en"
        return {name: (english and getattr(self, f"{name}_en")) or getattr(self, name) for name in TRANSLATED_FIELDS}
