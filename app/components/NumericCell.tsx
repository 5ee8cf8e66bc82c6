import { IndexTable, Text, type TextProps } from "@shopify/polaris";
import type { ReactNode } from "react";

/** A right-aligned number in an IndexTable row, in tabular figures so columns line up. */
export function NumericCell({ children, tone }: { children: ReactNode; tone?: TextProps["tone"] }) {
  return (
    <IndexTable.Cell>
      <Text as="span" alignment="end" numeric tone={tone}>
        {children}
      </Text>
    </IndexTable.Cell>
  );
}
