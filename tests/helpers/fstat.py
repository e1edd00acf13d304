#!/usr/bin/env python3
"""fstat.py: GNU stat -c for systems without it.

    fstat.py FORMAT FILE

Prints FORMAT for FILE (not following a last symbolic link, as stat(1)
does not either) with the conversions the tests use: %a (octal
permissions, special bits included), %U and %G (owner and group names),
%s (size), %F (file type in GNU's words), %% (a percent sign).
"""
import grp
import os
import pwd
import stat
import sys

TYPES = [(stat.S_ISREG, "regular file"), (stat.S_ISDIR, "directory"),
         (stat.S_ISSOCK, "socket"), (stat.S_ISLNK, "symbolic link"),
         (stat.S_ISFIFO, "fifo"), (stat.S_ISCHR, "character special file"),
         (stat.S_ISBLK, "block special file")]


def name(ids, n):
    try:
        return ids(n)[0]
    except KeyError:
        return str(n)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    fmt, path = sys.argv[1], sys.argv[2]
    try:
        st = os.lstat(path)
    except OSError as e:
        sys.exit("fstat: %s: %s" % (path, e.strerror))
    conv = {
        "a": "%o" % (st.st_mode & 0o7777),
        "U": name(pwd.getpwuid, st.st_uid),
        "G": name(grp.getgrgid, st.st_gid),
        "s": str(st.st_size),
        "F": next((t for f, t in TYPES if f(st.st_mode)), "unknown"),
        "%": "%",
    }
    out, i = "", 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt) and fmt[i + 1] in conv:
            out += conv[fmt[i + 1]]
            i += 2
        else:
            out += fmt[i]
            i += 1
    print(out)


if __name__ == "__main__":
    main()
