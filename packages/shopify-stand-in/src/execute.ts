// One Admin GraphQL request, the way Shopify handles it: parse, validate against the real schema,
// price it, meter it through the leaky bucket, run it, refund the unused points.
import {
  type ASTNode,
  type DocumentNode,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type OperationDefinitionNode,
  GraphQLError as GraphQLErrorClass,
  Kind,
  execute,
  getOperationAST,
  getVariableValues,
  parse,
  validate,
  visit,
} from "graphql";
import { type LeakyBucket, MAX_QUERY_COST, actualCost, requestedCost } from "./cost";

/** Fails loudly, naming the field, whenever a view lacks what the schema asks for. */
export const strictFieldResolver: GraphQLFieldResolver<unknown, unknown> = (
  source,
  args,
  context,
  info,
) => {
  if (source === null || typeof source !== "object" || !(info.fieldName in source))
    throw new GraphQLErrorClass(
      `The Shopify stand-in does not implement ${info.parentType.name}.${info.fieldName}`,
      {
        extensions: {
          code: "NOT_IMPLEMENTED_IN_STAND_IN",
          typeName: info.parentType.name,
          fieldName: info.fieldName,
        },
      },
    );
  const value = (source as Record<string, unknown>)[info.fieldName];
  return typeof value === "function" ? value.call(source, args, context, info) : value;
};

const typeResolver = (value: unknown) => (value as { __typename?: string }).__typename;

interface ShopifyError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/** Shopify's validation-error paths: ["query Name", "customers", "edges", "node", "foo"]. */
function astPaths(document: DocumentNode) {
  const paths = new Map<ASTNode, string[]>();
  const stack: string[] = [];
  const enter = (node: ASTNode, label: string) => {
    stack.push(label);
    paths.set(node, [...stack]);
  };
  const leave = () => void stack.pop();
  visit(document, {
    OperationDefinition: {
      enter: (node) =>
        enter(node, node.name ? `${node.operation} ${node.name.value}` : node.operation),
      leave,
    },
    FragmentDefinition: { enter: (node) => enter(node, `fragment ${node.name.value}`), leave },
    InlineFragment: {
      enter: (node) =>
        enter(node, node.typeCondition ? `... on ${node.typeCondition.name.value}` : "..."),
      leave,
    },
    Field: { enter: (node) => enter(node, node.name.value), leave },
    Argument: { enter: (node) => enter(node, node.name.value), leave },
  });
  return paths;
}

/** graphql-js validation messages rewritten to the wording and codes Shopify (graphql-ruby) uses. */
function shopifyValidationError(error: GraphQLError, paths: Map<ASTNode, string[]>): ShopifyError {
  const located = shopifyValidationMessage(error);
  const path = error.nodes?.[0] ? paths.get(error.nodes[0]) : undefined;
  return path
    ? {
        message: located.message,
        locations: located.locations,
        path,
        extensions: located.extensions,
      }
    : located;
}

function shopifyValidationMessage(error: GraphQLError): ShopifyError {
  const locations = error.locations;
  let match = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(error.message);
  if (match)
    return {
      message: `Field '${match[1]}' doesn't exist on type '${match[2]}'`,
      locations,
      extensions: { code: "undefinedField", typeName: match[2], fieldName: match[1] },
    };
  match = /^Unknown argument "(\w+)" on field "\w+\.(\w+)"\./.exec(error.message);
  if (match)
    return {
      message: `Field '${match[2]}' doesn't accept argument '${match[1]}'`,
      locations,
      extensions: {
        code: "argumentNotAccepted",
        name: match[2],
        typeName: "Field",
        argumentName: match[1],
      },
    };
  match =
    /^Field "(\w+)" argument "(\w+)" of type "(.+)" is required, but it was not provided\./.exec(
      error.message,
    );
  if (match)
    return {
      message: `Field '${match[1]}' is missing required arguments: ${match[2]}`,
      locations,
      extensions: {
        code: "missingRequiredArguments",
        className: "Field",
        name: match[1],
        arguments: match[2],
      },
    };
  match = /^Field "(\w+)" of type "(.+)" must have a selection of subfields/.exec(error.message);
  if (match)
    return {
      message: `Field must have selections (field '${match[1]}' returns ${match[2]} but has no selections. Did you mean '${match[1]} { ... }'?)`,
      locations,
      extensions: {
        code: "selectionMismatch",
        nodeName: `field '${match[1]}'`,
        typeName: match[2],
      },
    };
  match = /^Unknown type "(\w+)"\./.exec(error.message);
  if (match)
    return {
      message: `No such type ${match[1]}, so it can't be a fragment condition`,
      locations,
      extensions: { code: "undefinedType", typeName: match[1] },
    };
  match = /^Variable "\$(\w+)" is never used/.exec(error.message);
  if (match)
    return {
      message: `Variable $${match[1]} is declared by anonymous query but not used`,
      locations,
      extensions: { code: "variableNotUsed", variableName: match[1] },
    };
  return { message: error.message, locations, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } };
}

export interface GraphqlRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphqlOutcome {
  status: number;
  body: unknown;
}

export interface ExecuteOptions {
  schema: GraphQLSchema;
  bucket: LeakyBucket;
  rootValue: unknown;
  contextValue: unknown;
}

const documentCache = new Map<string, DocumentNode | readonly GraphQLError[]>();

/** Parses and validates once per distinct document (apps send the same few documents). */
function parsed(schema: GraphQLSchema, source: string): DocumentNode | ShopifyError[] {
  const cached = documentCache.get(source);
  if (cached && !Array.isArray(cached)) return cached as DocumentNode;
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    const syntax = error as GraphQLError;
    return [
      { message: syntax.message, locations: syntax.locations, extensions: { code: "PARSE_ERROR" } },
    ];
  }
  const errors = validate(schema, document);
  if (errors.length) {
    const paths = astPaths(document);
    return errors.map((error) => shopifyValidationError(error, paths));
  }
  if (documentCache.size > 500) documentCache.clear();
  documentCache.set(source, document);
  return document;
}

export async function executeGraphql(
  options: ExecuteOptions,
  body: GraphqlRequestBody,
): Promise<GraphqlOutcome> {
  const { schema, bucket } = options;
  const costExtension = (requested: number | null, actual: number | null) => ({
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: bucket.status(),
    },
  });
  if (typeof body.query !== "string" || !body.query.trim())
    return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };
  const variablesInput = body.variables ?? {};
  if (typeof variablesInput !== "object" || Array.isArray(variablesInput))
    return { status: 400, body: { errors: { variables: "must be a JSON object" } } };

  const document = parsed(schema, body.query);
  if (Array.isArray(document))
    return { status: 200, body: { errors: document, extensions: costExtension(0, 0) } };
  const operationName = typeof body.operationName === "string" ? body.operationName : undefined;
  const operation = getOperationAST(document, operationName) as OperationDefinitionNode | null;
  if (!operation)
    return {
      status: 200,
      body: {
        errors: [
          {
            message: operationName
              ? `No operation named "${operationName}"`
              : "An operation name is required",
            extensions: { code: "OPERATION_NOT_FOUND" },
          },
        ],
        extensions: costExtension(0, 0),
      },
    };
  if (operation.operation === "subscription")
    return {
      status: 200,
      body: {
        errors: [
          { message: "Subscriptions are not supported", extensions: { code: "NOT_SUPPORTED" } },
        ],
      },
    };

  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    variablesInput as Record<string, unknown>,
  );
  if (coerced.errors)
    return {
      status: 200,
      body: {
        errors: coerced.errors.map((error) => ({
          message: error.message,
          locations: error.locations,
          extensions: { code: "INVALID_VARIABLE" },
        })),
        extensions: costExtension(0, 0),
      },
    };
  const variables = coerced.coerced;

  let requested: number;
  try {
    requested = requestedCost(schema, document, operation, variables);
  } catch (error) {
    const failure = error as GraphQLError;
    return {
      status: 200,
      body: {
        errors: [
          {
            message: failure.message,
            locations: failure.locations,
            extensions: failure.extensions,
          },
        ],
        extensions: costExtension(null, null),
      },
    };
  }
  if (requested > MAX_QUERY_COST)
    return {
      status: 200,
      body: {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
            extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST },
          },
        ],
        extensions: costExtension(requested, null),
      },
    };
  if (!bucket.take(requested))
    return {
      status: 200,
      body: {
        errors: [
          {
            message: "Throttled",
            extensions: {
              code: "THROTTLED",
              documentation: "https://shopify.dev/api/usage/rate-limits",
            },
          },
        ],
        extensions: costExtension(requested, null),
      },
    };

  const result = await execute({
    schema,
    document: { kind: Kind.DOCUMENT, definitions: document.definitions },
    rootValue: options.rootValue,
    contextValue: options.contextValue,
    variableValues: variablesInput as Record<string, unknown>,
    operationName,
    fieldResolver: strictFieldResolver,
    typeResolver,
  });
  const actual = Math.min(
    requested,
    actualCost(schema, document, operation, variables, result.data),
  );
  bucket.refund(requested - actual);
  const response: Record<string, unknown> = {};
  if (result.errors)
    response.errors = result.errors.map((error) => ({
      message: error.message,
      locations: error.locations,
      path: error.path,
      extensions:
        error.extensions && Object.keys(error.extensions).length
          ? error.extensions
          : { code: "INTERNAL_SERVER_ERROR" },
    }));
  response.data = result.data ?? null;
  response.extensions = costExtension(requested, actual);
  return { status: 200, body: response };
}
