from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from shop import health


@never_cache
def healthz(request):
    """Each dependency's state for the container health check and monitoring; 503 when the shop cannot sell."""
    body, can_sell = health.report()
    return JsonResponse(body, status=200 if can_sell else 503)
