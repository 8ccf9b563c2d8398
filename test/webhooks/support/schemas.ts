import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ReceivedAttempt } from './receiver';

const ROOT = join(__dirname, '..', '..', '..');
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as object;
const envelope = ajv.compile(read(join(ROOT, 'libs/webhooks/schemas/WebhookDelivery.schema.json')));

/** A notification's payload by the webhooks' schema, a ledger event's by the Kafka one: the same contract either way. */
function dataSchemaPath(type: string): string {
  const notification = join(ROOT, 'libs/webhooks/schemas', `${type}.schema.json`);
  return existsSync(notification) ? notification : join(ROOT, 'libs/messaging/schemas', `${type}.schema.json`);
}

const dataValidators = new Map<string, ReturnType<typeof ajv.compile>>();

/** What is wrong with a received body by the published schemas; empty when nothing is. */
export function schemaProblems(body: ReceivedAttempt['body']): string[] {
  const { type, data } = body;
  const problems: string[] = [];
  if (!envelope(body)) problems.push(`${type} envelope: ${ajv.errorsText(envelope.errors)}`);
  let validateData = dataValidators.get(type);
  if (!validateData) dataValidators.set(type, (validateData = ajv.compile(read(dataSchemaPath(type)))));
  if (!validateData(data)) problems.push(`${type} data: ${ajv.errorsText(validateData.errors)}`);
  return problems;
}
