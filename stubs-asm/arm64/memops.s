// memops.s: (being written)
