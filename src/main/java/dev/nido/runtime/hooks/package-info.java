/**
 * Runtime-spec hooks run by the runtime itself, in the runtime's namespaces (prestart,
 * createRuntime, poststart, poststop), with the container state on stdin. Hooks that run
 * inside the container (createContainer, startContainer) are plan steps run by the helper.
 */
package dev.nido.runtime.hooks;
