#!/usr/bin/env python3
"""Differential check of skitty's Mission Status API against spec-kitty's contract.

The contract (spec-kitty/spec-kitty `contracts/`: `mission-status/` and `_shared/`) is not part
of this repository; point this script at a checkout of it. Two checks:

1. every example of the contract (`mission-status/examples/*.yaml`) validates against the schema
   of the same name in skitty's own OpenAPI document (`GET /api/v1/openapi.json`): skitty's
   document accepts every shape the contract shows;
2. every payload a running `skitty serve` answers (project, missions, each mission, each WP, its
   detail, the artifacts and one content read, the events of each mission) validates against
   the contract's own schema: what skitty serves is what the contract defines.

Usage (outside CI; needs `pip install jsonschema pyyaml`):
    python3 scripts/contract-check.py CONTRACTS_DIR http://127.0.0.1:9240
Exit 1 when anything fails; each failure names the example or route and the JSON pointer.
"""

import json
import pathlib
import sys
import urllib.parse
import urllib.request

import jsonschema
import referencing
import yaml

SHAPES = {
    "Project": "/project",
    "MissionOverviewPage": "/missions",
}


def load_contract(root: pathlib.Path):
    """A registry of every YAML file of the contract, keyed by its file URI."""
    resources = []
    for path in root.rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        data = dict(data)
        data.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
        resources.append((path.resolve().as_uri(), referencing.Resource.from_contents(
            data, default_specification=referencing.jsonschema.DRAFT202012)))
    return referencing.Registry().with_resources(resources)


def contract_validator(registry, schemas: pathlib.Path, name: str):
    uri = (schemas / f"{name}.yaml").resolve().as_uri()
    return jsonschema.Draft202012Validator({"$ref": uri}, registry=registry)


def skitty_validator(doc, name: str):
    schema = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    return jsonschema.Draft202012Validator(schema)


def errors(validator, instance):
    return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


def get(base: str, path: str):
    with urllib.request.urlopen(base + "/api/v1" + path, timeout=30) as response:
        return json.load(response)


def main() -> int:
    contracts, base = pathlib.Path(sys.argv[1]), sys.argv[2].rstrip("/")
    module = contracts / "mission-status"
    registry = load_contract(contracts)
    doc = get(base, "/openapi.json")
    ours = set(doc["components"]["schemas"])
    failures, checked = [], 0

    # 1. The contract's examples against skitty's document.
    for example in sorted((module / "examples").glob("*.yaml")):
        name = example.name.split(".")[0]
        if example.name.startswith("_"):
            continue
        # Every refusal is a problem body.
        if name.endswith("Refusal") and not name.startswith(("Drift", "Ops")):
            name = "Problem"
        if name not in ours:
            print(f"skip example {example.name}: skitty serves no {name} (route not served)")
            continue
        instance = yaml.safe_load(example.read_text(encoding="utf-8"))
        found = errors(skitty_validator(doc, name), instance)
        checked += 1
        failures += [f"example {example.name}: {e}" for e in found]

    # 2. skitty's payloads against the contract's schemas.
    schemas = module / "schemas"
    def check(name, path, payload):
        nonlocal checked
        checked += 1
        failures.extend(f"GET {path} as {name}: {e}" for e in errors(contract_validator(registry, schemas, name), payload))

    check("Project", "/project", get(base, "/project"))
    page = get(base, "/missions?pageSize=200")
    check("MissionOverviewPage", "/missions", page)
    for item in page["items"]:
        mid = item["missionId"]
        detail = get(base, f"/missions/{mid}")
        check("MissionDetail", f"/missions/{mid}", detail)
        for wp in detail["workPackages"]:
            path = f"/missions/{mid}/work-packages/{wp['wpId']}"
            check("WorkPackage", path, get(base, path))
            check("WorkPackage", path + "?includePrompt=true", get(base, path + "?includePrompt=true"))
            check("WorkPackageDetail", path + "/detail", get(base, path + "/detail"))
        listing = get(base, f"/missions/{mid}/artifacts")
        check("ArtifactListing", f"/missions/{mid}/artifacts", listing)
        for entry in [e for e in listing["entries"] if e["readable"]][:5]:
            path = f"/missions/{mid}/artifacts/content?path={urllib.parse.quote(entry['path'], safe='')}"
            check("ArtifactContent", path, get(base, path))
        cursor = "0:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        with urllib.request.urlopen(f"{base}/api/v1/events?missionId={mid}&streamCursor={cursor}", timeout=30) as stream:
            name, count = None, 0
            while count < 50:
                line = stream.readline().decode()
                if line.startswith("event: "):
                    name = line[7:].strip()
                elif line.startswith("data: ") and name:
                    schema = {"status-transition": "StatusTransitionEvent", "mission-lifecycle": "MissionLifecycleEvent",
                              "log-truncated": "LogTruncatedEvent"}[name]
                    check(schema, f"/events?missionId={mid} ({name})", json.loads(line[6:]))
                    count += 1
                elif line == "" or count >= item["eventCount"]:
                    break

    for failure in failures:
        print(failure)
    print(f"{checked} checks, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
