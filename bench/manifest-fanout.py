#!/usr/bin/env python3
"""Client for bench/manifest-fanout.sh: pushes many tiny blobs, then times manifests that list them.

  manifest-fanout.py blobs    URL REPO COUNT                 # blobs 0..COUNT-1 and the empty config
  manifest-fanout.py children URL REPO COUNT                 # COUNT one-layer manifests (layer i), by digest
  manifest-fanout.py manifest URL REPO COUNT [--same] [--keep] [--pid PID]
  manifest-fanout.py index    URL REPO COUNT [--keep] [--pid PID]
  manifest-fanout.py report   RESULTS TARGET...          # medians and ratios of the lines bench/manifest-fanout.sh wrote

Blobs go up with POST + PUT ?digest= (the monolithic upload both registries take) over four
keep-alive connections; a blob is "fanout layer <i>\\n". `manifest` PUTs a manifest of COUNT
layers by tag, then HEADs and GETs it (the bytes must come back unchanged) and DELETEs it by
digest (unless --keep); with --same every layer is blob 0. `index` does the same with an index of
COUNT children. Both print one line of seconds, e.g. "put=0.512 put_cpu=0.480 head=... bytes=N",
where *_cpu is the CPU time the server process PID spent (utime + stime from /proc) during that
request. Any unexpected status stops the run with the answer.
"""
import argparse
import hashlib
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

CONFIG = b"{}"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
INDEX = "application/vnd.oci.image.index.v1+json"
TICK = os.sysconf("SC_CLK_TCK")


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def blob(i):
    data = b"fanout layer %d\n" % i
    return data, sha256(data)


def descriptor(media_type, data_or_size, digest):
    # A short media type and no spaces: 36,000 layers must fit the 4 MiB manifest limit of both.
    return {"mediaType": media_type, "digest": digest, "size": data_or_size}


def image_manifest(layer_numbers):
    layers = [descriptor("x/tar", len(blob(i)[0]), blob(i)[1]) for i in layer_numbers]
    return json.dumps({"schemaVersion": 2, "mediaType": MANIFEST,
                       "config": descriptor("application/vnd.oci.empty.v1+json", len(CONFIG), sha256(CONFIG)),
                       "layers": layers}, separators=(",", ":")).encode()


def connection(url):
    u = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=900)


def request(conn, method, path, body=None, headers=None, expect=(200,)):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    if r.status not in expect:
        sys.exit(f"{method} {path[:120]}: {r.status} {data[:300]!r}")
    return r, data


def push_blob(conn, repo, data, digest):
    r, _ = request(conn, "POST", f"/v2/{repo}/blobs/uploads/", b"", {"Content-Length": "0"}, (202,))
    loc = urllib.parse.urlsplit(r.getheader("Location"))
    path = loc.path + "?" + (loc.query + "&" if loc.query else "") + "digest=" + digest
    request(conn, "PUT", path, data, {"Content-Type": "application/octet-stream", "Content-Length": str(len(data))}, (201,))


def in_parallel(count, work, workers=4):
    def run(start):
        conn_holder = {}
        for i in range(start, count, workers):
            work(conn_holder, i)
    threads = [threading.Thread(target=run, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def push_blobs(url, repo, count):
    push_blob(connection(url), repo, CONFIG, sha256(CONFIG))

    def work(holder, i):
        conn = holder.setdefault("c", connection(url))
        push_blob(conn, repo, *blob(i))
    in_parallel(count, work)


def push_children(url, repo, count):
    def work(holder, i):
        conn = holder.setdefault("c", connection(url))
        body = image_manifest([i])
        request(conn, "PUT", f"/v2/{repo}/manifests/{sha256(body)}", body, {"Content-Type": MANIFEST}, (201,))
    in_parallel(count, work)


def cpu_seconds(pid):
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def timed(pid, figures, name, fn):
    c0, t0 = cpu_seconds(pid), time.monotonic()
    result = fn()
    figures.append(f"{name}={time.monotonic() - t0:.3f}")
    if pid is not None:
        figures.append(f"{name}_cpu={cpu_seconds(pid) - c0:.2f}")
    return result


def time_round_trip(url, repo, tag, body, media_type, keep, pid):
    digest = sha256(body)
    conn = connection(url)
    figures = []
    timed(pid, figures, "put", lambda: request(conn, "PUT", f"/v2/{repo}/manifests/{tag}", body, {"Content-Type": media_type}, (201,)))
    timed(pid, figures, "head", lambda: request(conn, "HEAD", f"/v2/{repo}/manifests/{digest}", headers={"Accept": media_type}))
    _, got = timed(pid, figures, "get", lambda: request(conn, "GET", f"/v2/{repo}/manifests/{tag}", headers={"Accept": media_type}))
    if got != body:
        sys.exit("GET answered other bytes than were pushed")
    if not keep:
        timed(pid, figures, "delete", lambda: request(conn, "DELETE", f"/v2/{repo}/manifests/{digest}", expect=(202,)))
    print(" ".join(figures) + f" bytes={len(body)} digest={digest}")


def report(results, targets):
    """One table row per figure: the median of each registry's runs, and each Berth's ratio to the last target."""
    runs = {}
    for line in open(results):
        target, figure, *pairs = line.split()
        values = dict(p.split("=", 1) for p in pairs)
        runs.setdefault((figure, target), []).append(values)

    def median(figure, target, key):
        xs = sorted(float(v[key]) for v in runs.get((figure, target), []) if key in v)
        return xs[len(xs) // 2] if xs else None

    reference = targets[-1]
    figures = list(dict.fromkeys(f for f, _ in runs))
    for kind in ("put", "delete"):
        print(f"\n{kind.upper()}: median seconds, wall (server CPU); ratio to {reference} (wall, below 1 is faster)")
        print("| manifest | " + " | ".join(targets) + " | " + " | ".join(f"{t}/{reference}" for t in targets[:-1]) + " |")
        print("|---" * (2 * len(targets)) + "|")
        for f in figures:
            cells = []
            for t in targets:
                wall, cpu = median(f, t, kind), median(f, t, kind + "_cpu")
                cells.append("-" if wall is None else f"{wall:.3f} ({cpu:.2f})" if cpu is not None else f"{wall:.3f}")
            ref = median(f, reference, kind)
            ratios = [f"{median(f, t, kind) / ref:.2f}" if ref and median(f, t, kind) is not None else "-" for t in targets[:-1]]
            print(f"| {f} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")


def main():
    if sys.argv[1:2] == ["report"]:
        report(sys.argv[2], sys.argv[3:])
        return
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["blobs", "children", "manifest", "index"])
    p.add_argument("url")
    p.add_argument("repo")
    p.add_argument("count", type=int)
    p.add_argument("--same", action="store_true", help="every layer is blob 0")
    p.add_argument("--keep", action="store_true", help="do not delete the manifest at the end")
    p.add_argument("--pid", type=int, help="the server's process, for its CPU time")
    a = p.parse_args()
    if a.command == "blobs":
        push_blobs(a.url, a.repo, a.count)
    elif a.command == "children":
        push_children(a.url, a.repo, a.count)
    elif a.command == "manifest":
        body = image_manifest([0] * a.count if a.same else range(a.count))
        tag = f"fanout-{a.count}{'-same' if a.same else ''}"
        time_round_trip(a.url, a.repo, tag, body, MANIFEST, a.keep, a.pid)
    else:
        children = [descriptor(MANIFEST, len(m), sha256(m)) for m in (image_manifest([i]) for i in range(a.count))]
        body = json.dumps({"schemaVersion": 2, "mediaType": INDEX, "manifests": children}, separators=(",", ":")).encode()
        time_round_trip(a.url, a.repo, f"fanout-index-{a.count}", body, INDEX, a.keep, a.pid)


if __name__ == "__main__":
    main()
