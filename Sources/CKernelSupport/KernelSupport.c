// Header-only target: see include/KernelSupport.h.
