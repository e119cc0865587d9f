"""The optimizer playground: watch optimizers move on small functions whose minima are known.

    from tinygrad_adam.playground import get, minimize
    from tinygrad_adam.playground.plot import plot_contour

    rosenbrock = get("rosenbrock")
    result = minimize(rosenbrock, rosenbrock.start, "adam", steps=500, lr=1.0)
    plot_contour(rosenbrock, paths={"Adam": result.path})

`minimize` (minimize.py) runs any optimizer of `tinygrad_adam.optim` on a function of a Tensor and
records the path; objectives.py holds the test functions with their minima, bounds and analytic
gradients; plot.py draws them (matplotlib, the `plot` extra, imported only when drawing).
"""

from .minimize import MinimizeResult, minimize
from .objectives import OBJECTIVES, NoisyQuadratic, Objective, bowl, cubic, get

__all__ = ["OBJECTIVES", "MinimizeResult", "NoisyQuadratic", "Objective", "bowl", "cubic", "get", "minimize"]
