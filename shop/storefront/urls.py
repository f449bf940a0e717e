from django.urls import path

from shop.storefront import views

app_name = "storefront"

urlpatterns = [
    path("nha-san-xuat/<slug:code>/", views.ProducerShopView.as_view(), name="producer"),
    path("dia-chi/<int:province>/phuong-xa/", views.wards, name="wards"),
]
