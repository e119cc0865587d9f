"""PyTorch's torch.autograd names: Function (ctx-style, on Tensors), grad, backward, gradcheck, anomaly detection."""

from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .function import Function, FunctionCtx
from .gradcheck import gradcheck
from .graph import grad

__all__ = ["Function", "FunctionCtx", "detect_anomaly", "grad", "gradcheck", "is_anomaly_enabled",
           "set_detect_anomaly"]
