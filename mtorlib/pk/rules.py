"""Semantic rules for PK content (registered with :mod:`mtorlib.content.registry` on import).

Each rule takes ``(doc, ctx)`` and yields ``(field_path, message)``:

* :func:`check_model` — structure matches the parameters, derived values carry a formula whose
  machine check holds, effects name declared covariates with the fields their form needs,
  reference covariates lie in their range and give positive parameters, IIV names parameters,
  comedication names a modifier group of the drug;
* :func:`check_modifiers` — each category has the numbers it needs, names are unique.
"""

from __future__ import annotations

import ast
import math
import operator

from ..content import ContentError, load_kind, register_rule
from .models import model_from_document, typical_parameters

TOLERANCE = 0.005  # relative, for derived values
_FUNCS = {"log": math.log, "exp": math.exp, "sqrt": math.sqrt}
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv, ast.Pow: operator.pow, ast.USub: operator.neg}


MAX_EXPRESSION = 200  # characters; with MAX_NODES it keeps evaluation shallow (no RecursionError)
MAX_NODES = 60


def evaluate(expression: str, names: dict) -> float:
    """Value of an arithmetic expression (numbers, names, + - * / **, log, exp, sqrt).

    At most :data:`MAX_EXPRESSION` characters and :data:`MAX_NODES` syntax nodes (``ValueError``).
    """
    if not isinstance(expression, str) or len(expression) > MAX_EXPRESSION:
        raise ValueError(f"an expression must be text of at most {MAX_EXPRESSION} characters")

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id in names:
            return float(names[node.id])
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.operand))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in _FUNCS and len(node.args) == 1):
            return _FUNCS[node.func.id](ev(node.args[0]))
        raise ValueError(f"not allowed in an expression: {ast.dump(node)[:60]}")

    tree = ast.parse(expression, mode="eval")
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise ValueError(f"an expression may have at most {MAX_NODES} terms and operators")
    return ev(tree)


def _check_derived(entry: dict, value: float, path: tuple):
    if entry["flag"] != "derived":
        return
    if "formula" not in entry or "verify" not in entry:
        yield path, "a derived value needs 'formula' (in words) and 'verify' (a machine check)"
        return
    v = entry["verify"]
    try:
        got = evaluate(v["expression"], {**v["inputs"], "value": value})
    except (ValueError, ZeroDivisionError, SyntaxError, OverflowError, RecursionError, MemoryError) as exc:
        yield (*path, "verify", "expression"), f"cannot evaluate: {exc}"
        return
    target = v.get("target", value)
    if not math.isclose(got, target, rel_tol=TOLERANCE):
        yield (*path, "verify"), f"expression gives {got:.6g}, expected {target:.6g} (±0.5 %)"


def _modifier_groups(drug: str) -> set[str] | None:
    try:
        docs = load_kind("pk_modifiers")
    except ContentError:
        return None
    return {m.get("group", m["name"]) for d in docs if d.data["drug"] == drug for m in d.data["modifiers"]}


@register_rule("pk_model")
def check_model(doc, ctx):
    """Consistency of one ``pk_model`` document."""
    problems = list(_check_model_fields(doc))
    yield from problems
    if not problems:
        yield from check_model_values(doc)


def _check_model_fields(doc):
    d = doc.data
    params = d["parameters"]
    two = {"q_l_h", "vp_l"}
    if d["structure"] == "2cmt" and not two <= set(params):
        yield ("parameters",), "a 2cmt model needs q_l_h and vp_l"
    if d["structure"] == "1cmt" and two & set(params):
        yield ("parameters",), "a 1cmt model must not have q_l_h or vp_l"
    for name, entry in params.items():
        yield from _check_derived(entry, entry["value"], ("parameters", name))
    for name, entry in d["iiv"].items():
        if name not in params:
            yield ("iiv", name), f"IIV on '{name}', which is not a parameter of this model"
        yield from _check_derived(entry, entry["omega2"], ("iiv", name))
    if d["residual"]["flag"] == "derived" and "formula" not in d["residual"]:
        yield ("residual",), "a derived residual error needs 'formula'"
    covs = d["covariates"]
    for name, c in covs.items():
        if not c["min"] <= c["reference"] <= c["max"]:
            msg = f"reference {c['reference']} outside [{c['min']}, {c['max']}]"
            yield ("covariates", name, "reference"), msg
    for i, e in enumerate(d["effects"]):
        path = ("effects", i)
        if e["covariate"] not in covs:
            msg = f"covariate '{e['covariate']}' is not declared; declared: {', '.join(covs)}"
            yield (*path, "covariate"), msg
            continue
        if e["parameter"] not in params:
            yield (*path, "parameter"), f"'{e['parameter']}' is not a parameter of this model"
        c = covs[e["covariate"]]
        if e["form"] == "step" and "cutoff" not in e:
            yield path, "a step effect needs 'cutoff'"
        if e["form"] == "power" and e.get("center", c["reference"]) <= 0:
            yield path, "a power effect needs a positive center (or covariate reference)"
        if e["form"] == "indicator" and (c["min"], c["max"]) != (0, 1):
            yield (*path, "covariate"), "an indicator covariate must have min 0 and max 1"
    if d.get("comedication"):
        groups = _modifier_groups(d["drug"])
        for i, g in enumerate(d["comedication"]):
            if groups is not None and g not in groups:
                msg = f"'{g}' is not a modifier group of {d['drug']}; known: {sorted(groups)}"
                yield ("comedication", i), msg


def check_model_values(doc):
    """The typical parameters at the reference covariates are finite and > 0."""
    try:
        typical_parameters(model_from_document(doc))
    except (ValueError, KeyError, TypeError, ZeroDivisionError) as exc:
        yield ("parameters",), f"typical parameters at the reference covariates fail: {exc}"


NEEDS = {"interaction": ("auc_ratio", "applies_to"), "food": ("auc_ratio", "applies_to"),
         "formulation": ("auc_ratio", "applies_to"), "hepatic": ("cl_factor",)}
TARGET = {"interaction": "cl_l_h", "food": "f_rel", "formulation": "f_rel"}


@register_rule("pk_modifiers")
def check_modifiers(doc, ctx):
    """Consistency of one ``pk_modifiers`` document."""
    seen: dict[str, int] = {}
    for i, m in enumerate(doc.data["modifiers"]):
        path = ("modifiers", i)
        if m["name"] in seen:
            yield (*path, "name"), f"name '{m['name']}' is also used by modifier {seen[m['name']]}"
        seen[m["name"]] = i
        for key in NEEDS[m["category"]]:
            if key not in m:
                yield path, f"a {m['category']} modifier needs '{key}'"
        want = TARGET.get(m["category"])
        if want and m.get("applies_to", want) != want:
            yield (*path, "applies_to"), f"a {m['category']} modifier applies to {want}"
