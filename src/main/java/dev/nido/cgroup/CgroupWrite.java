package dev.nido.cgroup;

/**
 * One write into a container's cgroup: the controller decides the directory (its v1 hierarchy,
 * or the v2 directory; {@code "cgroup"} names the v2 core files such as cgroup.freeze).
 *
 * @param controller the controller that owns {@code file} ("memory", "cpu", "io", "hugetlb", …)
 * @param file       the file name inside the cgroup directory, never a path
 * @param value      what is written, in the kernel's syntax
 */
public record CgroupWrite(String controller, String file, String value) {
    public CgroupWrite {
        if (file.contains("/") || file.equals("..") || file.isEmpty()) {
            throw new IllegalArgumentException("cgroup file name expected, got \"" + file + "\"");
        }
    }

    /** The equivalent shell command, for --explain and test failures. */
    @Override
    public String toString() {
        return "echo '" + value + "' > <" + controller + ">/" + file;
    }
}
