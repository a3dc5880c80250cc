"""tests/support/runs/racy-edit.py SOLUTION: print the solution of
exercise 2.2 (its text, SOLUTION) with the racy edit that practise.sh
shows: a progress counter incremented outside the lock."""
import sys
s = sys.argv[1]
fn = "int barrier_wait(barrier *b)\n"
ret = "    return err != 0 ? -err : last;\n"
if s.count(fn) != 1 or s.count(ret) != 1:
    sys.exit("practise.sh: the solution of 2.2 changed; update the racy edit")
s = s.replace(fn, "static unsigned long passages;   /* for a progress report */\n\n" + fn)
s = s.replace(ret, "    passages++;\n" + ret)
print(s)
