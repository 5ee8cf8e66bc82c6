// The Shopify stand-in (dev and tests only; never imported from app/).
export { startStandIn, type StandIn, type StandInOptions } from "./server";
export { generateStore, type GenerateOptions } from "./generator";
export { readSeed, writeSeed, seedLines } from "./seed";
export {
  Store,
  StoreError,
  type ShopInfo,
  type StoreChange,
  type NewOrder,
  type ThemeRecord,
} from "./store";
export {
  WebhookDelivery,
  APP_WEBHOOK_TOPICS,
  type WebhookSwitches,
  type DeliveryRecord,
} from "./webhooks";
export {
  customerPickShare,
  opportunityOdds,
  startLiveTraffic,
  trafficSource,
  type LiveTraffic,
  type TrafficEffect,
  type TrafficOptions,
  type TrafficSource,
} from "./live-traffic";
export { adminSchema, ADMIN_SCHEMA_PATH, API_VERSION } from "./schema";
export { requestedCost, LeakyBucket } from "./cost";
export { Random } from "./prng";
export * from "./model";
export { expandAppNamespace } from "./app-namespace";
export { APP_FLOW_TRIGGERS, type FlowTriggerField, type FlowTriggerRecord } from "./flow";
export {
  APP_WEB_PIXEL_SETTINGS,
  type WebPixelRecord,
  type WebPixelSettingField,
} from "./web-pixel";
export { parseSegmentQuery, SegmentQueryError } from "./segment-query";
export { EMAIL_EVENT_KINDS, type EmailActivityRecord, type EmailEventRecord } from "./email";
