// Shopify Flow: the app's trigger extensions (extensions/persegment-segment-*) start merchants'
// workflows through this mutation; Flow checks the payload against the trigger's fields.

export const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;
