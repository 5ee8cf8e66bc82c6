/**
 * Downloads a file the app serves through an authenticated fetch (App Bridge adds the session
 * token to fetches; a plain link would carry none). A 503's text is the reason to show.
 */
export async function downloadFile(url: string, filename: string) {
  const response = await fetch(url);
  if (response.status === 503) throw new Error((await response.text()).replace(/\.$/, ""));
  if (!response.ok) throw new Error(`Download failed (${response.status})`);
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = objectUrl;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(objectUrl);
}
