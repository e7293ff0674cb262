// The checks must reject what they are meant to reject: every fixture under test-fixtures/ is a small manifest set
// with one kind of mistake, and names the problems it must produce in "# expect: ..." header lines (exactly those,
// no more). valid.yaml names none and must pass. Run: node --test (from deploy/tools).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { forPodmanPlay, imageIsPinned, lint, parseDocuments, validateSchemas } from "./manifests.mjs";

const FIXTURES = join(fileURLToPath(new URL(".", import.meta.url)), "test-fixtures");

async function problemsOf(text, name) {
  const docs = parseDocuments(text, name);
  return [...await validateSchemas(docs), ...lint(docs)];
}

const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith(".yaml")).sort();

test("there are negative fixtures and one valid one", () => {
  assert.ok(fixtures.includes("valid.yaml"));
  assert.ok(fixtures.length >= 10, `only ${fixtures.length} fixtures`);
});

for (const fixture of fixtures) {
  test(`fixture ${fixture}`, async () => {
    const text = readFileSync(join(FIXTURES, fixture), "utf8");
    const expected = [...text.matchAll(/^# expect: (.*)$/gm)].map((m) => m[1]);
    const problems = await problemsOf(text, fixture);
    if (fixture === "valid.yaml") {
      assert.deepEqual(problems, [], "the valid fixture must pass");
      return;
    }
    assert.ok(expected.length > 0, `${fixture} names no expected problem`);
    assert.equal(problems.length, expected.length, `problems: ${JSON.stringify(problems, null, 1)}`);
    for (const e of expected) {
      assert.ok(problems.some((p) => p.includes(e)), `expected a problem containing "${e}" in ${JSON.stringify(problems)}`);
    }
  });
}

test("images: a tag other than latest, or a digest, pins a version", () => {
  assert.ok(imageIsPinned("pvm/api-gateway:0.1.0-SNAPSHOT"));
  assert.ok(imageIsPinned("registry.example:5000/pvm/api-gateway:1"));
  assert.ok(imageIsPinned(`pvm/api-gateway@sha256:${"a".repeat(64)}`));
  assert.ok(!imageIsPinned("registry.example:5000/pvm/api-gateway"));
  assert.ok(!imageIsPinned("pvm/api-gateway:latest"));
  assert.ok(!imageIsPinned("pvm/api-gateway:"));
  assert.ok(!imageIsPinned(undefined));
});

test("podman-play: a DaemonSet becomes a one-replica Deployment of the same pod; unplayable kinds are left out", () => {
  const docs = parseDocuments(readFileSync(join(FIXTURES, "daemonset-missing-readiness-probe.yaml"), "utf8")
    + "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: agent, namespace: t}\nspec: {selector: {app: agent}}\n");
  const { docs: played, dropped } = forPodmanPlay(docs);
  assert.deepEqual(dropped, ["Service t/agent"]);
  assert.equal(played.length, 1);
  assert.equal(played[0].kind, "Deployment");
  assert.equal(played[0].spec.replicas, 1);
  assert.deepEqual(played[0].spec.template, docs[0].spec.template);
  assert.deepEqual(played[0].spec.selector, docs[0].spec.selector);
});

test("podman-play: host-network pods lose their container ports (probe port names become numbers) and HTTP "
  + "liveness/startup probes, which podman would run as curl inside the image", () => {
  const [deployment] = parseDocuments(readFileSync(join(FIXTURES, "valid.yaml"), "utf8"))
    .filter((d) => d.kind === "Deployment");
  deployment.spec.template.spec.hostNetwork = true;
  const { docs: [played] } = forPodmanPlay([deployment]);
  const container = played.spec.template.spec.containers[0];
  assert.equal(container.ports, undefined);
  assert.deepEqual(container.readinessProbe.httpGet, { path: "/ready", port: 8080 });
  assert.equal(container.livenessProbe, undefined);
  assert.ok(deployment.spec.template.spec.containers[0].ports, "the input is not changed");
});
