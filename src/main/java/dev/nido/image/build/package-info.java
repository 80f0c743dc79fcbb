/**
 * {@code nido build}: a Containerfile/Dockerfile subset parsed here, each step turned into an image
 * of the store (RUN through {@code nido-runtime} as an external client, COPY/ADD and WORKDIR into an
 * overlay of the current image), with a step cache keyed by parent image and instruction. It never
 * starts a container itself and never talks to a registry (no implicit pull).
 */
package dev.nido.image.build;
