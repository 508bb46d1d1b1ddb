"""nnlib: the small NumPy neural-network library taught by the book."""
