"""Pages of products counted by the page's own query."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


class WindowCountPaginator(Paginator):
    """A paginator that reads the total from the page's rows (``selectors.with_total``).

    Django's paginator sends ``SELECT COUNT(*)`` before the page's query; here
    the page is read first and its rows carry ``COUNT(*) OVER ()``. Only a page
    past the end (no rows) falls back to counting, to tell an empty list from a
    bad page number.
    """

    def page(self, number):
        if self.orphans:
            return super().page(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if rows and hasattr(rows[0], "total"):
            self.count = rows[0].total
        elif not rows and number == 1:
            self.count = 0
        # Otherwise (a queryset without ``total``, or past the end) Django counts.
        number = self.validate_number(number)
        return self._get_page(rows, number, self)
