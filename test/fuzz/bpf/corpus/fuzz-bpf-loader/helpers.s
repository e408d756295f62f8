# helpers
mov %r1, 3
call 2
mov %r1, 0
mov %r2, 1
call 3
exit
