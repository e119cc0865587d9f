"""PyTorch's torch.autograd names: Function (ctx-style, on Tensors), grad, backward, Variable, gradcheck, anomaly
detection, the functional API (vjp, jacobian, jvp) and the profiler."""

from . import functional, profiler
from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .function import Function, FunctionCtx
from .gradcheck import gradcheck
from .graph import backward, grad
from .variable import Variable

__all__ = ["Function", "FunctionCtx", "Variable", "backward", "detect_anomaly", "grad", "gradcheck",
           "functional", "is_anomaly_enabled", "profiler", "set_detect_anomaly"]
