// Reads a JSON list of {"tex": ..., "display": bool} from stdin and renders each with
// KaTeX (throwOnError); prints a JSON list of {"index", "error"} for the ones that fail.
const katex = require("katex");
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const spans = JSON.parse(input);
  const failures = [];
  spans.forEach((span, index) => {
    try {
      katex.renderToString(span.tex, { displayMode: span.display, throwOnError: true, strict: "error" });
    } catch (err) {
      failures.push({ index, error: String(err.message || err) });
    }
  });
  process.stdout.write(JSON.stringify(failures));
});
