from oscar.apps.shipping import repository

from shop.shipping.methods import HomeDelivery


class Repository(repository.Repository):
    # Collection at a sales point arrives with the outlets work.
    methods = (HomeDelivery(),)
