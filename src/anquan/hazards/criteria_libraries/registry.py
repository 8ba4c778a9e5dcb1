"""Every criteria library of this package, found by module discovery.

Each module of this package (other than ``judge`` and ``registry``) may define any number of
``Library`` values at module level (``LIBRARY = Library(...)``, or a tuple/list of them); they are
collected here, sorted by (code, version). A module that is not there yet is simply not listed,
so the data modules (gm_2023, fire_2017, fire_2025, gas_2023, construction_2024, hazchem_2017 …)
join the registry by being added, and the thin seed below stands in until the full library lands.

``RETIRED`` are published versions withdrawn from use (never edited). The thin GB 35181 seed
``("gb35181", 1)`` (eight direct elements in short wording) is withdrawn once the complete GB 35181-2025
(code "gb35181", version 2, ``fire_2025``) holds its text. Until then — the 2025 text could not be
found, see ``fire_2025`` — the seed stays in use as the interim, so a fire hazard found on or after
2025-11-01 can still be judged 重大 on the elements inspectors already use (its notes say so on every
page that shows the library); the empty version 2 is kept as a draft, not published.
"""
from __future__ import annotations

import datetime
import importlib
import logging
import pkgutil

from . import Library

log = logging.getLogger(__name__)

#: The modules expected (for the report and the tests); discovery does not depend on this list.
KNOWN_MODULES = ("gm_2023", "fire_2017", "fire_2025", "gas_2023", "construction_2024", "hazchem_2017")
SKIP = {"judge", "registry", "thin"}

#: (code, version) of published versions withdrawn from use; their rows stay (hazards cite them).
def _retired() -> frozenset[tuple[str, int]]:
    try:
        from .fire_2025 import LIBRARY as fire_2025
    except ImportError:  # the module not there yet: the interim stays
        return frozenset()
    return frozenset({("gb35181", 1)}) if fire_2025.items else frozenset()


RETIRED: frozenset[tuple[str, int]] = _retired()


def _libraries_in(module) -> list[Library]:
    found = []
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        if isinstance(value, Library):
            found.append(value)
        elif isinstance(value, (tuple, list)) and value and all(isinstance(v, Library) for v in value):
            found.extend(value)
    return found


def discover() -> list[Library]:
    """All libraries of the package's modules, one per (code, version), sorted."""
    from . import thin

    by_key: dict[tuple[str, int], Library] = {}
    package = importlib.import_module(__package__)
    for info in pkgutil.iter_modules(package.__path__):
        if info.name in SKIP or info.name.startswith("_") or info.name.startswith("test"):
            continue
        try:
            module = importlib.import_module(f"{__package__}.{info.name}")
        except Exception:  # a data module being written must not stop the platform
            log.exception("criteria library module %s could not be imported", info.name)
            continue
        for lib in _libraries_in(module):
            by_key[(lib.code, lib.version)] = lib
    for lib in thin.LIBRARIES:  # the seeded stand-ins, only where no module gives the same (code, version)
        by_key.setdefault((lib.code, lib.version), lib)
    return sorted(by_key.values(), key=lambda lib: (lib.code, lib.version))


_CACHE: list[Library] | None = None


def libraries() -> list[Library]:
    global _CACHE
    if _CACHE is None:
        _CACHE = discover()
    return _CACHE


def get(code: str, version: int) -> Library | None:
    return next((lib for lib in libraries() if lib.code == code and lib.version == version), None)


def in_use(found_on: datetime.date | None = None) -> list[Library]:
    """The libraries not retired (and, given a day, in force on it)."""
    from .judge import in_force

    return [lib for lib in libraries() if (lib.code, lib.version) not in RETIRED
            and (found_on is None or in_force(lib, found_on))]


class _Lazy:
    """``LIBRARIES`` as a sequence computed at first use (module import must stay cheap and cycle-free)."""

    def __iter__(self):
        return iter(libraries())

    def __len__(self):
        return len(libraries())

    def __getitem__(self, i):
        return libraries()[i]

    def __repr__(self):
        return f"LIBRARIES({[(lib.code, lib.version) for lib in libraries()]})"


LIBRARIES = _Lazy()
