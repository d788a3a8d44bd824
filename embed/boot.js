// Starts the widget's wasm without an inline script, so the page can run under `script-src 'self'`.
const tag = document.querySelector("script[data-bbps-wasm]");
const { default: init } = await import(tag.dataset.bbpsJs);
await init({ module_or_path: tag.dataset.bbpsWasm });
