from django.urls import path

from shop.storefront import views

app_name = "storefront"

urlpatterns = [
    path("<slug:code>/", views.ProducerShopView.as_view(), name="producer"),
]
