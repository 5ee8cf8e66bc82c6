// A searchable picker of the shop's products or collections (Polaris Autocomplete over Shopify's
// search, through /api/segments/catalog): the rule keeps ids, the merchant sees titles.
import { useFetcher } from "@remix-run/react";
import { Autocomplete, BlockStack, InlineStack, Tag } from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";

interface Item {
  id: string;
  title: string;
}

interface Props {
  kind: "product" | "collection";
  label: string;
  /** Selected ids (gid://shopify/Product/1 or a bare number, as the rule holds them). */
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string;
}

const gidOf = (kind: Props["kind"], id: string) =>
  /^\d+$/.test(id) ? `gid://shopify/${kind === "product" ? "Product" : "Collection"}/${id}` : id;

export function CatalogPicker({ kind, label, value, onChange, error }: Props) {
  const search = useFetcher<{ items?: Item[] }>();
  const titles = useFetcher<{ items?: Item[] }>();
  const [text, setText] = useState("");
  const [known, setKnown] = useState<Map<string, string>>(new Map());
  const selected = useMemo(() => value.map((id) => gidOf(kind, id)), [kind, value]);

  // Titles of ids the rule already holds (a saved segment, JSON edits).
  const missing = selected.filter((id) => !known.has(id));
  const asked = useRef("");
  useEffect(() => {
    const key = missing.join(",");
    if (!key || asked.current === key) return;
    asked.current = key;
    titles.load(`/api/segments/catalog?ids=${encodeURIComponent(key)}`);
  }, [missing, titles]);
  useEffect(() => {
    const items = [...(titles.data?.items ?? []), ...(search.data?.items ?? [])];
    if (items.length === 0) return;
    setKnown((current) => {
      const next = new Map(current);
      for (const item of items) next.set(item.id, item.title);
      return next;
    });
  }, [titles.data, search.data]);

  const searchFor = (query: string) => {
    setText(query);
    search.load(`/api/segments/catalog?kind=${kind}&q=${encodeURIComponent(query)}`);
  };
  const options = (search.data?.items ?? []).map((item) => ({
    value: item.id,
    label: item.title,
  }));

  return (
    <BlockStack gap="100">
      <Autocomplete
        allowMultiple
        options={options}
        selected={selected}
        loading={search.state === "loading"}
        onSelect={(ids) => onChange(ids)}
        emptyState={text ? `No ${kind}s match “${text}”` : undefined}
        textField={
          <Autocomplete.TextField
            label={label}
            autoComplete="off"
            value={text}
            placeholder={`Search ${kind}s`}
            onChange={searchFor}
            onFocus={() => {
              if (!search.data) searchFor(text);
            }}
            error={error}
          />
        }
      />
      {selected.length > 0 && (
        <InlineStack gap="100" wrap>
          {selected.map((id) => (
            <Tag key={id} onRemove={() => onChange(selected.filter((other) => other !== id))}>
              {known.get(id) ?? id.split("/").pop()}
            </Tag>
          ))}
        </InlineStack>
      )}
    </BlockStack>
  );
}
