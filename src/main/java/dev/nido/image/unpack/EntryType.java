package dev.nido.image.unpack;

/** What a tar entry makes, with its ustar type flag (tar(5)). */
public enum EntryType {
    /** '0' (also '\0', the old form, and '7', contiguous, read as regular). */
    FILE('0'),
    HARD_LINK('1'),
    SYMLINK('2'),
    CHAR_DEVICE('3'),
    BLOCK_DEVICE('4'),
    DIRECTORY('5'),
    FIFO('6');

    private final char flag;

    EntryType(char flag) {
        this.flag = flag;
    }

    /** The ustar type flag written for this type. */
    public char flag() {
        return flag;
    }

    /** The type of a ustar type flag, or null when the flag is not one of these (a meta header, say). */
    static EntryType ofFlag(int flag) {
        return switch (flag) {
            case '0', 0, '7' -> FILE;
            case '1' -> HARD_LINK;
            case '2' -> SYMLINK;
            case '3' -> CHAR_DEVICE;
            case '4' -> BLOCK_DEVICE;
            case '5' -> DIRECTORY;
            case '6' -> FIFO;
            default -> null;
        };
    }

    /** Whether entries of this type carry data (Go's archive/tar ignores the size of the others too). */
    boolean hasData() {
        return this == FILE;
    }
}
