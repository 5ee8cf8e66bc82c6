import type { RawDb } from "~/db.server";
import { EncodedRows, type UpsertSpec, type ColumnValue } from "./bulk-upsert.server";
import { tombstonedAmong } from "./tombstones.server";

/**
 * Synced records to upsert in one go, except those deleted in Shopify (tombstones). `optional`
 * is a column only some sources carry (a GraphQL read, not a webhook): rows with a value write
 * it, the others leave what is stored.
 */
export class LiveRows<Row extends { id: string }> {
  private readonly ids: string[] = [];
  /** Rows with the optional column, then rows without it. */
  private readonly groups: { ids: string[]; rows: EncodedRows }[];

  constructor(
    private readonly shop: string,
    spec: UpsertSpec & { optional: string },
    private readonly valuesOf: (row: Row) => {
      values: ColumnValue[];
      optional: ColumnValue | undefined;
    },
  ) {
    this.groups = [
      { ids: [], rows: new EncodedRows({ ...spec, columns: [...spec.columns, spec.optional] }) },
      { ids: [], rows: new EncodedRows(spec) },
    ];
  }

  get length() {
    return this.ids.length;
  }

  add(row: Row) {
    const { values, optional } = this.valuesOf(row);
    const group = this.groups[optional === undefined ? 1 : 0];
    group.ids.push(row.id);
    group.rows.add(optional === undefined ? values : [...values, optional]);
    this.ids.push(row.id);
  }

  addAll(rows: Iterable<Row>) {
    for (const row of rows) this.add(row);
    return this;
  }

  /** Returns the ids written or kept (not the skipped deleted ones). */
  async write(db: RawDb) {
    const deleted = await tombstonedAmong(db, this.shop, this.ids);
    for (const group of this.groups)
      await group.rows.upsert(db, (index) => !deleted.has(group.ids[index]));
    return this.ids.filter((id) => !deleted.has(id));
  }
}
