"""The storefront's own pages: producer shop pages and the address form's ward lists."""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.generic import ListView

from catalog import selectors
from outlets import geography


class ProducerShopView(ListView):
    """/nha-san-xuat/<code>/: a producer's story, origin, contact, certificates and all its products on sale."""

    template_name = "storefront/producer.html"
    context_object_name = "products"
    paginate_by = 24

    def get_queryset(self):
        self.producer = selectors.producer_shop(self.kwargs["code"])
        if self.producer is None:
            raise Http404("No such producer")
        return selectors.producer_products(self.producer)

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.producer, **kwargs)


@cache_control(max_age=86400, public=True)
def wards(request, province: int):
    """/dia-chi/<province>/phuong-xa/: the communes and wards of a province as [[code, name], ...]
    for the address form's second list (static/js/ocop.js)."""
    units = geography.wards(province)
    if not units:
        raise Http404("No such province")
    return JsonResponse({"wards": [[unit.code, unit.name] for unit in units]})
