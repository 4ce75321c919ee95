"""Where faasdrift reads in the Gcore FaaS API, and how far it pages a list.

Paths are relative to the base URL (which may carry a prefix, e.g. a gateway's), and every
segment is percent-encoded on its own: a ``/`` inside a name stays inside that name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from faasdrift.model import FunctionId

PAGE_SIZE = 1000  # the API's maximum ``limit`` (also its default, which we never rely on)
MAX_PAGES = 1000  # a million functions in one namespace: past that, the paging is broken
_NAMESPACES = ("cloud", "v1", "faas", "namespaces")
# An explicit, stable order: the API's default, created_at.desc, puts new functions first, so a
# function created while the pages are read shifts every later page by one.
LIST_ORDER = "name.asc"


@dataclass(frozen=True)
class ApiPath:
    """A path of the API as its segments, not yet percent-encoded, and its query.

    Kept as data until it is printed, so the request log can be redacted *before* a name is
    encoded (a secret written ``a,b`` would otherwise show as ``a%2Cb``, which no redaction finds).
    """

    segments: tuple[str, ...]
    query: tuple[tuple[str, str], ...] = ()

    def with_query(self, params: Mapping[str, int | str]) -> ApiPath:
        return ApiPath(self.segments, tuple((name, str(value)) for name, value in params.items()))

    @property
    def path(self) -> str:
        """The percent-encoded path, relative to the base URL."""
        return "/".join(map(_segment, self.segments))

    def __str__(self) -> str:
        return self.path + (f"?{urlencode(self.query)}" if self.query else "")


def function_api_path(identity: FunctionId) -> ApiPath:
    """The path of one function (GET it for its live state)."""
    namespace = functions_api_path(identity.project_id, identity.region_id, identity.namespace)
    return ApiPath((*namespace.segments, identity.name))


def functions_api_path(project_id: int, region_id: int, namespace: str) -> ApiPath:
    """The path of a namespace's function list (GET it with ``list_query``)."""
    return ApiPath((*namespace_api_path(project_id, region_id, namespace).segments, "functions"))


def namespace_api_path(project_id: int, region_id: int, namespace: str) -> ApiPath:
    """The path of a namespace (GET it to learn whether it exists)."""
    return ApiPath((*_NAMESPACES, str(project_id), str(region_id), namespace))


def list_query(offset: int) -> dict[str, int | str]:
    """The query of the list page starting at ``offset``: the largest page, in a stable order."""
    return {"limit": PAGE_SIZE, "offset": offset, "order_by": LIST_ORDER}


def function_path(identity: FunctionId) -> str:
    """``function_api_path``, encoded."""
    return function_api_path(identity).path


def _segment(value: str) -> str:
    quoted = quote(value, safe="")
    # "." and ".." would be removed as dot-segments and silently address another resource.
    return quoted.replace(".", "%2E") if quoted in {".", ".."} else quoted
