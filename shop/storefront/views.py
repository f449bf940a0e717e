"""The storefront's own pages: producer shop pages and the branded error pages."""

from django.http import Http404
from django.views.generic import ListView

from catalog import selectors


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
