package dev.nido.cli;

/** Entry point of both launchers: {@code nido} and {@code nido-runtime}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(0);
    }
}
