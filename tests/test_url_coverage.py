"""Every route is in the leak matrix or declared public with a reason; a new route with neither fails here."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.leak.registry import LIST_PAGES, PUBLIC, PUBLIC_NAMESPACES, RECORD_PAGES


def _route_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names |= _route_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            names.add(f"{namespace}:{name}" if namespace else name)
    return names


def test_every_route_is_in_the_leak_matrix_or_declared_public():
    routes = {name for name in _route_names(get_resolver()) if name.split(":")[0] not in PUBLIC_NAMESPACES}
    covered = set(LIST_PAGES) | set(RECORD_PAGES) | set(PUBLIC)
    assert sorted(routes - covered) == [], "add these routes to tests/leak/registry.py"


def test_the_registry_names_no_route_that_is_gone():
    routes = _route_names(get_resolver())
    covered = set(LIST_PAGES) | set(RECORD_PAGES) | set(PUBLIC)
    assert sorted(covered - routes) == []


def test_no_route_is_both_in_the_matrix_and_public():
    assert not (set(LIST_PAGES) | set(RECORD_PAGES)) & set(PUBLIC)
