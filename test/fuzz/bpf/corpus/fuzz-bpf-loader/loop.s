# loop
mov %r0, 0
l: add %r0, 1
jlt32 %r0, 100, l
jset %r0, 4, +1
exit
ja -2
