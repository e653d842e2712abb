// mmu.s: (being written)
