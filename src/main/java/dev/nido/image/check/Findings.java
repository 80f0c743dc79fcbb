package dev.nido.image.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a check found, each fixed on the spot when repairing: shared by the image and container checks. */
public final class Findings {
    /** One thing found; {@code repaired} when it was fixed. */
    public record Problem(String what, Path path, boolean repaired) {
    }

    private final boolean repair;
    private final List<Problem> found = new ArrayList<>();

    public Findings(boolean repair) {
        this.repair = repair;
    }

    /** Records a problem; with repair, runs {@code fix} (null: nothing can be done here) first. */
    public void problem(String what, Path path, Runnable fix) {
        boolean fixed = false;
        if (repair && fix != null) {
            fix.run();
            fixed = true;
        }
        found.add(new Problem(what, path, fixed));
    }

    public List<Problem> list() {
        return List.copyOf(found);
    }
}
