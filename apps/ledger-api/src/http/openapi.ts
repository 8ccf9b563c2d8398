import { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { getMetadataStorage } from 'class-validator';
import { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { ApiErrorBody } from './openapi-operation';

/** A class as its metadata keys it. */
type Class = abstract new (...args: never[]) => unknown;

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs/json';

/** The OpenAPI document at /docs (UI) and /docs/json, built once at start. */
export function mountDocs(app: INestApplication): OpenAPIObject {
  const document = openApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: DOCS_JSON_PATH });
  return document;
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Loyalty ledger API')
    .setDescription(
      'Event-sourced loyalty points ledger. Money is integer minor units of the program currency; points are integers. ' +
        'Errors are `{ "error": { "code", "message", "details" } }` with a stable code. ' +
        'Every write takes a client-chosen id: the same request again answers 200 with the original result.',
    )
    .setVersion('1')
    .addServer('/', 'This server')
    .addServer('http://localhost:3000', 'npm start on the embedded defaults')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key', description: 'An API key of API_KEYS (role:key)' }, 'api-key')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A member token from POST /v1/members/{memberId}/sessions' },
      'member-token',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ApiErrorBody] });
  withoutAcceptHeaders(document);
  withValidatorConstraints(app, document);
  return document;
}

/** `accept` picks a media type (audit CSV); it is described by the responses' content, not a required parameter. */
function withoutAcceptHeaders(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch]) {
      if (!operation?.parameters) continue;
      operation.parameters = operation.parameters.filter((p) => !('in' in p && p.in === 'header' && p.name.toLowerCase() === 'accept'));
    }
  }
}

/**
 * The bounds, patterns and integer types of the request bodies, read from the
 * class-validator rules that enforce them, so the document cannot drift from
 * the validation (what the Nest CLI plugin's class-validator shim derives at
 * build time, here derived at start, as the build is swc's).
 */
function withValidatorConstraints(app: INestApplication, document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  for (const [name, rule] of Object.entries(CROSS_FIELD_RULES)) {
    const schema = schemas[name];
    if (schema && !('$ref' in schema)) Object.assign(schema, rule);
  }
  const storage = getMetadataStorage();
  // class-validator keeps its rules by class and offers no list of the classes: its map is read directly,
  // and the bodies' classes added, for a subclass that declares nothing of its own is not in it.
  const byClass = (storage as unknown as { validationMetadatas?: Map<Class, unknown> }).validationMetadatas;
  const classes = new Set([...(byClass?.keys() ?? []), ...bodyClasses(app)]);
  for (const target of classes) {
    const schema = schemas[target.name];
    if (!schema || '$ref' in schema || !schema.properties) continue;
    // The pipe forbids what the class does not declare (forbidNonWhitelisted).
    schema.additionalProperties = false;
    for (const rule of storage.getTargetValidationMetadatas(target, '', true, false)) {
      const property = schema.properties[rule.propertyName];
      if (!property) continue;
      if ('$ref' in property) {
        if (rule.name === 'isOptional') schema.properties[rule.propertyName] = { allOf: [property], nullable: true };
        continue;
      }
      const subject = rule.each && property.type === 'array' && property.items && !('$ref' in property.items) ? property.items : property;
      applyRule(subject, rule);
    }
  }
}

/** The parameter classes of every controller method: the request bodies among them. */
function bodyClasses(app: INestApplication): Class[] {
  const controllers = [...app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()]);
  return controllers.flatMap(({ metatype }) => {
    const prototype = (metatype as { prototype?: object } | null)?.prototype;
    if (!prototype) return [];
    return Object.getOwnPropertyNames(prototype).flatMap(
      // A parameter typed by an interface or a union has no class at run time: undefined or Object.
      (method) => ((Reflect.getMetadata('design:paramtypes', prototype, method) as unknown[] | undefined) ?? []).filter(isClass),
    );
  });
}

const isClass = (type: unknown): type is Class => typeof type === 'function' && type !== Object;

/** Rules over several fields that the handlers check and OpenAPI can say. */
const CROSS_FIELD_RULES: Record<string, SchemaObject> = {
  // A redemption names points or a reward, exactly one (domain: redemptions.ts).
  RedeemPointsDto: { oneOf: [{ required: ['points'] }, { required: ['rewardId'] }] },
  MeRedemptionDto: { oneOf: [{ required: ['points'] }, { required: ['rewardId'] }] },
};

function applyRule(schema: SchemaObject, rule: ValidationMetadata): void {
  const [first, second] = (rule.constraints ?? []) as unknown[];
  switch (rule.name) {
    // IsOptional skips null as it skips absence: the API takes a null optional field as absent.
    case 'isOptional':
      schema.nullable = true;
      return;
    case 'isInt':
      schema.type = 'integer';
      return;
    case 'min':
      schema.minimum = first as number;
      return;
    case 'max':
      schema.maximum = first as number;
      return;
    case 'matches':
      schema.pattern = first instanceof RegExp ? first.source : String(first);
      return;
    case 'minLength':
      schema.minLength = first as number;
      return;
    case 'maxLength':
      schema.maxLength = first as number;
      return;
    case 'isLength':
      schema.minLength = first as number;
      if (second !== undefined) schema.maxLength = second as number;
      return;
    case 'arrayMinSize':
      schema.minItems = first as number;
      return;
    case 'arrayMaxSize':
      schema.maxItems = first as number;
      return;
    case 'arrayNotEmpty':
      schema.minItems = Math.max(schema.minItems ?? 0, 1);
      return;
    case 'isIn':
      schema.enum = [...(first as unknown[])];
      return;
    case 'isEnum':
      schema.enum = Object.values(first as object);
      return;
    case 'isEmail':
      schema.format = 'email';
      return;
    case 'isNotEmpty':
      if (schema.type === 'string') schema.minLength = Math.max(schema.minLength ?? 0, 1);
      return;
    case 'notEquals':
      schema.not = { enum: [first] };
      return;
    case 'isInstant':
      schema.format = 'date-time';
      return;
    case 'isBirthDate':
      schema.format = 'date';
      return;
  }
}
