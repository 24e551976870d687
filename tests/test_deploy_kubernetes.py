"""The Kubernetes manifests of deploy/kubernetes/, checked without a cluster.

Every object is validated with kubernetes-validate against the schemas of one pinned Kubernetes
release (strict: an unknown field is an error). CloudNativePG's `Cluster` and `Database` are not
among those schemas; they are checked against tests/k8s_schemas/, the fields these manifests use
cut from CloudNativePG's own CustomResourceDefinitions. Then what matters to Red Park: each
service and the gateway has two replicas, a Service, a PodDisruptionBudget and a NetworkPolicy;
its probes ask paths its app really serves (the app is built and its routes read); the image's
command listens on the container's port; the environment a pod gets, resolved from the ConfigMaps
and the Secrets' templates, is enough for the service's own settings (they are read from it, the
way the service reads them); the NATS users of the Helm values are those `up` makes.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema
import kubernetes_validate
import pytest
import yaml
from starlette.routing import Route

from redpark_platform.bus import nats_servers
from redpark_platform.credentials import gateway_permissions, service_permissions, tools_permissions
from redpark_platform.notifications.channels import NotifySettings
from redpark_platform.settings import JwtSource, Settings
from redpark_platform.web.routes import allowed_methods, api_routes

ROOT = Path(__file__).resolve().parents[1]
KUBERNETES = ROOT / "deploy" / "kubernetes"
# The release whose API the manifests are written for (kubernetes-validate ships its schemas).
KUBERNETES_VERSION = "1.33.0"
CRD_SCHEMAS = json.loads((Path(__file__).parent / "k8s_schemas" / "postgresql.cnpg.io-v1.json").read_text())
CRD_GROUP = "postgresql.cnpg.io/v1"
SECRETS = KUBERNETES / "secrets"
OPTIONAL_SECRET = "redpark-notifications"  # the park's SMS/SMTP account: nothing is sent without it
DATA_DIR = "/var/lib/redpark"
WITH_WEBHOOKS = ("organization", "enterprise-support")  # the services the park's other systems call


def load(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


KUSTOMIZATION = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text(encoding="utf-8"))
APPLIED = [doc for resource in KUSTOMIZATION["resources"] for doc in load(KUBERNETES / resource)]
SECRET_TEMPLATES = load(SECRETS / "redpark-secrets.template.yaml")
EVERY_OBJECT = APPLIED + SECRET_TEMPLATES + load(SECRETS / "redpark-notifications.example.yaml")
NATS_VALUES = yaml.safe_load((KUBERNETES / "nats" / "values.yaml").read_text(encoding="utf-8"))
STACK = load_module(ROOT / "deploy" / "local" / "stack.py", "redpark_local_stack_kubernetes")
SERVICES = {s.name: s for s in STACK.discover_services(ROOT)}
WORKLOADS = [*SERVICES, "gateway"]


def one(kind: str, name: str) -> dict[str, Any]:
    found = [d for d in APPLIED if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind} {name}: {len(found)} in the kustomization"
    return found[0]


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def containerfile(workload: str) -> str:
    return (KUBERNETES / "containerfiles" / f"{workload}.Containerfile").read_text(encoding="utf-8")


def command_of(text: str) -> list[str]:
    joined = text.replace("\\\n", " ")
    cmd = re.search(r"^CMD (\[.*\])\s*$", joined, re.MULTILINE)
    assert cmd, "the Containerfile has no CMD in JSON form"
    return list(json.loads(cmd.group(1)))


def flag(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


# --- every object is valid ---------------------------------------------------------------------

def test_the_kustomization_lists_every_manifest_and_no_secret() -> None:
    listed = {KUBERNETES / r for r in KUSTOMIZATION["resources"]}
    assert all(p.exists() for p in listed)
    manifests = {p for p in KUBERNETES.rglob("*.yaml")
                 if p.name not in ("kustomization.yaml", "values.yaml") and p.parent != SECRETS}
    assert manifests == listed
    assert not [d for d in APPLIED if d["kind"] == "Secret"], "a Secret's values would enter the repository"


@pytest.mark.parametrize("obj", EVERY_OBJECT, ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_every_object_is_valid_for_the_pinned_kubernetes(obj: dict[str, Any]) -> None:
    if obj["apiVersion"] == CRD_GROUP:
        with pytest.raises(kubernetes_validate.utils.SchemaNotFoundError):
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        jsonschema.validate(obj, CRD_SCHEMAS["kinds"][obj["kind"]])
    else:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def test_the_validation_refuses_what_kubernetes_would() -> None:
    deployment = copy.deepcopy(one("Deployment", "redpark-organization"))
    deployment["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)
    typo = copy.deepcopy(one("Deployment", "redpark-organization"))
    typo["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(typo, KUBERNETES_VERSION, strict=True)
    cluster = copy.deepcopy(one("Cluster", "redpark-pg"))
    cluster["spec"]["postgresql"]["synchronous"]["method"] = "all"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(cluster, CRD_SCHEMAS["kinds"]["Cluster"])
    cluster = copy.deepcopy(one("Cluster", "redpark-pg"))
    cluster["spec"]["instance"] = 3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(cluster, CRD_SCHEMAS["kinds"]["Cluster"])


# --- each service and the gateway --------------------------------------------------------------

def app_of(workload: str, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The workload's app, built as its pod builds it: from the pod's environment alone."""
    for key in [k for k in os.environ if k.startswith("REDPARK_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if workload == "gateway":
        gateway = load_module(ROOT / "deploy" / "local" / "gateway.py", "redpark_gateway_kubernetes")
        return gateway.create_app(gateway.upstreams_from_env())
    return importlib.import_module(f"{SERVICES[workload].package}.app").create_app()


def serves(app: Any, workload: str, path: str) -> bool:
    """Whether a GET of `path` reaches a route of the app (the gateway is a plain Starlette app)."""
    if workload != "gateway":
        return "GET" in allowed_methods(app, path)
    return any(isinstance(r, Route) and r.path_regex.match(path) and "GET" in (r.methods or ()) for r in app.routes)


def pod_env(deployment: dict[str, Any], data_dir: Path) -> dict[str, str]:
    """The environment a pod of `deployment` gets: ConfigMaps and Secrets (from their templates,
    filled as make_secrets.py fills them), `$(VAR)` references expanded; the data folder moved."""
    filler = load_module(SECRETS / "make_secrets.py", "redpark_make_secrets")
    secrets = {d["metadata"]["name"]: {k: filler.filled(v) for k, v in d["stringData"].items()}
               for d in SECRET_TEMPLATES}
    config_maps = {d["metadata"]["name"]: d["data"] for d in APPLIED if d["kind"] == "ConfigMap"}
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(config_maps[source["configMapRef"]["name"]])
        else:
            ref = source["secretRef"]
            assert ref["name"] in secrets or (ref.get("optional") and ref["name"] == OPTIONAL_SECRET), ref
            env.update(secrets.get(ref["name"], {}))
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = re.sub(r"\$\((\w+)\)", lambda m: env[m.group(1)], item["value"])
        else:
            ref = item["valueFrom"]["secretKeyRef"]
            assert ref["key"] in secrets[ref["name"]], f"{ref} is in no Secret template"
            env[item["name"]] = secrets[ref["name"]][ref["key"]]
    assert env["REDPARK_DATA_DIR"] == DATA_DIR
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    assert mounts[DATA_DIR] == "data"
    return {**env, "REDPARK_DATA_DIR": str(data_dir)}


@pytest.fixture(params=WORKLOADS)
def workload(request: pytest.FixtureRequest) -> Iterator[str]:
    yield request.param


def test_two_replicas_a_service_a_disruption_budget_and_a_network_policy(workload: str) -> None:
    name = f"redpark-{workload}"
    deployment = one("Deployment", name)
    assert deployment["spec"]["replicas"] == 2
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert selects(deployment["spec"]["selector"]["matchLabels"], pod_labels)
    service = one("Service", name)
    assert selects(service["spec"]["selector"], pod_labels)
    assert service["metadata"]["labels"] == {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "redpark"}
    port = deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]
    assert port["name"] == "http" and [p["targetPort"] for p in service["spec"]["ports"]] == ["http"]
    assert [p["name"] for p in service["spec"]["ports"]] == ["http"]  # what the ServiceMonitors scrape
    budget = one("PodDisruptionBudget", name)
    assert budget["spec"]["minAvailable"] == 1 and selects(budget["spec"]["selector"]["matchLabels"], pod_labels)
    policy = one("NetworkPolicy", name)
    assert selects(policy["spec"]["podSelector"]["matchLabels"], pod_labels)
    assert sorted(policy["spec"]["policyTypes"]) == ["Egress", "Ingress"]


def test_pods_run_as_the_images_user_without_privileges_on_a_read_only_root(workload: str) -> None:
    spec = one("Deployment", f"redpark-{workload}")["spec"]["template"]["spec"]
    container = spec["containers"][0]
    user = re.search(r"^USER (\d+):(\d+)$", containerfile(workload), re.MULTILINE)
    assert user, "the image runs as a numeric non-root user"
    assert spec["securityContext"]["runAsNonRoot"] is True
    ids = (spec["securityContext"]["runAsUser"], spec["securityContext"]["runAsGroup"])
    assert ids == tuple(map(int, user.groups()))
    assert spec["securityContext"]["runAsUser"] != 0
    assert spec["automountServiceAccountToken"] is False
    assert container["securityContext"] == {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                            "capabilities": {"drop": ["ALL"]}}
    # A read-only root: the only writable places are the data volume and /tmp.
    assert {m["mountPath"] for m in container["volumeMounts"]} == {DATA_DIR, "/tmp"}
    assert set(container["resources"]["requests"]) == set(container["resources"]["limits"]) == {"cpu", "memory"}


def test_the_image_installs_the_service_and_listens_on_the_containers_port(workload: str) -> None:
    text = containerfile(workload)
    assert re.search(r"^FROM python:3\.11-slim$", text, re.MULTILINE)
    assert re.search(r"^COPY libs libs$", text, re.MULTILINE)
    argv = command_of(text)
    port = one("Deployment", f"redpark-{workload}")["spec"]["template"]["spec"]["containers"][0]["ports"][0]
    assert int(flag(argv, "--port")) == port["containerPort"]
    assert flag(argv, "--host") == "0.0.0.0"
    if workload == "gateway":
        assert re.search(r"^COPY deploy/local/gateway.py gateway.py$", text, re.MULTILINE)
        assert re.search(r"^COPY deploy/local/templates templates$", text, re.MULTILINE)
        return
    service = SERVICES[workload]
    assert re.search(rf"^COPY services/{workload} services/{workload}$", text, re.MULTILINE)
    assert argv[:3] == ["uvicorn", f"{service.package}.app:create_app", "--factory"]
    # Behind the gateway, as `up` starts it (its links and /docs carry the prefix).
    assert flag(argv, "--root-path") == f"/{workload}"


def test_probes_ask_paths_the_app_serves(workload: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deployment = one("Deployment", f"redpark-{workload}")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    app = app_of(workload, pod_env(deployment, tmp_path), monkeypatch)
    probes = {kind: container[kind]["httpGet"] for kind in ("startupProbe", "livenessProbe", "readinessProbe")}
    for kind, probe in probes.items():
        assert serves(app, workload, probe["path"]), f"{kind} asks {probe['path']}, which the app does not serve"
        assert probe["port"] == "http"
    if workload != "gateway":
        assert probes["livenessProbe"]["path"] == "/healthz"
        assert probes["readinessProbe"]["path"] == "/readyz"  # PostgreSQL and NATS reachable


def test_a_pod_gets_every_setting_its_service_reads(workload: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    env = pod_env(one("Deployment", f"redpark-{workload}"), tmp_path)
    # One signing secret for every replica: never a key file made per pod.
    assert JwtSource.from_env(env).secret
    if workload == "gateway":
        upstreams = json.loads(env["REDPARK_GATEWAY_SERVICES"])
        assert sorted((u["name"], u["title"]) for u in upstreams) == [(s.name, s.title) for s in SERVICES.values()]
        for upstream in upstreams:
            url = urlsplit(upstream["url"])
            service = one("Service", url.hostname or "")
            assert url.port == service["spec"]["ports"][0]["port"]
            assert selects(service["spec"]["selector"], {"app.kubernetes.io/name": f"redpark-{upstream['name']}"})
        return
    service = SERVICES[workload]
    settings = Settings.from_env(workload, env)
    NotifySettings.from_env(env)  # without the optional SMS/SMTP Secret: nothing to send, no error
    # As many servers keep each stream as the NATS cluster has.
    assert settings.stream_replicas == NATS_VALUES["config"]["cluster"]["replicas"] == 3
    nats_users = next(d for d in SECRET_TEMPLATES if d["metadata"]["name"] == "redpark-nats-users")
    seeds = [urlsplit(u) for u in nats_servers(settings.nats_url)]
    assert sorted(s.hostname or "" for s in seeds) == [f"nats-{i}.nats-headless" for i in range(3)]
    assert {(s.username, s.port) for s in seeds} == {(workload, 4222)} and workload in nats_users["stringData"]
    database = urlsplit(settings.database_url)
    role = next(d for d in SECRET_TEMPLATES if d["metadata"]["name"] == f"redpark-{workload}-db")
    assert database.username == role["stringData"]["username"] == service.database
    assert database.path == f"/{service.database}"
    assert database.netloc.rsplit("@", 1)[1].split(",") == ["redpark-pg-rw:5432", "redpark-pg-r:5432"]
    assert parse_qs(database.query) == {"target_session_attrs": ["read-write"]}
    # The park's other systems sign their webhooks with the secrets every replica reads.
    app = app_of(workload, env, monkeypatch)
    inbound = {route.path_format.rsplit("/", 1)[1] for route in api_routes(app)
               if "POST" in route.methods and re.fullmatch(r"/webhooks/[a-z-]+", route.path_format)}
    assert inbound <= set(settings.webhook_secrets)
    assert bool(inbound) == (workload in WITH_WEBHOOKS)  # the check above is not empty where it matters
    if workload == "events-public":
        # The keys that hash phones and sign proof-of-work challenges: shared, never made per pod.
        events_settings = importlib.import_module("redpark_events_public.application.settings")
        events_settings.phone_secret(tmp_path)
        events_settings.proof_of_work(tmp_path)
        assert list(tmp_path.iterdir()) == []


def test_the_database_of_each_service_is_owned_by_its_own_role() -> None:
    cluster = one("Cluster", "redpark-pg")
    assert cluster["spec"]["instances"] == 3
    assert cluster["spec"]["postgresql"]["synchronous"] == {"method": "any", "number": 1, "dataDurability": "required"}
    roles = {r["name"]: r for r in cluster["spec"]["managed"]["roles"]}
    databases = {d["spec"]["name"]: d["spec"] for d in APPLIED if d["kind"] == "Database"}
    expected = {s.database for s in SERVICES.values()}
    assert set(roles) == set(databases) == expected
    for name in expected:
        assert databases[name]["owner"] == name and databases[name]["cluster"] == {"name": "redpark-pg"}
        assert roles[name]["login"] is True and roles[name]["passwordSecret"]["name"].endswith("-db")
        secret = next(d for d in SECRET_TEMPLATES if d["metadata"]["name"] == roles[name]["passwordSecret"]["name"])
        assert secret["type"] == "kubernetes.io/basic-auth" and secret["stringData"]["username"] == name


# --- NATS, network, secrets --------------------------------------------------------------------

def test_the_nats_users_are_those_up_makes_with_passwords_from_the_secret() -> None:
    config = NATS_VALUES["config"]
    assert config["cluster"] == {"enabled": True, "replicas": 3}
    assert config["jetstream"]["fileStore"]["enabled"] is True
    assert config["jetstream"]["memoryStore"]["enabled"] is False
    assert config["jetstream"]["merge"]["sync_interval"] == "always"
    users = {u["user"]: u for u in config["merge"]["authorization"]["users"]}
    expected = {s.name: service_permissions(s.name, {s.name, *s.reads}) for s in SERVICES.values()}
    expected.update({"gateway": gateway_permissions(), "tools": tools_permissions()})
    assert set(users) == {"admin", *expected}
    assert "permissions" not in users["admin"]
    for name, permissions in expected.items():
        assert users[name]["permissions"] == permissions, name
    secret = next(d for d in SECRET_TEMPLATES if d["metadata"]["name"] == "redpark-nats-users")
    env = NATS_VALUES["container"]["env"]
    for name, user in users.items():
        variable = re.fullmatch(r"<< \$(\w+) >>", user["password"])
        assert variable, f"{name}'s password is not taken from the environment"
        ref = env[variable.group(1)]["valueFrom"]["secretKeyRef"]
        assert ref == {"name": "redpark-nats-users", "key": name} and name in secret["stringData"]


def test_only_the_gateway_reaches_the_services_and_they_reach_only_nats_and_postgresql() -> None:
    gateway = one("Deployment", "redpark-gateway")["spec"]["template"]["metadata"]["labels"]
    nats_pods = {"app.kubernetes.io/name": "nats", "app.kubernetes.io/instance": "nats"}
    pg_pods = {"cnpg.io/cluster": "redpark-pg"}
    for name in SERVICES:
        policy = one("NetworkPolicy", f"redpark-{name}")["spec"]
        peers = [peer for rule in policy["ingress"] for peer in rule["from"]]
        pods = [p for p in peers if "podSelector" in p and "namespaceSelector" not in p]
        assert [selects(p["podSelector"]["matchLabels"], gateway) for p in pods] == [True]
        # Besides the gateway only Prometheus, from its own namespace, for /metrics.
        assert [p["namespaceSelector"] for p in peers if p not in pods] == [
            {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}]
        egress = [(rule["to"][0]["podSelector"]["matchLabels"], [p["port"] for p in rule["ports"]])
                  for rule in policy["egress"]]
        assert egress == [(nats_pods, [4222]), (pg_pods, [5432]), ({"k8s-app": "kube-dns"}, [53, 53])]
    external = one("NetworkPolicy", "redpark-services-external")["spec"]
    assert external["policyTypes"] == ["Egress"] and "ingress" not in external
    assert {p["port"] for rule in external["egress"] for p in rule["ports"]} == {443, 465, 587}
    for name, pods in (("redpark-nats", nats_pods), ("redpark-pg", pg_pods)):
        policy = one("NetworkPolicy", name)["spec"]
        assert policy["podSelector"]["matchLabels"] == pods
        clients = policy["ingress"][0]["from"]
        assert clients == [{"podSelector": {"matchLabels": {"app.kubernetes.io/component": "service",
                                                             "app.kubernetes.io/part-of": "redpark"}}}]
    assert not selects({"app.kubernetes.io/component": "service"}, gateway)


def test_the_secret_templates_hold_no_value_and_make_secrets_fills_every_one() -> None:
    for secret in SECRET_TEMPLATES:
        for key, value in secret["stringData"].items():
            if key != "username":
                assert "CHANGE-ME" in value, f"{secret['metadata']['name']}.{key} holds a value"
    filler = load_module(SECRETS / "make_secrets.py", "redpark_make_secrets")
    made = list(yaml.safe_load_all(filler.filled((SECRETS / "redpark-secrets.template.yaml").read_text())))
    assert [d["metadata"]["name"] for d in made] == [d["metadata"]["name"] for d in SECRET_TEMPLATES]
    values = [v for d in made for k, v in d["stringData"].items() if k != "username"]
    assert not [v for v in values if "CHANGE-ME" in v]
    webhooks = json.loads(next(d for d in made if d["metadata"]["name"] == "redpark-webhooks")["stringData"][
        "REDPARK_WEBHOOK_SECRETS"])
    assert all(v.startswith("whsec_") for v in webhooks.values())
    passwords = [v for d in made if d["metadata"]["name"] != "redpark-webhooks" for v in d["stringData"].values()]
    assert len(set(passwords)) == len(passwords)  # a fresh one each
