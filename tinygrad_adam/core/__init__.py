"""The core: the engine (graph and backward), the Tensor and its ops, dtypes, devices, random numbers."""
