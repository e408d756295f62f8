# recurse
f: call_local f
exit
