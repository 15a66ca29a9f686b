// Validates files of CloudEvents (a batch or one event per file, as the
// relay writes message bodies) against docs/schema: the test of every
// kind's schema against the Go encoder. Usage: node validate.js FILE...
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020");

const dir = process.env.SCHEMA_DIR || path.join(__dirname, "..", "..", "docs", "schema", "v1");
const ajv = new Ajv2020({ allErrors: true });
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  ajv.addSchema(JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")), f);
}
let n = 0;
for (const file of process.argv.slice(2)) {
  const body = JSON.parse(fs.readFileSync(file, "utf8"));
  const validate = ajv.getSchema(Array.isArray(body) ? "batch.json" : "cloudevent.json");
  if (!validate(body)) {
    console.error(`${file}: ${ajv.errorsText(validate.errors)}`);
    process.exit(1);
  }
  n += Array.isArray(body) ? body.length : 1;
}
console.log(n);
