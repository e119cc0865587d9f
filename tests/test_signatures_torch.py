"""Signatures against PyTorch 2.13: every public name that both libraries have takes the same parameters.

Where torch's signature is Python (nn layers' __init__, nn.init, nn.utils, optim, utils.data, autograd,
torch.functional, the Python methods of torch/_tensor.py), names, order, kinds and defaults must be equal.
Where it is C (torch.add, Tensor.sum, F.conv2d), inspect cannot read it; the overloads come from the
dispatcher's schemas (the source of the Python bindings; docstrings are hand-written and wrong in places,
Tensor.mul's says `value` where the binding takes `other`), or from the docstring's signature lines where an
op has no schema (torch.tensor, F.max_pool2d). There overloads are checked as a program uses them: every
parameter name is accepted, defaults agree, each overload's positional arguments fit, and an overload whose
positional names all appear among ours has them at the same positions.

DELIBERATE lists the differences we chose (each in docs/pytorch.md), TO_FIX the accidental ones still open;
a stale entry in either fails.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import tinygrad_adam as tg
import tinygrad_adam.nn.functional as our_F
import tinygrad_adam.utils.data as our_data

torch = pytest.importorskip("torch")
import torch.nn.functional as torch_F  # noqa: E402
import torch.nn.utils.prune as torch_prune  # noqa: E402
import torch.utils.data as torch_data  # noqa: E402

E = inspect.Parameter.empty
POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)

# Accidental differences not fixed yet, each with who fixes it; like DELIBERATE, a stale entry fails.
TO_FIX: dict[tuple[str, str], str] = {}

# Parameters of things that do not exist here (layouts, memory formats, pinned memory, CUDA-only dtypes).
ABSENT = {
    "layout": "one layout (strided NumPy arrays)",
    "pin_memory": "no pinned memory without CUDA",
    "memory_format": "one memory format (NumPy's row-major or the view's own)",
    "out_dtype": "mm/bmm/addmm's out_dtype is CUDA's low-precision accumulation",
}

# (name, parameter) -> why we differ on purpose. docs/pytorch.md says each.
DELIBERATE: dict[tuple[str, str], str] = {
    ("Tensor.uniform_", "from"): "`from` is a Python keyword: the bounds are a, b (positions agree)",
    ("Tensor.uniform_", "to"): "named b here, beside a",
    ("Tensor.uniform_", "a"): "torch's from",
    ("Tensor.uniform_", "b"): "torch's to",
    ("torch.subtract", "alpha"): "torch's number overload takes alpha by position; here by keyword, as torch.sub",
    ("Tensor.subtract", "alpha"): "torch's number overload takes alpha by position; here by keyword, as Tensor.sub",
    ("Tensor.subtract_", "alpha"): "torch's number overload takes alpha by position; here by keyword, as sub_",
    ("torch.isin", "element"): "the names of torch's number overloads; numbers are taken by position",
    ("torch.isin", "test_element"): "the names of torch's number overloads; numbers are taken by position",
    ("torch.result_type", "scalar"): "the names of torch's number overloads; numbers are taken by position",
    ("torch.result_type", "scalar1"): "the names of torch's number overloads; numbers are taken by position",
    ("torch.result_type", "scalar2"): "the names of torch's number overloads; numbers are taken by position",
    ("torch.set_num_threads", "int"): "torch's takes its one argument by position only",
    ("torch.set_num_threads", "threads"): "torch's takes its one argument by position only",
    ("F.elu_", "scale"): "aten's internal SELU scaling, undocumented",
    ("F.elu_", "input_scale"): "aten's internal SELU scaling, undocumented",
    ("F.dropout", "generator"): "our extension: a Generator for the mask",
    ("F.dropout1d", "generator"): "our extension: a Generator for the mask",
    ("F.dropout2d", "generator"): "our extension: a Generator for the mask",
    ("F.dropout3d", "generator"): "our extension: a Generator for the mask",
    ("F.alpha_dropout", "generator"): "our extension: a Generator for the mask",
    ("F.feature_alpha_dropout", "generator"): "our extension: a Generator for the mask",
    ("nn.Dropout", "generator"): "our extension: a Generator for the mask",
    ("nn.Dropout1d", "generator"): "our extension: a Generator for the mask",
    ("nn.Dropout2d", "generator"): "our extension: a Generator for the mask",
    ("nn.Dropout3d", "generator"): "our extension: a Generator for the mask",
    ("nn.AlphaDropout", "generator"): "our extension: a Generator for the mask",
    ("nn.FeatureAlphaDropout", "generator"): "our extension: a Generator for the mask",
    ("optim.Adam", "eps_hat"): "our extension: the paper's epsilon-hat form",
    ("optim.AdamW", "eps_hat"): "our extension: the paper's epsilon-hat form",
    ("autograd.detect_anomaly", "check_forward"): "our extension: also check forward outputs",
    ("autograd.set_detect_anomaly", "check_forward"): "our extension: also check forward outputs",
    ("autograd.gradcheck", "full_jacobian_limit"): "our extension: when to compare random projections",
    ("autograd.gradcheck", "projections"): "our extension: how many random projections",
    ("autograd.gradcheck", "seed"): "our extension: the projections' seed",
}


# --- reading signatures -------------------------------------------------------------------------------------

class Overload:
    """One way to call a function: (name, kind, default) per parameter, kind 'pos' or 'kw'."""

    def __init__(self, params: list[tuple[str, str, Any]], varargs: bool = False, varkw: bool = False):
        self.params, self.varargs, self.varkw = params, varargs, varkw


def from_signature(signature: inspect.Signature, drop_self: bool) -> Overload:
    params = list(signature.parameters.values())
    if drop_self and params and params[0].name in ("self", "cls"):
        params = params[1:]
    return Overload([(p.name, "pos" if p.kind in POSITIONAL else "kw", p.default)
                     for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)],
                    any(p.kind == p.VAR_POSITIONAL for p in params), any(p.kind == p.VAR_KEYWORD for p in params))


def python_signature(f: Any) -> inspect.Signature | None:
    try:
        return inspect.signature(f)
    except (TypeError, ValueError):
        return None


def _schema_default(argument: Any) -> Any:
    if not argument.has_default_value():
        return E
    value = argument.default_value
    return tuple(value) if isinstance(value, list) else value


def schema_overloads(op: str, method: bool) -> list[Overload]:
    """The Python-visible overloads of aten::op: those the dispatcher has (TorchScript's scalar forms are not),
    `self` called `input` in functions and gone from methods, out= forms folded into one `out` for functions."""
    try:
        schemas = torch._C._jit_get_schemas_for_operator("aten::" + op)
    except RuntimeError:
        return []
    found = []
    for schema in schemas:
        try:
            torch._C._dispatch_find_schema_or_throw("aten::" + op, schema.overload_name)
        except RuntimeError:
            continue
        arguments = list(schema.arguments)
        if any("Dimname" in str(a.type) or a.name == "names" for a in arguments):
            continue
        written = [a for a in arguments if a.kwarg_only and a.alias_info is not None and a.alias_info.is_write]
        if method:
            if written or not arguments or arguments[0].name != "self":
                continue
            arguments = arguments[1:]
        params = [("input" if a.name == "self" else a.name, "kw" if a.kwarg_only else "pos", _schema_default(a))
                  for a in arguments if a not in written]
        if written:
            params.append(("out", "kw", None))
        found.append((schema.overload_name, params))
    # A Scalar overload beside a Tensor one of the same names is not bound in Python (numbers become tensors).
    names = {tuple(n for n, _, _ in p) for o, p in found if "Scalar" not in o}
    return [Overload(p) for o, p in found if not ("Scalar" in o and tuple(n for n, _, _ in p) in names)]


class _Probe:
    """An argument no binding accepts: calling with it makes torch's argument parser list its signatures."""


def binding_overloads(f: Callable[..., Any]) -> list[Overload]:
    """The signatures torch's Python argument parser lists when no overload fits the call: exactly what Python
    programs can pass (manual bindings included: Tensor.to's `tensor`, copy_'s `other`). A binding with one
    signature gives a shorter message instead; then [] and the schema is read."""
    for call in (lambda: f(*[_Probe()] * 11), lambda: f(_Probe(), probe_=_Probe()), lambda: f(probe_=_Probe())):
        try:
            call()
        except TypeError as e:
            listed = str(e).partition("but expected")[2]
            if listed:
                break
        except Exception:  # noqa: BLE001 - any other refusal tells nothing
            continue
    else:
        return []
    found = []
    for line in listed.splitlines():
        line = line.strip().removeprefix("one of:").strip().removeprefix("* ").strip()
        if not line.startswith("(") or ")" not in line:
            continue
        params, kind = [], "pos"
        for piece in _split_top(line[1:line.rindex(")")]):
            if piece == "*":
                kind = "kw"
                continue
            declaration, eq, default = piece.partition(" = ")
            params.append((declaration.split()[-1], kind, _literal(default) if eq else E))
        found.append(Overload(params))
    return found


def _literal(text: str) -> Any:
    if text.startswith("{") and text.endswith("}"):  # the argument parser prints a list as C++ does: {-2, -1}
        text = f"({text[1:-1]},)"
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return ANY


ANY = object()  # a docstring default written as an expression (torch.strided): not compared


def _split_top(text: str) -> list[str]:
    depth, pieces, piece = 0, [], ""
    for ch in text + ",":
        depth += (ch in "([{") - (ch in ")]}")
        if ch == "," and depth == 0:
            pieces.append(piece.strip())
            piece = ""
        else:
            piece += ch
    return [piece for piece in pieces if piece]


def docstring_overloads(name: str, doc: str | None) -> list[Overload]:
    """The signature lines of a docstring (its first line and each `.. function::`/`.. method::`), as
    `name(a, b=1, *, c: T = None) -> R`."""
    lines = (doc or "").splitlines()
    first = next((line for line in lines if line.strip()), "")
    found = []
    for line in [first] + [line for line in lines if line.strip().startswith((".. function::", ".. method::"))]:
        line = line.strip().removeprefix(".. function::").removeprefix(".. method::").strip().replace("\\*", "*")
        if not line.startswith(name + "("):
            continue
        depth, end = 0, len(name)
        for end in range(len(name), len(line)):
            depth += (line[end] == "(") - (line[end] == ")")
            if depth == 0:
                break
        params, kind, varargs, varkw = [], "pos", False, False
        for piece in _split_top(line[len(name) + 1:end]):
            if piece == "*":
                kind = "kw"
            elif piece.startswith("**"):
                varkw = True
            elif piece.startswith("*"):
                varargs, kind = True, "kw"
            else:
                param, eq, default = piece.partition("=")
                params.append((param.split(":")[0].strip(), kind, _literal(default.strip()) if eq else E))
        found.append(Overload(params, varargs, varkw))
    return found


# --- comparing -----------------------------------------------------------------------------------------------

def _same_default(theirs: Any, ours: Any, strict: bool) -> bool:
    if theirs is ANY or theirs is torch.default_generator and ours is tg.default_generator:
        return True
    if callable(theirs) and callable(ours):
        return getattr(theirs, "__name__", None) == getattr(ours, "__name__", None)
    if isinstance(theirs, torch.Size) and isinstance(ours, tg.Size):
        return tuple(theirs) == tuple(ours)
    if not strict:
        theirs, ours = (tuple(v) if isinstance(v, list) else v for v in (theirs, ours))
        # a schema writes stride=1 of a 2-d op as [1, 1]
        if isinstance(theirs, tuple) and not isinstance(ours, tuple) and len(set(theirs)) == 1:
            theirs = theirs[0]
        if theirs == () and ours is None or theirs is None and ours == ():
            return True
        if isinstance(theirs, bool) != isinstance(ours, bool):
            return False
        try:
            return bool(theirs == ours)
        except Exception:
            return False
    if type(theirs) is not type(ours) and not (isinstance(theirs, type(ours)) or isinstance(ours, type(theirs))):
        return False
    try:
        return bool(theirs == ours)
    except Exception:
        return theirs is ours


def strict_problems(ours: Overload, theirs: Overload) -> Iterator[tuple[str, str]]:
    """A Python signature: the same parameters, in the same order, of the same kinds and defaults."""
    mine = {n: (k, d) for n, k, d in ours.params}
    their_names = {n for n, _, _ in theirs.params}
    their_pos = [n for n, k, _ in theirs.params if k == "pos"]
    our_pos = [n for n, k, _ in ours.params if k == "pos"]
    for i, name in enumerate(their_pos):
        if i < len(our_pos) and our_pos[i] != name and name in mine:
            yield name, f"at position {i} torch has {name!r}, we have {our_pos[i]!r}"
    for name, kind, default in theirs.params:
        if name not in mine:
            if not ours.varkw:
                yield name, "missing" + ("" if default is E else f" (torch's default {default!r})")
            continue
        our_kind, our_default = mine[name]
        if kind != our_kind:
            yield name, f"{'keyword-only' if kind == 'kw' else 'positional'} in torch, not here"
        if (default is E) != (our_default is E):
            yield name, f"default: torch {'none' if default is E else repr(default)}, ours " + \
                ("none" if our_default is E else repr(our_default))
        elif default is not E and not _same_default(default, our_default, strict=True):
            yield name, f"default: torch {default!r}, ours {our_default!r}"
    for name, _, default in ours.params:
        if name not in their_names:
            yield name, "ours only" + (" (and without a default)" if default is E else "")
    if theirs.varargs and not ours.varargs:
        yield "*args", "torch takes *args"


def overload_problems(ours: Overload, overloads: list[Overload]) -> Iterator[tuple[str, str]]:
    """C overloads, as programs call them (see the module docstring). Overloads that put different names at one
    position are told apart by type here as in torch, so a position must hold one of torch's names there."""
    mine = {n: (k, d) for n, k, d in ours.params}
    our_pos = [n for n, k, _ in ours.params if k == "pos"]
    at: dict[int, set[str]] = {}
    defaults: dict[str, list[Any]] = {}
    for overload in overloads:
        pos = [n for n, k, _ in overload.params if k == "pos" and n not in ABSENT]
        for i, name in enumerate(pos):
            at.setdefault(i, set()).add(name)
        if len(pos) > len(our_pos) and not ours.varargs:
            yield pos[len(our_pos)], f"torch takes {len(pos)} positional arguments ({', '.join(pos)}), we take " \
                f"{len(our_pos)}"
        for name, _, default in overload.params:
            if default is not E:
                defaults.setdefault(name, []).append(default)
    for i, names in at.items():
        if i < len(our_pos) and our_pos[i] not in names and not (i == 0 and names & {"input", "self"}):
            yield our_pos[i], f"at position {i} torch has {' or '.join(sorted(names))}, we have {our_pos[i]!r}"
    positional = {n for names in at.values() for n in names}
    always_kw = {n for o in overloads for n, k, _ in o.params if k == "kw"} - positional
    for name in sorted({n for o in overloads for n, _, _ in o.params} - set(ABSENT)):
        if name not in mine:
            if not ours.varkw and name != "self":
                yield name, "missing"
            continue
        our_kind, our_default = mine[name]
        if name in always_kw and our_kind != "kw":
            yield name, "keyword-only in torch, positional here"
        theirs = defaults.get(name, [])
        if our_default is None and any(name not in {n for n, _, _ in o.params} for o in overloads):
            continue  # None stands for "not given", as when torch picks the overload without it (std's unbiased)
        if name == "dtype" and all(isinstance(d, int) for d in theirs):
            continue  # a schema writes dtype=torch.int64 as the enum's number
        if theirs and our_default is not E and not any(_same_default(d, our_default, strict=False) for d in theirs):
            yield name, f"default: torch {' or '.join(map(repr, theirs))}, ours {our_default!r}"


# --- the names both libraries have ---------------------------------------------------------------------------

def _public(module: Any) -> list[str]:
    return sorted(getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")])


def _pairs(prefix: str, ours: Any, theirs: Any, names: list[str] | None = None) -> Iterator[tuple[str, Any, Any]]:
    for name in names if names is not None else _public(ours):
        if hasattr(ours, name) and hasattr(theirs, name):
            yield f"{prefix}{name}", getattr(ours, name), getattr(theirs, name)


def _class_pairs() -> Iterator[tuple[str, type, type]]:
    """(name, ours, theirs) for the classes both have: layers, optimizers, schedulers, data, autograd."""
    for prefix, ours, theirs, names in [
            ("nn.", tg.nn, torch.nn, None), ("nn.utils.rnn.", tg.nn.utils.rnn, torch.nn.utils.rnn, ["PackedSequence"]),
            ("nn.utils.prune.", tg.nn.utils.prune, torch_prune, None),
            ("optim.", tg.optim, torch.optim, None),
            ("optim.lr_scheduler.", tg.optim.lr_scheduler, torch.optim.lr_scheduler, None),
            ("utils.data.", our_data, torch_data, None), ("autograd.", tg.autograd, torch.autograd, None),
            ("distributions.", tg.distributions, torch.distributions, None)]:
        for name, o, t in _pairs(prefix, ours, theirs, names):
            if inspect.isclass(o) and inspect.isclass(t):
                yield name, o, t


def _constructors_and_methods() -> Iterator[tuple[str, Any, Any]]:
    """Each class's __init__, and its public methods that torch writes in Python (each pair of definitions
    once: Module.state_dict is compared once, not once per layer)."""
    seen = set()
    for name, ours, theirs in _class_pairs():
        yield name, ours.__init__, theirs.__init__
        prefix = name.rsplit(".", 1)[0] + "."
        for method in dir(theirs):
            t, o = getattr(theirs, method), getattr(ours, method, None)
            if method.startswith("_") or not inspect.isfunction(t) or not callable(o):
                continue
            key = (t.__qualname__, getattr(o, "__qualname__", None))
            if key not in seen:
                seen.add(key)
                yield prefix + t.__qualname__, o, t


def _functions(pairs: Iterator[tuple[str, Any, Any]]) -> Iterator[tuple[str, Any, Any]]:
    for name, ours, theirs in pairs:
        if callable(ours) and callable(theirs) and not inspect.isclass(ours) and not inspect.ismodule(ours):
            yield name, ours, theirs


def _only_varargs(signature: inspect.Signature) -> bool:
    kinds = {p.kind for p in signature.parameters.values() if p.name not in ("self", "cls")}
    return bool(kinds) and kinds <= {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}


def python_level() -> list[tuple[str, Any, Any]]:
    """(name, ours, theirs) for everything whose torch signature is Python."""
    candidates = [
        *_constructors_and_methods(),
        *_functions(_pairs("nn.init.", tg.nn.init, torch.nn.init)),
        *_functions(_pairs("nn.utils.", tg.nn.utils, torch.nn.utils)),
        *_functions(_pairs("nn.utils.rnn.", tg.nn.utils.rnn, torch.nn.utils.rnn)),
        *_functions(_pairs("nn.utils.prune.", tg.nn.utils.prune, torch_prune)),
        *_functions(_pairs("F.", our_F, torch_F)),
        *_functions(_pairs("utils.data.", our_data, torch_data)),
        *_functions(_pairs("autograd.", tg.autograd, torch.autograd)),
        *_functions(_pairs("torch.", tg, torch)),
        *_functions(_pairs("linalg.", tg.linalg, torch.linalg)),
        *((f"Tensor.{n}", o, t) for n, o, t in _pairs("", tg.Tensor, torch.Tensor, sorted(vars(torch.Tensor)))
          if not n.startswith("_") and callable(t)),
    ]
    found = []
    for name, ours, theirs in candidates:
        signature = python_signature(theirs)
        if signature is None:
            continue
        if _only_varargs(signature):
            continue  # torch takes (*args, **kwargs) (nn.LSTM, Identity; F.max_pool2d's docstring is read below)
        found.append((name, ours, theirs))
    return found


def c_level() -> list[tuple[str, Any, list[Overload], bool]]:
    """(name, ours, torch's overloads, is a method) for what torch implements in C."""
    found = []
    for name, ours, theirs in [*_functions(_pairs("torch.", tg, torch)), *_functions(_pairs("F.", our_F, torch_F)),
                               *_functions(_pairs("linalg.", tg.linalg, torch.linalg))]:
        signature = python_signature(theirs)
        if signature is not None and not _only_varargs(signature):
            continue
        short = name.rsplit(".", 1)[-1]
        documented = docstring_overloads(short, theirs.__doc__)
        overloads = [] if signature is not None else \
            binding_overloads(theirs) or schema_overloads(getattr(theirs, "__name__", short), method=False)
        if not any(n == "out" for o in documented for n, _, _ in o.params):
            # aten has out= forms that Python does not bind (zeros_like) or F does not document (F.gelu)
            overloads = [Overload([p for p in o.params if p[0] != "out"], o.varargs, o.varkw) for o in overloads]
        overloads = overloads or documented
        if not overloads and signature is not None:
            kinds = {p.kind for p in signature.parameters.values()}
            if inspect.Parameter.VAR_KEYWORD in kinds:
                continue  # (*args, **kwargs) and no signature line: nothing to compare (unique_consecutive)
            overloads = [Overload([], varargs=True)]  # (*tensors): atleast_1d, block_diag
        found.append((name, ours, overloads, False))
    for short in sorted(set(dir(tg.Tensor)) & set(dir(torch.Tensor))):
        theirs = getattr(torch.Tensor, short)
        if short.startswith("_") or not callable(theirs) or python_signature(theirs) is not None:
            continue
        overloads = binding_overloads(getattr(torch.ones(2), short)) or schema_overloads(short, method=True) or \
            docstring_overloads(short, theirs.__doc__)
        found.append((f"Tensor.{short}", getattr(tg.Tensor, short), overloads, True))
    return found


def _report(problems: list[tuple[str, str, str]]) -> list[str]:
    allowed = {**DELIBERATE, **TO_FIX}
    return [f"{name}({param}): {message}" for name, param, message in problems
            if (name, param) not in allowed and (name.split(".", 1)[0] + ".*", param) not in allowed]


def all_problems() -> list[tuple[str, str, str]]:
    problems = []
    for name, ours, theirs in python_level():
        our_signature = python_signature(ours)
        if our_signature is None:
            problems.append((name, "*", "our signature cannot be read"))
            continue
        method = "." in theirs.__qualname__  # a method or a constructor: self is not compared
        problems += [(name, p, m) for p, m in strict_problems(from_signature(our_signature, method),
                                                                from_signature(inspect.signature(theirs), method))]
    for name, ours, overloads, method in c_level():
        our_signature = python_signature(ours)
        if not overloads or our_signature is None:
            problems.append((name, "*", "no signature to compare" if not overloads else "ours cannot be read"))
            continue
        problems += [(name, p, m) for p, m in overload_problems(from_signature(our_signature, method), overloads)]
    return sorted(set(problems))


@pytest.fixture(scope="module")
def problems() -> list[tuple[str, str, str]]:
    return all_problems()


def test_enough_names_are_compared() -> None:
    assert len(python_level()) > 350
    assert len(c_level()) > 700


def test_signatures_agree_with_torch(problems: list[tuple[str, str, str]]) -> None:
    differences = _report(problems)
    assert not differences, f"{len(differences)} differences:\n" + "\n".join(differences)


def test_docs_name_every_deliberate_difference() -> None:
    from pathlib import Path
    text = (Path(__file__).parents[1] / "docs" / "pytorch.md").read_text()
    missing = [key for key in DELIBERATE if key[0].rsplit(".", 1)[-1] not in text or key[1] not in text]
    assert not missing and all(name in text for name in ABSENT)


def test_every_deliberate_difference_is_still_one(problems: list[tuple[str, str, str]]) -> None:
    seen = {(name, param) for name, param, _ in problems} | \
        {(name.split(".", 1)[0] + ".*", param) for name, param, _ in problems}
    assert not [key for key in {**DELIBERATE, **TO_FIX} if key not in seen]
