#!/usr/bin/env python3
"""Checks the deployment recipes (run by .ci/run; needs PyYAML):

- every Kubernetes manifest parses, and each object has the fields its kind requires
  (a structural schema for the kinds used here: Deployment, Service, Secret,
  PodDisruptionBudget, Job, PersistentVolumeClaim), the probes the docs promise, resource
  requests, a non-root security context, and selectors that match their pods;
- compose.yaml parses, every service has an image, and the replicas share one database,
  the documents volume and the key secret;
- the systemd unit passes `systemd-analyze verify` where systemd-analyze exists (with
  ExecStart pointed at /bin/true, since the binary is not installed here);
- the nginx site's upload limit is above Billify's default upload limit, and, where nginx is
  installed, the site (TLS swapped for plain loopback listeners, a stub upstream) passes
  `nginx -t` and answers an over-long request line and an over-large header with problem
  documents.

Exits non-zero naming each problem.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
problems = []


def need(cond, what):
    if not cond:
        problems.append(what)


def get(obj, path):
    for key in path.split("."):
        if not isinstance(obj, dict) or key not in obj:
            return None
        obj = obj[key]
    return obj


REQUIRED = {
    ("apps/v1", "Deployment"): ["spec.selector.matchLabels", "spec.template.metadata.labels", "spec.template.spec.containers"],
    ("v1", "Service"): ["spec.selector", "spec.ports"],
    ("v1", "Secret"): [],
    ("policy/v1", "PodDisruptionBudget"): ["spec.selector.matchLabels"],
    ("batch/v1", "Job"): ["spec.template.spec.containers", "spec.template.spec.restartPolicy"],
    ("v1", "PersistentVolumeClaim"): ["spec.accessModes", "spec.resources.requests.storage"],
}


def check_pod(name, spec, job=False):
    need(get(spec, "securityContext.runAsNonRoot") is True, f"{name}: pods run as non-root")
    for c in spec.get("containers", []):
        cname = f"{name}/{c.get('name')}"
        need(isinstance(c.get("image"), str) and c["image"], f"{cname}: an image")
        need(get(c, "resources.requests.memory") is not None, f"{cname}: a memory request")
        need(get(c, "resources.limits.memory") is not None, f"{cname}: a memory limit")
        need(get(c, "securityContext.allowPrivilegeEscalation") is False, f"{cname}: no privilege escalation")
        for env in c.get("env", []):
            need("name" in env and ("value" in env or "valueFrom" in env), f"{cname}: env {env} has a name and a value")
            if "value" in env:
                need(isinstance(env["value"], str), f"{cname}: env {env['name']} is a string")
        mounts = {m["name"] for m in c.get("volumeMounts", [])}
        volumes = {v["name"] for v in spec.get("volumes", [])}
        need(mounts <= volumes, f"{cname}: mounts {mounts - volumes} have no volume")
        if not job:
            need(get(c, "readinessProbe.httpGet.path") == "/api/v1/ready", f"{cname}: readiness on /api/v1/ready")
            need(get(c, "livenessProbe.httpGet.path") == "/api/v1/health", f"{cname}: liveness on /api/v1/health")


def check_kubernetes():
    folder = os.path.join(HERE, "kubernetes")
    objects = []
    for file in sorted(os.listdir(folder)):
        if not file.endswith(".yaml"):
            continue
        with open(os.path.join(folder, file)) as f:
            for doc in yaml.safe_load_all(f):
                if doc is not None:
                    objects.append((file, doc))
    kinds = {doc.get("kind") for _, doc in objects}
    for kind in ["Deployment", "Service", "Secret", "PodDisruptionBudget", "Job"]:
        need(kind in kinds, f"kubernetes: a {kind}")
    pod_labels = {}
    for file, doc in objects:
        key = (doc.get("apiVersion"), doc.get("kind"))
        name = f"{file}: {key[1]} {get(doc, 'metadata.name')}"
        need(key in REQUIRED, f"{name}: unknown apiVersion/kind {key}")
        need(isinstance(get(doc, "metadata.name"), str), f"{name}: metadata.name")
        for path in REQUIRED.get(key, []):
            need(get(doc, path) is not None, f"{name}: {path}")
        if key[1] == "Deployment":
            need((get(doc, "spec.replicas") or 1) >= 2, f"{name}: two or more replicas")
            selector = get(doc, "spec.selector.matchLabels") or {}
            labels = get(doc, "spec.template.metadata.labels") or {}
            need(selector.items() <= labels.items(), f"{name}: the selector matches the pod labels")
            pod_labels = labels
            check_pod(name, get(doc, "spec.template.spec") or {})
        if key[1] == "Job":
            check_pod(name, get(doc, "spec.template.spec") or {}, job=True)
            need(get(doc, "spec.template.spec.containers")[0].get("args") == ["migrate"], f"{name}: runs billify migrate")
    for file, doc in objects:
        if doc.get("kind") in ("Service", "PodDisruptionBudget"):
            selector = get(doc, "spec.selector.matchLabels") or get(doc, "spec.selector") or {}
            need(selector and selector.items() <= pod_labels.items(), f"{file}: the selector matches the Deployment's pods")


def check_compose():
    with open(os.path.join(HERE, "compose.yaml")) as f:
        compose = yaml.safe_load(f)
    services = compose.get("services", {})
    replicas = [s for n, s in services.items() if n.startswith("billify-")]
    need(len(replicas) >= 2, "compose: two Billify replicas")
    need("postgres" in services and "proxy" in services and "migrate" in services, "compose: postgres, proxy and migrate")
    for name, service in services.items():
        need(service.get("image") or service.get("build"), f"compose: {name} has an image")
    urls = {get(s, "environment.BILLIFY_DATABASE_URL") for s in replicas}
    need(len(urls) == 1 and next(iter(urls), "").startswith("postgres://"), "compose: the replicas share one PostgreSQL")
    for s in replicas:
        need("billify_key" in s.get("secrets", []), "compose: the key comes from a secret")
        need(any(str(v).startswith("documents:") for v in s.get("volumes", [])), "compose: the documents volume")
        need(get(s, "environment.BILLIFY_MIGRATE_ON_START") == "false", "compose: replicas leave migrations to migrate")


def check_systemd():
    tool = shutil.which("systemd-analyze")
    if tool is None:
        print("deploy/check: systemd-analyze is not installed; the unit was not verified")
        return
    with open(os.path.join(HERE, "billify.service")) as f:
        unit = f.read()
    for option in ["ProtectSystem=strict", "NoNewPrivileges=true", "PrivateTmp=true"]:
        need(option in unit, f"billify.service: {option}")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "billify.service")
        with open(path, "w") as f:
            f.write(unit.replace("ExecStart=/usr/local/bin/billify serve", "ExecStart=/bin/true"))
        run = subprocess.run([tool, "verify", path], capture_output=True, text=True)
        output = (run.stdout + run.stderr).strip()
        need(run.returncode == 0 and output == "", f"billify.service: systemd-analyze verify: {output}")


def check_nginx():
    with open(os.path.join(HERE, "nginx", "billify.conf")) as f:
        site = f.read()
    m = re.search(r"client_max_body_size (\d+)m;", site)
    need(m is not None and int(m.group(1)) * 1024 * 1024 > 10485760, "nginx: client_max_body_size above 10 MiB")
    for directive in ["proxy_buffering off;", "proxy_read_timeout", "ssl_certificate "]:
        need(directive in site, f"nginx: {directive}")


def check_nginx_live():
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        print("deploy/check: nginx is not installed here; the site was checked statically only")
        return
    import http.client
    import json
    import socket

    with open(os.path.join(HERE, "nginx", "billify.conf")) as f:
        site = f.read()

    def free_port():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    port, redirect = free_port(), free_port()
    site = re.sub(r"\n\s*server billify-\d:8080[^\n]*", "", site)
    site = site.replace("keepalive 32;", "server 127.0.0.1:9; keepalive 32;")
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{port};").replace("listen 80;", f"listen 127.0.0.1:{redirect};")
    site = re.sub(r"\n\s*listen \[::\]:\d+[^\n]*", "", site)
    site = re.sub(r"\n\s*ssl_[^\n]*", "", site).replace("http2 on;", "")
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "site.conf"), "w") as f:
            f.write(site)
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write(
                f"pid {d}/nginx.pid; error_log {d}/error.log; daemon off; "
                f"events {{}} http {{ access_log off; client_body_temp_path {d}; proxy_temp_path {d}; "
                f"fastcgi_temp_path {d}; uwsgi_temp_path {d}; scgi_temp_path {d}; include {d}/site.conf; }}"
            )
        test = subprocess.run([nginx, "-t", "-q", "-c", conf, "-p", d], capture_output=True, text=True)
        need(test.returncode == 0, f"nginx: nginx -t: {test.stderr.strip()}")
        if test.returncode != 0:
            return
        server = subprocess.Popen([nginx, "-c", conf, "-p", d], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            def problem(path, headers, status, kind):
                for _ in range(50):
                    try:
                        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                        c.request("GET", path, headers=headers)
                        r = c.getresponse()
                        break
                    except ConnectionRefusedError:
                        import time

                        time.sleep(0.1)
                else:
                    need(False, "nginx: the site did not start")
                    return
                body = r.read()
                ok = r.status == status and r.getheader("Content-Type") == "application/problem+json"
                try:
                    ok = ok and json.loads(body)["type"] == f"/problems/{kind}"
                except ValueError:
                    ok = False
                need(ok, f"nginx: {kind}: answered {r.status} {r.getheader('Content-Type')} {body[:80]!r}")

            problem("/api/v1/invoices?cursor=" + "a" * 100_000, {}, 414, "request-line-too-long")
            problem("/api/v1/health", {"X-Big": "b" * 20_000}, 431, "headers-too-large")
        finally:
            server.terminate()
            server.wait(timeout=10)


check_kubernetes()
check_compose()
check_systemd()
check_nginx()
check_nginx_live()
for p in problems:
    print(f"deploy/check: {p}", file=sys.stderr)
if problems:
    sys.exit(1)
print("deploy/check: kubernetes, compose, systemd and nginx recipes are consistent")
