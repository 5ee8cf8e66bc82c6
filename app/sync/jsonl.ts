// Streaming JSONL: objects are yielded line by line as bytes arrive, so a bulk file of any size
// is never held in memory whole.

export class JsonlError extends Error {
  constructor(
    message: string,
    readonly lineNumber: number,
  ) {
    super(`line ${lineNumber}: ${message}`);
    this.name = "JsonlError";
  }
}

/** Parses each non-empty line of a byte stream as JSON; a malformed line throws a JsonlError. */
export async function* readJsonLines<T = Record<string, unknown>>(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<T> {
  const decoder = new TextDecoder();
  let pending = "";
  let lineNumber = 0;
  const parse = (line: string): T | undefined => {
    lineNumber++;
    if (line.trim() === "") return undefined;
    try {
      return JSON.parse(line) as T;
    } catch (error) {
      throw new JsonlError(error instanceof Error ? error.message : String(error), lineNumber);
    }
  };
  for await (const chunk of chunks) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const end = pending.indexOf("\n", start);
      if (end === -1) break;
      const value = parse(pending.slice(start, end));
      if (value !== undefined) yield value;
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  const last = parse(pending);
  if (last !== undefined) yield last;
}

/** The download of a result file failed (HTTP error, reset, a cut line): it can be tried again. */
export class DownloadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DownloadError";
  }
}

/** Streams the JSONL file at `url` (a bulk operation result) line by line. */
export async function* fetchJsonLines<T = Record<string, unknown>>(url: string): AsyncGenerator<T> {
  const download = new AbortController();
  const failed = (error: unknown) =>
    new DownloadError(
      `Downloading the bulk result failed: ${error instanceof Error ? error.message : error}`,
      { cause: error },
    );
  const response = await fetch(url, { signal: download.signal }).catch((error) => {
    throw failed(error);
  });
  if (!response.ok || !response.body) throw failed(`HTTP ${response.status}`);
  const lines = readJsonLines<T>(response.body as unknown as AsyncIterable<Uint8Array>);
  try {
    for (;;) {
      const next = await lines.next().catch((error) => {
        throw failed(error);
      });
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Stopped early (a failed batch): drop the connection now rather than draining the file.
    download.abort();
    void lines.return(undefined).catch(() => {});
  }
}
