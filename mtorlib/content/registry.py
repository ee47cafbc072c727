"""Where the domain packages hand their content rules and computations to the validator.

Content is the bottom floor: it imports no domain package. Instead each domain registers, when it
is imported, what the validator needs from it:

* :func:`register_rule` — a semantic rule for one or more kinds: ``rule(doc, ctx)`` yielding
  ``(field_path, message)``; used by :func:`mtorlib.content.check_paths`.
* :func:`register_compute` — a module whose public functions content may name in a ``compute``
  spec (``"mtorlib.tdm:proportional_dose"``); used by :mod:`mtorlib.content.compute`.

The complete validator is :func:`mtorlib.validate` (and ``python -m mtorlib validate``): it sits
above the domains and imports every one of them before checking, so no rule is left out.

>>> sorted(k for k in ("references", "sources") if rules_for(k))
['references', 'sources']
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

_RULES: dict[str, list[Callable]] = {}
_COMPUTE: dict[str, ModuleType] = {}


def register_rule(*kinds: str) -> Callable[[Callable], Callable]:
    """Decorator: register ``rule(doc, ctx)`` for each kind in ``kinds`` (once per function)."""

    def add(rule: Callable) -> Callable:
        for kind in kinds:
            found = _RULES.setdefault(kind, [])
            if rule not in found:
                found.append(rule)
        return rule

    return add


def rules_for(kind: str) -> tuple[Callable, ...]:
    """The rules registered for ``kind`` so far, in registration order."""
    return tuple(_RULES.get(kind, ()))


def register_compute(module: ModuleType) -> ModuleType:
    """Let content name the public functions of ``module`` (by its ``__name__``) in ``compute``."""
    _COMPUTE[module.__name__] = module
    return module


def compute_modules() -> dict[str, ModuleType]:
    """Registered compute modules by name."""
    return dict(_COMPUTE)
