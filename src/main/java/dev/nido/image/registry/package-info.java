/**
 * The registry client: OCI distribution / Docker registry v2 over {@code java.net.http}. It pulls
 * images into an {@link dev.nido.image.store.ImageStore} (verifying every digest, resuming partial
 * blobs, writing the name last) and pushes them back, answering the registry's authentication
 * challenges (Bearer tokens, Basic) with credentials from nido's or Docker's file.
 *
 * <p>One class per registry call ({@code GetManifest}, {@code GetBlob}, {@code CheckBlob},
 * {@code UploadBlob}, {@code PutManifest}, {@code CheckApi}, {@code FetchToken}); {@link
 * dev.nido.image.registry.RegistryClient} owns the connection, redirects and the authentication
 * retry. It must not unpack layers or know about containers, and it never writes a store file
 * except through the store's API.
 */
package dev.nido.image.registry;
