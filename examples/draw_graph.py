"""Draw the graph of micrograd's scalar example L = (a·b + c)·f with values and gradients.

    python examples/draw_graph.py                       # writes docs/img/graph_scalar.png
    python examples/draw_graph.py --out graph --format svg
    python examples/draw_graph.py --dot                 # print the DOT source (needs no graphviz)

Also prints the backward trace: one line per op, in the order backward() visits them.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tinygrad_adam import Tensor, viz
from tinygrad_adam.cli import run_cli
from tinygrad_adam.extras import require, require_program


def scalar_example() -> tuple[Tensor, dict[str, Tensor]]:
    a, b = Tensor(2.0, requires_grad=True), Tensor(-3.0, requires_grad=True)
    c, f = Tensor(10.0, requires_grad=True), Tensor(-2.0, requires_grad=True)
    e = a * b
    d = e + c
    loss = d * f
    return loss, {"a": a, "b": b, "c": c, "f": f, "e": e, "d": d, "L": loss}


def main(argv: Sequence[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="docs/img/graph_scalar", help="output path without the extension")
    parser.add_argument("--format", default="png", help="png, svg, pdf, ...")
    parser.add_argument("--dot", action="store_true", help="print the DOT source instead of rendering it")
    args = parser.parse_args(argv)
    if not args.dot:
        require("viz", "drawing the graph (--dot prints its DOT source without it)")
        require_program("dot", "drawing the graph (--dot prints its DOT source without it)")
    loss, names = scalar_example()
    viz.retain_grads(loss)
    with viz.trace_backward(names):
        loss.backward()
    if args.dot:
        source = viz.to_dot(loss, names, show_values=True, show_grads=True)
        print(source)
        return source
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    graph = viz.draw_graph(loss, names, show_values=True, show_grads=True)
    path = graph.render(args.out, format=args.format, cleanup=True)
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    run_cli(main)
