import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { login } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return { showForm: Boolean(login) };
}

export default function Landing() {
  const { showForm } = useLoaderData<typeof loader>();
  return (
    <main
      style={{
        fontFamily: "system-ui, sans-serif",
        maxWidth: 560,
        margin: "4rem auto",
        lineHeight: 1.5,
      }}
    >
      <h1>Persegment</h1>
      <p>
        Segments your customers by how recently, how often and how much they buy, tags them for
        Shopify Email, and greets shoppers with the right message on your storefront.
      </p>
      {showForm && (
        <Form method="post" action="/auth/login">
          <label>
            Shop domain{" "}
            <input type="text" name="shop" placeholder="my-shop.myshopify.com" required />
          </label>{" "}
          <button type="submit">Install or log in</button>
        </Form>
      )}
    </main>
  );
}
