# oob
lddw %r1, 0x400000ff8
ldxdw %r0, [%r1+8]
exit
