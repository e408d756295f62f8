# calls
mov %r1, 5
call 1
call_local f
add %r0, %r1
exit
f: mov %r1, %r10
add %r1, -8
stdw [%r1+0], 9
mov %r2, 8
call 3
exit
