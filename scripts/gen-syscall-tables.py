#!/usr/bin/env python3
"""Generates the syscall tables of the seccomp compiler (dev.nido.security.SyscallTable).

Reads the kernel's UAPI headers that linux-libc-dev installs and writes one "name number" line per
syscall, sorted by number, to src/main/resources/dev/nido/security/syscalls-<arch>.txt:

  x86_64   asm/unistd_64.h
  x86      asm/unistd_32.h   (i386, SCMP_ARCH_X86)
  x32      asm/unistd_x32.h  (numbers carry __X32_SYSCALL_BIT, 0x40000000, as the filter sees them)
  aarch64  asm-generic/unistd.h, preprocessed as arch/arm64/include/uapi/asm/unistd.h does

Syscalls newer than the installed headers are added from NEWER below (since Linux 5.1 every
architecture gives a new syscall the same number, so one list serves all four tables). A name the
headers already have keeps the headers' number.

Run it again after the headers change, and commit the output:  python3 scripts/gen-syscall-tables.py
"""
import os
import re
import sys

X32_BIT = 0x40000000
ASM = "/usr/include/x86_64-linux-gnu/asm"
GENERIC = "/usr/include/asm-generic/unistd.h"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                   "src/main/resources/dev/nido/security")

# arch/arm64/include/uapi/asm/unistd.h defines these before including asm-generic/unistd.h.
# __ARCH_WANT_TIME32_SYSCALLS is there too but only matters when __BITS_PER_LONG is 32, and
# __ARCH_WANT_SYNC_FILE_RANGE2 is only for the 32-bit compat ABI (arm64 has sync_file_range).
ARM64_WANTS = {"__ARCH_WANT_RENAMEAT", "__ARCH_WANT_NEW_STAT", "__ARCH_WANT_SET_GET_RLIMIT",
               "__ARCH_WANT_SYS_CLONE3", "__ARCH_WANT_MEMFD_SECRET"}

# (number, name, tables): syscalls added after Linux 6.1, the headers this script was first run on.
# "all" means x86_64, x86, x32 and aarch64; map_shadow_stack is "64" only in syscall_64.tbl (no x32).
ALL = ("x86_64", "x86", "x32", "aarch64")
NEWER = [
    (451, "cachestat", ALL),
    (452, "fchmodat2", ALL),
    (453, "map_shadow_stack", ("x86_64", "x86", "aarch64")),
    (454, "futex_wake", ALL),
    (455, "futex_wait", ALL),
    (456, "futex_requeue", ALL),
    (457, "statmount", ALL),
    (458, "listmount", ALL),
    (459, "lsm_get_self_attr", ALL),
    (460, "lsm_set_self_attr", ALL),
    (461, "lsm_list_modules", ALL),
    (462, "mseal", ALL),
    (463, "setxattrat", ALL),
    (464, "getxattrat", ALL),
    (465, "listxattrat", ALL),
    (466, "removexattrat", ALL),
    (467, "open_tree_attr", ALL),
    (468, "file_getattr", ALL),
    (469, "file_setattr", ALL),
]

DEFINE = re.compile(r"^#define\s+__NR_(\w+)\s+(.+?)\s*$")


def plain_table(path, x32=False):
    """name -> number from a generated unistd_*.h (one #define per syscall, no conditionals)."""
    table = {}
    with open(path) as f:
        for line in f:
            m = DEFINE.match(line)
            if not m:
                continue
            value = m.group(2)
            if x32:
                inner = re.fullmatch(r"\(__X32_SYSCALL_BIT \+ (\d+)\)", value)
                if not inner:
                    sys.exit(f"{path}: unexpected x32 value {value!r}")
                table[m.group(1)] = X32_BIT | int(inner.group(1))
            else:
                table[m.group(1)] = int(value)
    return table


def condition(expr, defined):
    """Evaluates an #if expression of asm-generic/unistd.h for a 64-bit, non-compat build."""
    expr = re.sub(r"defined\s*\(\s*(\w+)\s*\)", lambda m: str(m.group(1) in defined), expr)
    expr = expr.replace("__BITS_PER_LONG", "64").replace("||", " or ").replace("&&", " and ")
    expr = re.sub(r"!(?!=)", " not ", expr)
    return bool(eval(expr, {"__builtins__": {}}, {"True": True, "False": False}))


def generic_table(path, wants):
    """name -> number from asm-generic/unistd.h with a small preprocessor for its conditionals."""
    defined = set(wants)
    values = {}
    active = [True]  # one entry per open #if: is this branch taken (and all enclosing ones)
    taken = [True]   # has any branch of this #if been taken yet
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if line.startswith("#ifdef") or line.startswith("#ifndef") or line.startswith("#if "):
                if line.startswith("#ifdef"):
                    cond = line.split()[1] in defined
                elif line.startswith("#ifndef"):
                    cond = line.split()[1] not in defined
                else:
                    cond = condition(line[3:].split("/*")[0], defined)
                active.append(active[-1] and cond)
                taken.append(cond)
            elif line.startswith("#else"):
                active[-1] = active[-2] and not taken[-1]
                taken[-1] = True
            elif line.startswith("#endif"):
                active.pop()
                taken.pop()
            elif active[-1] and line.startswith("#undef"):
                name = line.split()[1]
                defined.discard(name)
                values.pop(name, None)
            elif active[-1] and line.startswith("#define"):
                parts = line.split(None, 2)
                defined.add(parts[1])
                if len(parts) == 3:
                    values[parts[1]] = parts[2].split("/*")[0].strip()
    table = {}
    for name, value in values.items():
        if not name.startswith("__NR_") or name in ("__NR_syscalls", "__NR_arch_specific_syscall"):
            continue
        while value in values:  # __NR_fcntl -> __NR3264_fcntl -> 25
            value = values[value]
        table[name[len("__NR_"):]] = int(value)
    return table


def add_newer(arch, table):
    added = 0
    for number, name, tables in NEWER:
        if arch in tables and name not in table:
            table[name] = (X32_BIT | number) if arch == "x32" else number
            added += 1
    return added


def write(arch, source, table, added):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, f"syscalls-{arch}.txt")
    with open(path, "w") as f:
        f.write(f"# {arch} syscall numbers: generated by scripts/gen-syscall-tables.py from {source}\n")
        f.write(f"# ({added} newer than those headers added from the script's list); do not edit\n")
        for name, number in sorted(table.items(), key=lambda kv: (kv[1], kv[0])):
            f.write(f"{name} {number}\n")
    print(f"{path}: {len(table)} syscalls")


def main():
    tables = {
        "x86_64": (f"{ASM}/unistd_64.h", plain_table(f"{ASM}/unistd_64.h")),
        "x86": (f"{ASM}/unistd_32.h", plain_table(f"{ASM}/unistd_32.h")),
        "x32": (f"{ASM}/unistd_x32.h", plain_table(f"{ASM}/unistd_x32.h", x32=True)),
        "aarch64": (GENERIC, generic_table(GENERIC, ARM64_WANTS)),
    }
    for arch, (source, table) in tables.items():
        added = add_newer(arch, table)
        write(arch, source, table, added)


if __name__ == "__main__":
    main()
