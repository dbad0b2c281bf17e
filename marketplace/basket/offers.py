"""
No offers or vouchers on the storefront, until they can be per channel.

Oscar's offers and vouchers carry amounts without a currency (a "₦5,000 off"
benefit would take 5,000 francs off an Ivorian basket), so no basket applies
one: Oscar reads its ``Applicator`` through ``get_class`` everywhere it applies
offers (basket middleware, basket views, basket messages), and the class loader
below hands it ``NoOffers``. The offer and voucher apps stay installed because
Oscar's basket and order models refer to theirs; their URLs, the basket's
voucher form and their admins are gone (``urls_storefront``, ``basket.apps``,
``basket.views``, ``backoffice.admin``).

Making offers per channel means a channel (and so a currency) on
``ConditionalOffer`` and ``Voucher``, an applicator that only reads the basket's
channel's, and dropping ``class_loader`` from the settings.
"""

from oscar.core.loading import default_class_loader


def class_loader(module_label, classnames, module_prefix):
    """Oscar's class loader (``OSCAR_DYNAMIC_CLASS_LOADER``), with ``NoOffers`` as the Applicator."""
    classes = default_class_loader(module_label, classnames, module_prefix)
    if module_label != "offer.applicator":
        return classes
    from .applicator import NoOffers

    return [NoOffers if name == "Applicator" else cls for name, cls in zip(classnames, classes, strict=True)]
