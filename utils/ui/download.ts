/**
 * Saves bytes as a file through the page's own download: a Blob URL on an `<a download>`.
 * No `downloads` permission is needed, and nothing leaves the browser.
 */
export function downloadFile(name: string, content: string | Uint8Array, mediaType: string, doc: Document = document): void {
  const blob = new Blob([content as BlobPart], { type: mediaType });
  const url = URL.createObjectURL(blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `flagline-reports-20261124-1805` in local time. */
export function exportBaseName(now: number): string {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, '0');
  return `flagline-reports-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}
