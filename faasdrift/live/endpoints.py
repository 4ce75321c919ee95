"""Where faasdrift reads in the Gcore FaaS API, and how far it pages a list.

Paths are relative to the base URL (which may carry a prefix, e.g. a gateway's), and every
segment is percent-encoded on its own: a ``/`` inside a name stays inside that name.
"""

from __future__ import annotations

from urllib.parse import quote

from faasdrift.model import FunctionId

PAGE_SIZE = 1000  # the API's maximum ``limit`` (also its default, which we never rely on)
MAX_PAGES = 1000  # a million functions in one namespace: past that, the paging is broken
# An explicit, stable order: the API's default, created_at.desc, puts new functions first, so a
# function created while the pages are read shifts every later page by one.
LIST_ORDER = "name.asc"


def function_path(identity: FunctionId) -> str:
    """The path of one function (GET it for its live state)."""
    prefix = functions_path(identity.project_id, identity.region_id, identity.namespace)
    return f"{prefix}/{_segment(identity.name)}"


def functions_path(project_id: int, region_id: int, namespace: str) -> str:
    """The path of a namespace's function list (GET it with ``list_query``)."""
    return f"{namespace_path(project_id, region_id, namespace)}/functions"


def namespace_path(project_id: int, region_id: int, namespace: str) -> str:
    """The path of a namespace (GET it to learn whether it exists)."""
    segments = "/".join(_segment(str(value)) for value in (project_id, region_id, namespace))
    return f"cloud/v1/faas/namespaces/{segments}"


def list_query(offset: int) -> dict[str, int | str]:
    """The query of the list page starting at ``offset``."""
    return {"limit": PAGE_SIZE, "offset": offset, "order_by": LIST_ORDER}


def _segment(value: str) -> str:
    quoted = quote(value, safe="")
    # "." and ".." would be removed as dot-segments and silently address another resource.
    return quoted.replace(".", "%2E") if quoted in {".", ".."} else quoted
