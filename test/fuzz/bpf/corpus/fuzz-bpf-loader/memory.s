# memory
ldxdw %r0, [%r1+0]
stxw [%r1+8], %r0
stb [%r1+63], 1
ldxsh %r3, [%r1+2]
mov %r2, 3
atomic_fetch_add [%r1+16], %r2
atomic32_cmpxchg [%r1+4], %r2
stdw [%r10-8], 5
ldxdw %r4, [%r10-8]
add %r0, %r4
exit
