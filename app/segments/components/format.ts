/** Money from cents (as a decimal string, BigInt-safe over JSON) in the shop currency. */
export function money(cents: string | null, currency: string) {
  if (cents === null) return "–";
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(
    Number(cents) / 100,
  );
}
