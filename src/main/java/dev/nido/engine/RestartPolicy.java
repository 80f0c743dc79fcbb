package dev.nido.engine;

/**
 * Docker's {@code --restart}: {@code no}, {@code on-failure[:N]}, {@code always}, {@code unless-stopped}.
 * A container stopped by the user is never restarted; with on-failure only a non-zero exit counts,
 * at most N times (0: no limit).
 */
public record RestartPolicy(String name, int maxRetries) {
    public static final RestartPolicy NO = new RestartPolicy("no", 0);

    public static RestartPolicy parse(String flag) {
        if (flag == null || flag.equals("no")) {
            return NO;
        }
        String[] p = flag.split(":", 2);
        switch (p[0]) {
            case "always", "unless-stopped" -> {
                if (p.length > 1) {
                    throw new EngineException("--restart " + flag + ": only on-failure takes a count (on-failure:3)");
                }
                return new RestartPolicy(p[0], 0);
            }
            case "on-failure" -> {
                int n = 0;
                if (p.length > 1) {
                    try {
                        n = Integer.parseInt(p[1]);
                    } catch (NumberFormatException e) {
                        n = -1;
                    }
                    if (n < 0) {
                        throw new EngineException("--restart " + flag + ": the count must be a whole number >= 0");
                    }
                }
                return new RestartPolicy("on-failure", n);
            }
            default -> throw new EngineException("--restart " + flag
                    + ": expected no, on-failure[:N], always or unless-stopped");
        }
    }

    /** Whether a container that exited with {@code code} after {@code restarts} restarts is started again. */
    public boolean restarts(int code, int restarts, boolean stoppedByUser) {
        if (stoppedByUser) {
            return false;
        }
        return switch (name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> code != 0 && (maxRetries == 0 || restarts < maxRetries);
            default -> false;
        };
    }

    /** Docker's back-off before restart number {@code n} (0-based): 100 ms doubling, at most 10 s here. */
    public static long delayMillis(int n) {
        return Math.min(10_000L, 100L << Math.min(n, 7));
    }

    @Override
    public String toString() {
        return name.equals("on-failure") && maxRetries > 0 ? name + ":" + maxRetries : name;
    }
}
