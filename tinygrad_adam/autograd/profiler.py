"""torch.autograd.profiler.profile: the CPU time of each op's forward, averaged by op, as PyTorch's table.

While a profile is entered every `Op.apply` is timed (the engine's apply is wrapped, and restored on exit), so
nothing is paid when no profiler runs. Ops are named `aten::<op>` in PyTorch's manner (`Mul` -> `aten::mul`).
The backward pass and memory are not recorded; `use_cuda` and the other switches are accepted.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from ..core import engine

__all__ = ["EventList", "FunctionEventAvg", "profile", "record_function"]


def _aten_name(op: type) -> str:
    return "aten::" + re.sub(r"(?<!^)(?=[A-Z])", "_", getattr(op, "__name__", str(op))).lower()


@dataclass
class FunctionEventAvg:
    """One op's totals: calls, CPU time in it and in the ops it ran (microseconds)."""

    key: str
    count: int = 0
    cpu_time_total: float = 0.0
    self_cpu_time_total: float = 0.0

    @property
    def cpu_time(self) -> float:
        return self.cpu_time_total / self.count if self.count else 0.0


def _format_us(us: float) -> str:
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


class EventList(list):
    """The averaged events of a profile (key_averages()), printable as PyTorch's table."""

    @property
    def self_cpu_time_total(self) -> float:
        return sum(e.self_cpu_time_total for e in self)

    def table(self, sort_by: str | None = None, row_limit: int = 100, max_src_column_width: int = 75,
              max_name_column_width: int = 55, max_shapes_column_width: int = 80, header: str | None = None,
              top_level_events_only: bool = False) -> str:
        events = list(self)
        if sort_by in ("count", "cpu_time", "cpu_time_total", "self_cpu_time_total"):
            events.sort(key=lambda e: getattr(e, sort_by), reverse=True)
        if row_limit > 0:
            events = events[:row_limit]
        total = self.self_cpu_time_total or 1.0
        name_width = min(max([len(e.key) for e in events] + [4]) + 4, max_name_column_width)
        columns = ["Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg", "# of Calls"]
        line = "-" * name_width + "  " + "  ".join("-" * 12 for _ in columns) + "  "
        rows = [line, "Name".rjust(name_width) + "  " + "  ".join(c.rjust(12) for c in columns) + "  ", line]
        for e in events:
            cells = [f"{100 * e.self_cpu_time_total / total:.2f}%", _format_us(e.self_cpu_time_total),
                     f"{100 * e.cpu_time_total / total:.2f}%", _format_us(e.cpu_time_total), _format_us(e.cpu_time),
                     str(e.count)]
            rows.append(e.key[:name_width].rjust(name_width) + "  " + "  ".join(c.rjust(12) for c in cells) + "  ")
        rows += [line, f"Self CPU time total: {_format_us(self.self_cpu_time_total)}", ""]
        return ((header + "\n") if header else "") + "\n".join(rows)

    def __str__(self) -> str:
        return self.table()


class profile:  # noqa: N801 - PyTorch's name
    """with profile() as prof: ...; print(prof.key_averages().table(sort_by="self_cpu_time_total"))."""

    def __init__(self, enabled: bool = True, *, use_cuda: bool = False, use_device: Any = None,
                 record_shapes: bool = False, with_flops: bool = False, profile_memory: bool = False,
                 with_stack: bool = False, with_modules: bool = False, use_kineto: bool = True,
                 use_cpu: bool = True, **kwargs: Any) -> None:
        self.enabled = enabled
        self._events: dict[str, FunctionEventAvg] = {}
        self._stack: list[float] = []  # time spent in ops nested in the ones running
        self._original: Any = None

    def _timed_apply(self) -> Any:
        original, events, stack = self._original.__func__, self._events, self._stack

        def apply(cls: type, *args: Any, **kwargs: Any) -> Any:
            stack.append(0.0)
            start = time.perf_counter()
            try:
                return original(cls, *args, **kwargs)
            finally:
                spent = (time.perf_counter() - start) * 1e6
                nested = stack.pop()
                if stack:
                    stack[-1] += spent
                event = events.setdefault(_aten_name(cls), FunctionEventAvg(_aten_name(cls)))
                event.count += 1
                event.cpu_time_total += spent
                event.self_cpu_time_total += spent - nested

        return classmethod(apply)

    def __enter__(self) -> profile:
        if self.enabled:
            self._original = engine.Op.__dict__["apply"]
            engine.Op.apply = self._timed_apply()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._original is not None:
            engine.Op.apply = self._original
            self._original = None

    def key_averages(self, group_by_input_shape: bool = False, group_by_stack_n: int = 0) -> EventList:
        return EventList(FunctionEventAvg(e.key, e.count, e.cpu_time_total, e.self_cpu_time_total)
                         for e in self._events.values())

    def table(self, **kwargs: Any) -> str:
        return self.key_averages().table(**kwargs)


class record_function:  # noqa: N801 - PyTorch's name
    """A labelled block; accepted so that programs that label their code run (the label is not recorded)."""

    def __init__(self, name: str, args: str | None = None) -> None:
        self.name = name

    def __enter__(self) -> record_function:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None
