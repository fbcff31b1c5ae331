"""netlify.toml: security headers on every page, long caching only for hashed file names."""
from __future__ import annotations

import fnmatch
import re
import tomllib

from conftest import ROOT

LONG = 24 * 3600  # a day; anything longer must be safe to keep until the name changes
HASHED = re.compile(r"[._-][0-9a-f]{7,}\.[a-z_]+\Z")


def headers() -> list[dict]:
    with open(ROOT / "netlify.toml", "rb") as handle:
        return tomllib.load(handle)["headers"]


def values_for(pattern: str) -> dict:
    return next(h["values"] for h in headers() if h["for"] == pattern)


def directives(policy: str) -> dict[str, list[str]]:
    result = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        result[name] = sources
    return result


def test_every_page_gets_a_strict_content_security_policy():
    values = values_for("/*")
    policy = directives(values["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    # Pagefind runs WebAssembly and starts its worker from a blob: URL; nothing else.
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert policy["worker-src"] == ["'self'", "blob:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    every_source = [source for sources in policy.values() for source in sources]
    assert "'unsafe-inline'" not in every_source and "'unsafe-eval'" not in every_source
    assert values["X-Content-Type-Options"] == "nosniff"
    assert values["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_need_nothing_the_policy_forbids(seed_site):
    """No inline script, style or handler: under the policy a browser would refuse them."""
    for path in seed_site.html_files():
        soup = seed_site.page("/" + path.relative_to(seed_site.root).as_posix())
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", (path, script)
        assert not soup.find_all("style"), path
        for element in soup.find_all(True):
            assert "style" not in element.attrs, (path, element.name)
            assert not any(name.startswith("on") for name in element.attrs), (path, element.name)


def _max_age(values: dict) -> int:
    match = re.search(r"max-age=(\d+)", values.get("Cache-Control", ""))
    return int(match.group(1)) if match else 0


def test_long_cache_lifetimes_only_for_files_whose_names_carry_a_hash(seed_site):
    files = ["/" + p.relative_to(seed_site.root).as_posix() for p in sorted(seed_site.root.rglob("*"))
             if p.is_file()]
    long_lived = [h["for"] for h in headers() if _max_age(h["values"]) > LONG]
    assert long_lived, "hashed assets should be cached for long"
    assert "/*" not in long_lived
    matched = []
    for pattern in long_lived:
        # Netlify's '*' matches across '/', as fnmatch's does.
        for url in fnmatch.filter(files, pattern):
            assert HASHED.search(url), f"{url} is cached by {pattern} but its name has no hash"
            matched.append(url)
    assert any(url.startswith("/assets/") for url in matched)
    assert any(url.startswith("/pagefind/fragment/") for url in matched)
    assert any(re.match(r"/pagefind/ar-[^/]+/(fragment|index)/", url) for url in matched)  # the shards'
    # Pagefind's entry files keep their names from build to build: they must stay short-lived.
    for url in ("/pagefind/pagefind.js", "/pagefind/pagefind-entry.json"):
        assert url in files and url not in matched
