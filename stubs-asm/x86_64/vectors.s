// vectors.s: (being written)
