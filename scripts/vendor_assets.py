#!/usr/bin/env python3
"""Copy the front-end files the pages use from node_modules/ into var/vendor/vendor/.

The packages come from the npm registry at set-up (package.json + package-lock.json,
``npm ci``); nothing is loaded from a CDN at run time. ``var/vendor`` is in
STATICFILES_DIRS and WhiteNoise serves it through the finders, so templates write
``{% static 'vendor/bootstrap/bootstrap.min.css' %}`` and so on.

Run by ``make`` (target ``var/vendor/.stamp``); standard library only, so it runs
before or without the virtualenv. The copy is built beside the target and swapped
in at the end, so an interrupted run never leaves half a tree behind.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
TARGET = ROOT / "var" / "vendor" / "vendor"

#: (npm package, file inside the package, destination under vendor/). Source maps are
#: copied when present so the files' sourceMappingURL comments resolve.
FILES: list[tuple[str, str, str]] = [
    ("bootstrap", "dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"),
    ("bootstrap", "dist/css/bootstrap.min.css.map", "bootstrap/bootstrap.min.css.map"),
    ("bootstrap", "dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"),
    ("bootstrap", "dist/js/bootstrap.bundle.min.js.map", "bootstrap/bootstrap.bundle.min.js.map"),
    # The icon font's CSS refers to fonts/… relative to itself: keep that layout.
    ("bootstrap-icons", "font/bootstrap-icons.min.css", "bootstrap-icons/bootstrap-icons.min.css"),
    ("bootstrap-icons", "font/fonts/bootstrap-icons.woff2", "bootstrap-icons/fonts/bootstrap-icons.woff2"),
    ("bootstrap-icons", "font/fonts/bootstrap-icons.woff", "bootstrap-icons/fonts/bootstrap-icons.woff"),
    ("htmx.org", "dist/htmx.min.js", "htmx/htmx.min.js"),
    # Alpine's "cdn" build is the self-starting script for a plain <script defer> tag.
    ("alpinejs", "dist/cdn.min.js", "alpine/alpine.min.js"),
    ("echarts", "dist/echarts.min.js", "echarts/echarts.min.js"),
]
OPTIONAL_SUFFIXES = (".map",)


def fail(message: str) -> None:
    print(f"vendor_assets: {message}", file=sys.stderr)
    sys.exit(1)


def pinned_versions() -> dict[str, str]:
    return json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]


def installed_version(package: str) -> str:
    manifest = NODE_MODULES / package / "package.json"
    if not manifest.exists():
        fail(f"{package} is not installed in node_modules/ — run `npm ci` (make does it)")
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def main() -> None:
    pins = pinned_versions()
    versions: dict[str, str] = {}
    for package in sorted({p for p, _, _ in FILES}):
        have, want = installed_version(package), pins.get(package)
        if want is None:
            fail(f"{package} is copied but not pinned in package.json")
        if have != want:
            fail(f"node_modules has {package} {have}, package.json pins {want} — run `npm ci`")
        versions[package] = have

    staging = TARGET.with_name(TARGET.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    for package, src, dest in FILES:
        source = NODE_MODULES / package / src
        if not source.exists():
            if source.suffix in OPTIONAL_SUFFIXES:
                continue
            fail(f"missing {source.relative_to(ROOT)}")
        out = staging / dest
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out)
    (staging / "VERSIONS.json").write_text(json.dumps(versions, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    shutil.rmtree(TARGET, ignore_errors=True)
    staging.rename(TARGET)
    for package, version in versions.items():
        print(f"vendor_assets: {package} {version}")
    print(f"vendor_assets: copied into {TARGET.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
