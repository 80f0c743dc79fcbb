package dev.nido.image.registry;

import dev.nido.image.ImageException;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs a task per item, at most {@code width} at a time (blob transfers: more parallel streams
 * than this rarely help and make registries throttle). After the first failure no new item starts;
 * the ones running finish (their partial downloads stay for a resume), then the first failure is
 * thrown.
 */
final class Parallel {
    private Parallel() {
    }

    static <T> void run(List<T> items, int width, Consumer<T> task) {
        if (items.size() <= 1) {
            items.forEach(task);
            return;
        }
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(width, items.size()),
                Thread.ofPlatform().name("nido-transfer-", 0).daemon().factory())) {
            for (T item : items) {
                pool.submit(() -> {
                    if (failure.get() != null) {
                        return;
                    }
                    try {
                        task.accept(item);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
        } // close() waits for every task
        RuntimeException e = failure.get();
        if (e instanceof ImageException) {
            throw e;
        } else if (e != null) {
            throw new ImageException("transfer failed: " + e, e);
        }
    }
}
