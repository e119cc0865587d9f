"""What makes NumPy fast and safe on this machine: threads for memory-bound passes, BLAS-sized products, malloc
settings, atomic file writes. Nothing here knows about Tensors."""
