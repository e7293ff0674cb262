#!/usr/bin/env node
// usage:
//   node check-manifests.mjs check FILE...        schema-validate and lint rendered manifests ("-" reads stdin)
//   node check-manifests.mjs podman-play [--leave-out NAME]... < IN > OUT
//                                                  rewrite a rendered overlay for `podman kube play`, without the
//                                                  workloads and ConfigMaps named NAME
// Exit status 1 with one line per problem when a check fails; 2 on a usage or parse error.
import { readFileSync } from "node:fs";
import { dumpDocuments, forPodmanPlay, lint, parseDocuments, validateSchemas } from "./manifests.mjs";

function read(file) {
  return readFileSync(file === "-" ? 0 : file, "utf8");
}

async function check(files) {
  let failed = false;
  for (const file of files) {
    const docs = parseDocuments(read(file), file);
    const problems = [...await validateSchemas(docs), ...lint(docs)];
    if (docs.length === 0) {
      problems.push("no objects (an empty render is a broken render)");
    }
    if (problems.length > 0) {
      failed = true;
      console.error(`${file}: ${problems.length} problem(s):`);
      problems.forEach((p) => console.error(`  ${p}`));
    } else {
      console.log(`${file}: ${docs.length} objects valid, lint clean`);
    }
  }
  return failed ? 1 : 0;
}

const [command, ...args] = process.argv.slice(2);
try {
  if (command === "check" && args.length > 0) {
    process.exitCode = await check(args);
  } else if (command === "podman-play" && args.length % 2 === 0 && args.every((a, i) => i % 2 || a === "--leave-out")) {
    const leaveOut = new Set(args.filter((a, i) => i % 2));
    const { docs, dropped } = forPodmanPlay(parseDocuments(read("-"), "<stdin>"));
    if (dropped.length > 0) {
      console.error(`podman-play: left out (podman kube play has no such kinds): ${dropped.join(", ")}`);
    }
    const kept = docs.filter((d) => !leaveOut.has(d.metadata?.name));
    if (kept.length < docs.length) {
      console.error(`podman-play: left out as asked: ${[...leaveOut].join(", ")}`);
    }
    process.stdout.write(dumpDocuments(kept));
  } else {
    console.error("usage: check-manifests.mjs check FILE... | podman-play [--leave-out NAME]... < IN > OUT");
    process.exitCode = 2;
  }
} catch (e) {
  console.error(`check-manifests: ${e.message}`);
  process.exitCode = 2;
}
