package dev.nido.image.build;

import dev.nido.image.store.Image;

/**
 * How a build ended: the image, or the RUN step that failed ({@code Step 3/7 RUN false}) and its
 * exit status. Engine failures (a missing base image, a bad Containerfile) are exceptions instead.
 */
public record BuildResult(Image image, String failedStep, int exitStatus) {
    static BuildResult built(Image image) {
        return new BuildResult(image, null, 0);
    }

    static BuildResult failed(String step, int status) {
        return new BuildResult(null, step, status);
    }

    public boolean succeeded() {
        return image != null;
    }
}
