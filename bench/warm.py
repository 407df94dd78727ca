#!/usr/bin/env python3
"""Touch and free memory, so that the next program finds it warm.

On a virtual machine that hands freed memory back to its host (virtio
balloon free page reporting, as on the benchmark machine), memory nobody
touched for a few seconds costs about 1.5 ms per MB to touch again, against
0.12 ms right after another program freed it (BENCHMARKS.md). Running this
before each timed run puts every tool in the same state, whatever ran
before it. Huge pages are asked for, as saydo's allocator asks for them.

Usage: bench/warm.py [MEGABYTES]   (default 2500: more than any tool here holds)
"""
import mmap
import sys

size = int(sys.argv[1] if len(sys.argv) > 1 else 2500) << 20
memory = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
if hasattr(mmap, "MADV_HUGEPAGE"):
    memory.madvise(mmap.MADV_HUGEPAGE)
for offset in range(0, size, 4096):
    memory[offset] = 1
memory.close()
