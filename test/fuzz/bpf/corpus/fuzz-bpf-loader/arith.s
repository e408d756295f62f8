# arith
mov %r0, 7
lddw %r2, 0x8000000000000000
sdiv %r2, -1
mod32 %r0, 0
movsxb %r3, %r0
be16 %r3
bswap64 %r2
add %r0, %r2
neg32 %r0
arsh %r0, 65
exit
