import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { customerRecords } from "~/models/redaction.server";

/**
 * Where customers/data_request files go (DATA_REQUESTS_DIR, default ./data-requests): one JSON
 * file per request, for the merchant to hand to the customer. Shopify sends the request; the
 * app answers with everything it holds, which is no name, email or address, only ids, scores,
 * memberships, tag history and orders.
 */
export const dataRequestsDir = () => path.resolve(process.env.DATA_REQUESTS_DIR ?? "data-requests");

export async function writeDataRequest(
  shop: string,
  customerId: string,
  requestId: string,
  now = new Date(),
) {
  const records = await customerRecords(shop, customerId);
  const folder = path.join(dataRequestsDir(), shop);
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${customerId.split("/").pop()}-request-${requestId}.json`);
  const document = { shop, customerId, requestId, preparedAt: now.toISOString(), records };
  writeFileSync(
    file,
    JSON.stringify(
      document,
      (_key, value) => (typeof value === "bigint" ? String(value) : value),
      2,
    ),
  );
  return file;
}
