/**
 * A segment's members, one page of them, sorted by the server. The sort is controlled (the URL
 * holds it), so a click on a heading only asks for the next page of data: no table state changes
 * under the pointer, and the memoised rows are not drawn again until the new page arrives.
 */
import { IndexTable, Text } from "@shopify/polaris";
import { memo } from "react";
import { rfmGroupName } from "~/domain/segments/rfm";
import type { MemberSortKey } from "~/domain/segments/member-list";
import { shopDate } from "~/shops/format";
import { CustomerCell, type Person } from "./CustomerCell";
import { NumericCell } from "~/components/NumericCell";
import { money } from "./format";

/** The sortable columns after "Customer", in order. */
const SORT_COLUMNS: MemberSortKey[] = ["orders", "spent", "last_order", "r", "f", "m"];

const number = new Intl.NumberFormat("en-US");

export interface MemberRowData {
  id: string;
  orders: number;
  spentCents: string;
  lastOrderAt: string | null;
  r: number | null;
  f: number | null;
  m: number | null;
  rfmGroup: string;
  shopifyRfmGroup: string | null;
}

export const MembersTable = memo(function MembersTable({
  members,
  people,
  currency,
  timeZone,
  sort,
  direction,
  whyHref,
  onSort,
}: {
  members: MemberRowData[];
  people: Record<string, Person>;
  currency: string;
  timeZone: string;
  sort: MemberSortKey;
  direction: "asc" | "desc";
  whyHref: (id: string) => string;
  onSort: (sort: MemberSortKey, direction: "asc" | "desc") => void;
}) {
  const sortIndex = SORT_COLUMNS.indexOf(sort);
  return (
    <IndexTable
      resourceName={{ singular: "customer", plural: "customers" }}
      itemCount={members.length}
      selectable={false}
      headings={[
        { title: "Customer" },
        { title: "Orders", alignment: "end" },
        { title: "Spent", alignment: "end" },
        { title: "Last order" },
        { title: "R", alignment: "end" },
        { title: "F", alignment: "end" },
        { title: "M", alignment: "end" },
        { title: "RFM group" },
        { title: "Shopify's RFM group" },
      ]}
      sortable={[false, true, true, true, true, true, true, false, false]}
      sortColumnIndex={sortIndex >= 0 ? sortIndex + 1 : undefined}
      sortDirection={direction === "asc" ? "ascending" : "descending"}
      defaultSortDirection="descending"
      onSort={(index, next) =>
        onSort(SORT_COLUMNS[index - 1], next === "ascending" ? "asc" : "desc")
      }
    >
      {members.map((member, position) => {
        const agrees =
          member.shopifyRfmGroup === null ? null : member.shopifyRfmGroup === member.rfmGroup;
        return (
          <IndexTable.Row id={member.id} key={member.id} position={position}>
            <IndexTable.Cell>
              <CustomerCell
                id={member.id}
                person={people[member.id]}
                whyHref={whyHref(member.id)}
              />
            </IndexTable.Cell>
            <NumericCell>{number.format(member.orders)}</NumericCell>
            <NumericCell>{money(member.spentCents, currency)}</NumericCell>
            <IndexTable.Cell>{shopDate(member.lastOrderAt, timeZone)}</IndexTable.Cell>
            {[member.r, member.f, member.m].map((score, index) => (
              <NumericCell key={index}>{score ?? "–"}</NumericCell>
            ))}
            <IndexTable.Cell>{rfmGroupName(member.rfmGroup)}</IndexTable.Cell>
            <IndexTable.Cell>
              {member.shopifyRfmGroup === null ? (
                <Text as="span" tone="subdued">
                  not shared by Shopify
                </Text>
              ) : (
                <Text as="span" tone={agrees ? "success" : "caution"}>
                  {rfmGroupName(member.shopifyRfmGroup)} {agrees ? "✓" : "≠"}
                </Text>
              )}
            </IndexTable.Cell>
          </IndexTable.Row>
        );
      })}
    </IndexTable>
  );
});
