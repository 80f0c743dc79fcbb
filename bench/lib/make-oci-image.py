#!/usr/bin/env python3
"""make-oci-image.py - build a deterministic test image as an OCI image layout.

    make-oci-image.py [--size-mb 300] [--seed 1] [--tag bench] SCRATCH OUT

Generates four layer trees under SCRATCH (deleted again at the end), packs each with GNU tar
(sorted names, numeric owner 0:0, fixed mtime) and `gzip -n -6`, and writes an OCI image
layout to OUT (oci-layout, index.json with ref name TAG, blobs/sha256/...). Layers, of the
uncompressed total SIZE:
  1 base     40%  many small files (200 B - 64 KiB, log-uniform) of word-like text
                  (gzip shrinks it about 3x), in a 3-level directory tree, plus symlinks
  2 blobs    35%  four large files of random bytes (incompressible)
  3 mixed    20%  medium files (64 KiB - 2 MiB), half random, half text ("binaries"),
                  plus hard links
  4 update    5%  rewrites some files of layer 1, whiteouts of others (.wh.NAME), and one
                  opaque directory (.wh..wh..opq)
The same SIZE and SEED give the same files (the tar and gzip bytes also depend on the tar
and gzip versions). Prints one line of JSON: digests and sizes (uncompressed = the layer
tars, compressed = the gzip blobs).
"""
import argparse
import hashlib
import json
import math
import os
import platform
import random
import shutil
import subprocess
import sys
import threading

MTIME = 1700000000
CHUNK = 1 << 20


def words_corpus(rnd, size):
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    weights = [12, 9, 8, 8, 7, 7, 6, 6, 6, 4, 4, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1]
    vocab = ["".join(rnd.choices(letters, weights, k=rnd.randint(2, 10))) for _ in range(3000)]
    vocab += ["\n", "{", "}", "=", "0", "1", "/usr/lib", "return", "static", "int"]
    out, n = [], 0
    while n < size:
        w = rnd.choices(vocab, k=4096)
        s = " ".join(w)
        out.append(s)
        n += len(s) + 1
    return (" ".join(out)).encode()[:size]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def text_slice(rnd, corpus, n):
    off = rnd.randrange(0, len(corpus) - n)
    return corpus[off:off + n]


def gen_layers(root, size, seed):
    rnd = random.Random(seed)
    corpus = words_corpus(rnd, 8 << 20)
    layers = [os.path.join(root, "l%d" % i) for i in range(1, 5)]
    for d in layers:
        os.makedirs(d)

    # 1: many small text files in a tree, some symlinks
    budget, n, small = int(size * 0.40), 0, []
    lo, hi = math.log(200), math.log(64 << 10)
    while n < budget:
        k = len(small)
        rel = "usr/share/p%02d/d%03d/f%05d.txt" % (k % 37, (k // 37) % 150, k)
        sz = int(math.exp(rnd.uniform(lo, hi)))
        write(os.path.join(layers[0], rel), text_slice(rnd, corpus, sz))
        small.append(rel)
        n += sz
    for i in range(0, len(small), 97):
        link = os.path.join(layers[0], "usr/share/links/l%05d" % i)
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink("../../../" + small[i], link)
    os.makedirs(os.path.join(layers[0], "etc/opaque-me"))
    for i in range(20):
        write(os.path.join(layers[0], "etc/opaque-me/old%02d.conf" % i), text_slice(rnd, corpus, 2000))

    # 2: a few large random files
    budget = int(size * 0.35)
    for i in range(4):
        write(os.path.join(layers[1], "opt/big/blob%d.bin" % i), rnd.randbytes(budget // 4))

    # 3: medium "binaries": half random, half text; some hard links
    budget, n, k = int(size * 0.20), 0, 0
    lo, hi = math.log(64 << 10), math.log(2 << 20)
    while n < budget:
        sz = int(math.exp(rnd.uniform(lo, hi)))
        data = rnd.randbytes(sz // 2) + text_slice(rnd, corpus, sz - sz // 2)
        p = os.path.join(layers[2], "usr/lib/m%02d/lib%04d.so" % (k % 16, k))
        write(p, data)
        if k % 10 == 0:
            os.link(p, p + ".1")
        n += sz
        k += 1

    # 4: updates, whiteouts, an opaque directory
    budget, n = int(size * 0.05), 0
    for i, rel in enumerate(small):
        if i % 50 == 0:
            wh = os.path.join(layers[3], os.path.dirname(rel), ".wh." + os.path.basename(rel))
            write(wh, b"")
        elif i % 7 == 0 and n < budget:
            sz = 4 * len(rel) + rnd.randint(1000, 30000)
            write(os.path.join(layers[3], rel), text_slice(rnd, corpus, sz))
            n += sz
    write(os.path.join(layers[3], "etc/opaque-me/.wh..wh..opq"), b"")
    write(os.path.join(layers[3], "etc/opaque-me/new.conf"), b"fresh\n")
    while n < budget:
        sz = min(budget - n, 4 << 20) + 1
        write(os.path.join(layers[3], "var/cache/c%04d.bin" % n), rnd.randbytes(sz))
        n += sz
    for d in layers:  # fixed times for everything (tar --mtime only covers file entries' mtime)
        subprocess.run(["find", d, "-exec", "touch", "-h", "-d", "@%d" % MTIME, "{}", "+"], check=True)
    return layers


def pack(layer_dir, blob_tmp, result):
    tar = subprocess.Popen(["tar", "-C", layer_dir, "--sort=name", "--numeric-owner", "--owner=0",
                            "--group=0", "--mtime=@%d" % MTIME, "-cf", "-", "."], stdout=subprocess.PIPE)
    with open(blob_tmp, "wb") as out:
        gz = subprocess.Popen(["gzip", "-n", "-6"], stdin=subprocess.PIPE, stdout=out)
        h, n = hashlib.sha256(), 0
        while True:
            b = tar.stdout.read(CHUNK)
            if not b:
                break
            h.update(b)
            n += len(b)
            gz.stdin.write(b)
        gz.stdin.close()
        if tar.wait() != 0 or gz.wait() != 0:
            raise SystemExit("tar/gzip failed for " + layer_dir)
    c = hashlib.sha256()
    with open(blob_tmp, "rb") as f:
        while b := f.read(CHUNK):
            c.update(b)
    result.update(diff_id="sha256:" + h.hexdigest(), tar_size=n,
                  digest="sha256:" + c.hexdigest(), size=os.path.getsize(blob_tmp))


def put_blob(out, data):
    d = hashlib.sha256(data).hexdigest()
    write(os.path.join(out, "blobs/sha256", d), data)
    return {"digest": "sha256:" + d, "size": len(data)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mb", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tag", default="bench")
    ap.add_argument("scratch")
    ap.add_argument("out")
    a = ap.parse_args()
    root = os.path.join(a.scratch, "gen")
    os.makedirs(os.path.join(a.out, "blobs/sha256"), exist_ok=True)
    try:
        layers = gen_layers(root, a.size_mb << 20, a.seed)
        results = [{} for _ in layers]
        threads = [threading.Thread(target=pack, args=(d, os.path.join(root, "blob%d" % i), results[i]))
                   for i, d in enumerate(layers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if any(not r for r in results):
            raise SystemExit("packing a layer failed")
        for i, r in enumerate(results):
            os.replace(os.path.join(root, "blob%d" % i), os.path.join(a.out, "blobs/sha256", r["digest"][7:]))
    finally:
        shutil.rmtree(root, ignore_errors=True)

    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    names = ["base", "blobs", "mixed", "update"]
    config = {
        "created": "2023-11-14T22:13:20Z", "architecture": arch, "os": "linux",
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                   "Cmd": ["/bin/sh"]},
        "rootfs": {"type": "layers", "diff_ids": [r["diff_id"] for r in results]},
        "history": [{"created": "2023-11-14T22:13:20Z", "created_by": "make-oci-image.py " + n}
                    for n in names],
    }
    cdesc = put_blob(a.out, json.dumps(config, separators=(",", ":")).encode())
    manifest = {
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": dict(mediaType="application/vnd.oci.image.config.v1+json", **cdesc),
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": r["digest"], "size": r["size"]} for r in results],
    }
    mdesc = put_blob(a.out, json.dumps(manifest, separators=(",", ":")).encode())
    index = {"schemaVersion": 2, "manifests": [
        dict(mediaType="application/vnd.oci.image.manifest.v1+json", **mdesc,
             annotations={"org.opencontainers.image.ref.name": a.tag})]}
    write(os.path.join(a.out, "index.json"), json.dumps(index).encode())
    write(os.path.join(a.out, "oci-layout"), b'{"imageLayoutVersion":"1.0.0"}')
    json.dump({"manifest": mdesc["digest"], "uncompressed": sum(r["tar_size"] for r in results),
               "compressed": sum(r["size"] for r in results), "layers": results}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
