"""Oscar's order dashboard forms, offering statuses by their labels ("Đã gửi một phần", not "partially_shipped")."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders import forms as oscar_forms

from shop.order.statuses import ORDER_LABELS


class OrderSearchForm(oscar_forms.OrderSearchForm):
    status = forms.ChoiceField(choices=[("", "---------"), *ORDER_LABELS.items()], label=_("Status"), required=False)


class OrderStatusForm(oscar_forms.OrderStatusForm):
    def __init__(self, order, *args, **kwargs):
        super().__init__(order, *args, **kwargs)
        statuses = order.available_statuses()
        self.fields["new_status"].choices = [(code, ORDER_LABELS.get(code, code)) for code in statuses]
