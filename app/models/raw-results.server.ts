/**
 * Cells of raw query results as JS values: the drivers return numbers, bigints or text for the same
 * column depending on the database and the size of the value.
 */
export const toDate = (value: unknown) =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value
      : new Date(String(value));
export const fromEpoch = (value: unknown) =>
  value === null || value === undefined ? null : new Date(Number(value));
export const toBigInt = (value: unknown) =>
  value === null || value === undefined ? 0n : BigInt(String(value).split(".")[0]);
export const toNumber = (value: unknown) =>
  value === null || value === undefined ? 0 : Number(value);
export const toNullableNumber = (value: unknown) =>
  value === null || value === undefined ? null : Number(value);
