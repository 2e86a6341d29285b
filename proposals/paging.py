"""What a list page makes of ?page=, ?per_page= and ?sort=: the one place that reads them.

They come from the address bar, so anything arrives: -1, abc, 1e9, a NUL byte, a page past the
end, 100,000 rows a page, a column the table does not show. Handed on as they are, some of them
are a 500 (per_page=-1 gives a counted list fewer than one page; a 23-digit page is an OFFSET
past PostgreSQL's bigint) and others a query over the whole table (per_page=100000 fetches every row;
a sort by a hidden text column sorts millions of rows no index orders). So every list reads them
here, clamped, and only then hands them to the paginator or the table:

- per_page: 1 to MAX_PER_PAGE; more is MAX_PER_PAGE; 0, negative or not a number is the default.
- page: a whole number from 1, else page 1. Past the end, a paginator that counts its rows shows
  its last page. The LazyPaginator (wide scopes, no COUNT) cannot know the last page, so it raises
  PastTheEnd and the view sends the reader to page 1 with a message: page 1's rows under
  ?page=999999 would mislead, and an empty page links only to more empty pages. Nor does it go
  deeper than MAX_LAZY_PAGE: its OFFSET reads every row before the page (page 40,000 of the
  country's 2 M proposals took 6-9 s, 79,000 took 13), so a deeper page sends the reader to that
  one, which asks for a narrower region or a search instead of linking on.
- sort: only the names of the table's visible, orderable columns (a "-" before one reverses it);
  the rest is dropped, and when nothing is left the table's default order stays.

The apps' lists share this module from here, the lowest app with a list, so that it sits below
each of them (tests/test_layers.py).
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, Paginator
from django.utils.translation import gettext as _
from django_tables2 import LazyPaginator

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
# No list here has a billion pages; clamping keeps a page's OFFSET (at most 10**11) inside bigint.
MAX_PAGE = 10**9
# The deepest page of a list that is not counted (a province's, the country's): ten thousand rows.
MAX_LAZY_PAGE = 400


class PastTheEnd(Exception):
    """A page that a list whose paginator does not count (LazyPaginator) will not show: past its
    end, or deeper than MAX_LAZY_PAGE. The view sends the reader to `url` and says `message`."""

    def __init__(self, url: str, message: str):
        super().__init__(url)
        self.url = url
        self.message = message


def whole_number(value: str | None) -> int | None:
    """`value` when written in ASCII digits alone, else None; more than 18 digits are read as
    10**18 (past any clamp). int() alone would also take "-3", " 7 ", "1_000" and "٣", and fail
    on a string of 5,000 digits."""
    if not (value and value.isascii() and value.isdigit()):
        return None
    return int(value) if len(value) <= 18 else 10**18


def per_page(request, default: int = DEFAULT_PER_PAGE, field: str = "per_page") -> int:
    wanted = whole_number(request.GET.get(field))
    return min(wanted, MAX_PER_PAGE) if wanted else default


def page_number(request, field: str = "page") -> int:
    return min(whole_number(request.GET.get(field)) or 1, MAX_PAGE)


def page_of(paginator: Paginator, number: int) -> Page:
    """Page `number` of a counting paginator, or its last page when the list is shorter."""
    return paginator.page(min(number, paginator.num_pages))


def paged(request, rows, per_page: int, field: str = "page") -> Page:
    """One page of a list already in memory (a forum's items), as ?<field>= asks; past the end
    is its last page, and anything that is not a page number its first."""
    return page_of(Paginator(rows, per_page), page_number(request, field))


def sort_keys(table, wanted: list[str]) -> list[str]:
    """The ?sort= values that name a column the reader sees and may sort by, each column once."""
    keys, seen = [], set()
    for key in wanted:
        name = key.removeprefix("-")
        if name in table.columns and name not in seen:
            column = table.columns[name]
            if column.orderable and column.visible:
                keys.append(key)
                seen.add(name)
    return keys


class CountedPaginator(Paginator):
    """A paginator told how many rows its list has (proposals/tally.py) instead of counting them."""

    def __init__(self, object_list, per_page, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count  # in place of Paginator.count, a cached_property that would run a COUNT


def configure_table(table, request, paginate: dict | bool = True):
    """django_tables2.RequestConfig(request, paginate).configure(table), with the request's values
    read as above. `paginate` may name `per_page` (the default) and `paginator_class`, or `count`
    when the list's count is known (then the CountedPaginator pages it)."""
    table.request = request
    keys = sort_keys(table, request.GET.getlist(table.prefixed_order_by_field))
    if keys:
        table.order_by = keys
    if paginate is False:
        return table
    options = paginate if isinstance(paginate, dict) else {}
    known = {"count": options["count"]} if options.get("count") is not None else {}
    paginator_class = CountedPaginator if known else options.get("paginator_class", Paginator)
    size = per_page(request, options.get("per_page", DEFAULT_PER_PAGE), table.prefixed_per_page_field)
    number = page_number(request, table.prefixed_page_field)
    lazy = issubclass(paginator_class, LazyPaginator)
    if lazy and number > MAX_LAZY_PAGE:
        message = _("The list goes no further here. Choose a region or search for words to narrow it.")
        raise PastTheEnd(_page_url(request, table.prefixed_page_field, MAX_LAZY_PAGE), message)
    try:
        table.paginate(paginator_class=paginator_class, per_page=size, page=number, **known)
    except EmptyPage:
        if lazy:
            message = _("That page is past the end of the list; here is its first page.")
            raise PastTheEnd(_page_url(request, table.prefixed_page_field, None), message) from None
        table.page = page_of(table.paginator, number)
    # Its pager links no deeper (includes/table.html).
    table.deepest = lazy and table.page.number >= MAX_LAZY_PAGE
    return table


def _page_url(request, field: str, number: int | None) -> str:
    """This list's address with ?<field>=number (without it for None), its other choices kept."""
    query = request.GET.copy()
    query.pop(field, None)
    if number is not None:
        query[field] = str(number)
    return f"{request.path}?{query.urlencode()}" if query else request.path
