package dev.nido.linux;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * errno values of Linux x86_64 ({@code <asm-generic/errno-base.h>}, {@code <asm-generic/errno.h>}):
 * names and glibc's strerror(3) messages in lower case, for error messages such as
 * {@code mount proc on /x: operation not permitted (EPERM)}.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int ENOTBLK = 15;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ETXTBSY = 26;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EROFS = 30;
    public static final int EMLINK = 31;
    public static final int EPIPE = 32;
    public static final int EDOM = 33;
    public static final int ERANGE = 34;
    public static final int EDEADLK = 35;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOLCK = 37;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int ENOMSG = 42;
    public static final int EIDRM = 43;
    public static final int ENODATA = 61;
    public static final int ETIME = 62;
    public static final int ENOLINK = 67;
    public static final int EPROTO = 71;
    public static final int EBADMSG = 74;
    public static final int EOVERFLOW = 75;
    public static final int EILSEQ = 84;
    public static final int EUSERS = 87;
    public static final int ENOTSOCK = 88;
    public static final int EDESTADDRREQ = 89;
    public static final int EMSGSIZE = 90;
    public static final int EPROTOTYPE = 91;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int ESOCKTNOSUPPORT = 94;
    /** Same value as {@link #ENOTSUP} on Linux. */
    public static final int EOPNOTSUPP = 95;
    public static final int ENOTSUP = 95;
    public static final int EPFNOSUPPORT = 96;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ENETRESET = 102;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ESHUTDOWN = 108;
    public static final int ETOOMANYREFS = 109;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTDOWN = 112;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;
    public static final int ESTALE = 116;
    public static final int EDQUOT = 122;
    public static final int ECANCELED = 125;
    public static final int ENOKEY = 126;
    public static final int EOWNERDEAD = 130;
    public static final int ENOTRECOVERABLE = 131;
    public static final int ERFKILL = 132;
    public static final int EHWPOISON = 133;

    private record Entry(String name, String message) {
    }

    private static final Map<Integer, Entry> BY_NUMBER = new HashMap<>();
    private static final Map<String, Integer> BY_NAME = new HashMap<>();

    static {
        add(EPERM, "EPERM", "operation not permitted");
        add(ENOENT, "ENOENT", "no such file or directory");
        add(ESRCH, "ESRCH", "no such process");
        add(EINTR, "EINTR", "interrupted system call");
        add(EIO, "EIO", "input/output error");
        add(ENXIO, "ENXIO", "no such device or address");
        add(E2BIG, "E2BIG", "argument list too long");
        add(ENOEXEC, "ENOEXEC", "exec format error");
        add(EBADF, "EBADF", "bad file descriptor");
        add(ECHILD, "ECHILD", "no child processes");
        add(EAGAIN, "EAGAIN", "resource temporarily unavailable");
        add(ENOMEM, "ENOMEM", "cannot allocate memory");
        add(EACCES, "EACCES", "permission denied");
        add(EFAULT, "EFAULT", "bad address");
        add(ENOTBLK, "ENOTBLK", "block device required");
        add(EBUSY, "EBUSY", "device or resource busy");
        add(EEXIST, "EEXIST", "file exists");
        add(EXDEV, "EXDEV", "invalid cross-device link");
        add(ENODEV, "ENODEV", "no such device");
        add(ENOTDIR, "ENOTDIR", "not a directory");
        add(EISDIR, "EISDIR", "is a directory");
        add(EINVAL, "EINVAL", "invalid argument");
        add(ENFILE, "ENFILE", "too many open files in system");
        add(EMFILE, "EMFILE", "too many open files");
        add(ENOTTY, "ENOTTY", "inappropriate ioctl for device");
        add(ETXTBSY, "ETXTBSY", "text file busy");
        add(EFBIG, "EFBIG", "file too large");
        add(ENOSPC, "ENOSPC", "no space left on device");
        add(ESPIPE, "ESPIPE", "illegal seek");
        add(EROFS, "EROFS", "read-only file system");
        add(EMLINK, "EMLINK", "too many links");
        add(EPIPE, "EPIPE", "broken pipe");
        add(EDOM, "EDOM", "numerical argument out of domain");
        add(ERANGE, "ERANGE", "numerical result out of range");
        add(EDEADLK, "EDEADLK", "resource deadlock avoided");
        add(ENAMETOOLONG, "ENAMETOOLONG", "file name too long");
        add(ENOLCK, "ENOLCK", "no locks available");
        add(ENOSYS, "ENOSYS", "function not implemented");
        add(ENOTEMPTY, "ENOTEMPTY", "directory not empty");
        add(ELOOP, "ELOOP", "too many levels of symbolic links");
        add(ENOMSG, "ENOMSG", "no message of desired type");
        add(EIDRM, "EIDRM", "identifier removed");
        add(ENODATA, "ENODATA", "no data available");
        add(ETIME, "ETIME", "timer expired");
        add(ENOLINK, "ENOLINK", "link has been severed");
        add(EPROTO, "EPROTO", "protocol error");
        add(EBADMSG, "EBADMSG", "bad message");
        add(EOVERFLOW, "EOVERFLOW", "value too large for defined data type");
        add(EILSEQ, "EILSEQ", "invalid or incomplete multibyte or wide character");
        add(EUSERS, "EUSERS", "too many users");
        add(ENOTSOCK, "ENOTSOCK", "socket operation on non-socket");
        add(EDESTADDRREQ, "EDESTADDRREQ", "destination address required");
        add(EMSGSIZE, "EMSGSIZE", "message too long");
        add(EPROTOTYPE, "EPROTOTYPE", "protocol wrong type for socket");
        add(ENOPROTOOPT, "ENOPROTOOPT", "protocol not available");
        add(EPROTONOSUPPORT, "EPROTONOSUPPORT", "protocol not supported");
        add(ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT", "socket type not supported");
        add(EOPNOTSUPP, "EOPNOTSUPP", "operation not supported");
        add(EPFNOSUPPORT, "EPFNOSUPPORT", "protocol family not supported");
        add(EAFNOSUPPORT, "EAFNOSUPPORT", "address family not supported by protocol");
        add(EADDRINUSE, "EADDRINUSE", "address already in use");
        add(EADDRNOTAVAIL, "EADDRNOTAVAIL", "cannot assign requested address");
        add(ENETDOWN, "ENETDOWN", "network is down");
        add(ENETUNREACH, "ENETUNREACH", "network is unreachable");
        add(ENETRESET, "ENETRESET", "network dropped connection on reset");
        add(ECONNABORTED, "ECONNABORTED", "software caused connection abort");
        add(ECONNRESET, "ECONNRESET", "connection reset by peer");
        add(ENOBUFS, "ENOBUFS", "no buffer space available");
        add(EISCONN, "EISCONN", "transport endpoint is already connected");
        add(ENOTCONN, "ENOTCONN", "transport endpoint is not connected");
        add(ESHUTDOWN, "ESHUTDOWN", "cannot send after transport endpoint shutdown");
        add(ETOOMANYREFS, "ETOOMANYREFS", "too many references: cannot splice");
        add(ETIMEDOUT, "ETIMEDOUT", "connection timed out");
        add(ECONNREFUSED, "ECONNREFUSED", "connection refused");
        add(EHOSTDOWN, "EHOSTDOWN", "host is down");
        add(EHOSTUNREACH, "EHOSTUNREACH", "no route to host");
        add(EALREADY, "EALREADY", "operation already in progress");
        add(EINPROGRESS, "EINPROGRESS", "operation now in progress");
        add(ESTALE, "ESTALE", "stale file handle");
        add(EDQUOT, "EDQUOT", "disk quota exceeded");
        add(ECANCELED, "ECANCELED", "operation canceled");
        add(ENOKEY, "ENOKEY", "required key not available");
        add(EOWNERDEAD, "EOWNERDEAD", "owner died");
        add(ENOTRECOVERABLE, "ENOTRECOVERABLE", "state not recoverable");
        add(ERFKILL, "ERFKILL", "operation not possible due to rf-kill");
        add(EHWPOISON, "EHWPOISON", "memory page has hardware error");
        // Aliases: same number, the first name above stays the canonical one.
        BY_NAME.put("EWOULDBLOCK", EAGAIN);
        BY_NAME.put("EDEADLOCK", EDEADLK);
        BY_NAME.put("ENOTSUP", ENOTSUP);
    }

    private Errno() {
    }

    private static void add(int number, String name, String message) {
        BY_NUMBER.put(number, new Entry(name, message));
        BY_NAME.put(name, number);
    }

    /** {@code "no such file or directory (ENOENT)"}; unknown values: {@code "unknown error 999"}. */
    public static String describe(int errno) {
        Entry entry = BY_NUMBER.get(errno);
        return entry == null ? "unknown error " + errno : entry.message() + " (" + entry.name() + ")";
    }

    /** strerror(3) in lower case: {@code "no such file or directory"}. */
    public static String message(int errno) {
        Entry entry = BY_NUMBER.get(errno);
        return entry == null ? "unknown error " + errno : entry.message();
    }

    /** The C name, {@code "ENOENT"}; unknown values: {@code "errno 999"}. */
    public static String name(int errno) {
        Entry entry = BY_NUMBER.get(errno);
        return entry == null ? "errno " + errno : entry.name();
    }

    /** The number of a C name, case-insensitive, aliases included (EWOULDBLOCK, ENOTSUP, EDEADLOCK). */
    public static OptionalInt byName(String name) {
        Integer number = BY_NAME.get(name.toUpperCase(Locale.ROOT));
        return number == null ? OptionalInt.empty() : OptionalInt.of(number);
    }
}
