// A colour as merchants pick it: a swatch that opens Polaris' ColorPicker, and the hex field kept
// for typing or pasting a brand colour.
import {
  BlockStack,
  Button,
  ColorPicker,
  hexToRgb,
  hsbToHex,
  Popover,
  rgbToHsb,
  TextField,
  type HSBColor,
} from "@shopify/polaris";
import { useState } from "react";
import { HEX_COLOR } from "~/domain/storefront/colors";

interface ColorFieldProps {
  label: string;
  name: string;
  value: string;
  onChange(value: string): void;
  error?: string;
  helpText?: string;
}

const hsbOf = (hex: string): HSBColor =>
  HEX_COLOR.test(hex) ? rgbToHsb(hexToRgb(hex)) : { hue: 0, saturation: 0, brightness: 0 };

export function ColorField({ label, name, value, onChange, error, helpText }: ColorFieldProps) {
  const [open, setOpen] = useState(false);
  const swatch = (
    <Button
      accessibilityLabel={`Pick ${label.toLowerCase()}`}
      onClick={() => setOpen((current) => !current)}
      icon={
        <span
          style={{
            display: "block",
            width: 20,
            height: 20,
            borderRadius: 4,
            border: "1px solid rgba(0, 0, 0, 0.25)",
            background: HEX_COLOR.test(value) ? value : "transparent",
          }}
        />
      }
    />
  );
  return (
    <TextField
      label={label}
      name={name}
      value={value}
      onChange={onChange}
      error={error}
      helpText={helpText}
      autoComplete="off"
      monospaced
      maxLength={7}
      connectedLeft={
        <Popover active={open} activator={swatch} onClose={() => setOpen(false)} sectioned>
          <BlockStack gap="200">
            <ColorPicker
              color={hsbOf(value)}
              onChange={(color) => onChange(hsbToHex(color).toLowerCase())}
            />
          </BlockStack>
        </Popover>
      }
    />
  );
}
