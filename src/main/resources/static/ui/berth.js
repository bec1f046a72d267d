// Copy buttons: <button class="copy" data-copy="text">. Pages work without this script.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const text = button.dataset.copy;
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    // Older browsers, or a page not served over a secure origin: copy through a selection.
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  button.dataset.copied = "";
  const label = button.textContent;
  button.textContent = "Copied";
  setTimeout(() => { delete button.dataset.copied; button.textContent = label; }, 1500);
});

// htmx requests carry the CSRF token in a header (forms carry it as a hidden field).
document.addEventListener("htmx:configRequest", (event) => {
  const header = document.querySelector('meta[name="csrf-header"]');
  const token = document.querySelector('meta[name="csrf-token"]');
  if (header && token) event.detail.headers[header.content] = token.content;
});
