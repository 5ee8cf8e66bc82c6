/**
 * Keeps segments current as sync applies webhooks: registered on the customers-changed seam by
 * importing this module (the webhook worker and the CLI do).
 */
import { onCustomersChanged } from "~/jobs/customer-changes.server";
import { recomputeCustomers } from "./recompute.server";

let registered = false;

export function registerSegmentListener() {
  if (registered) return;
  registered = true;
  onCustomersChanged(async (shop, customerIds) => {
    await recomputeCustomers(shop, customerIds);
  });
}

registerSegmentListener();
