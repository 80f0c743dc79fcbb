package dev.nido.linux;

/** Placeholder: replaced by the FFM implementation. */
abstract class RealSyscalls implements Syscalls {
    static final Syscalls INSTANCE = null;
}
