/*
 * Which SIMD kernels this build may hold and this CPU may run. x86 kernels are compiled
 * only into x86 builds (each with a target attribute, so the rest of the build keeps the
 * baseline ISA) and chosen per call from the CPU's feature bits; every other architecture
 * (aarch64, ...) compiles none of them and runs the portable twins.
 */
#ifndef DP_MODEL_CPU_H
#define DP_MODEL_CPU_H

#if defined(__x86_64__) || defined(__i386__)
#define DP_X86 1
/* __builtin_cpu_supports reads flags that libgcc filled at start-up: a cheap test. */
static inline int dp_cpu_avx2(void) { return __builtin_cpu_supports("avx2"); }
#else
static inline int dp_cpu_avx2(void) { return 0; }
#endif

#endif
