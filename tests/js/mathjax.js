// Reads a JSON list of {"tex": ..., "display": bool} from stdin and renders each with MathJax 3's
// TeX input and the packages GitHub and Jupyter enable (no textmacros: in \text{...} a backslash
// is a backslash). Prints a JSON list of {"index", "error"} for the spans that fail: a TeX error
// (an merror node), an undefined macro (noundefined shows it in red), or a backslash left
// visible in the rendered text (e.g. \text{new\_} shows "new\_").
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { STATE } = require("mathjax-full/js/core/MathItem.js");
require("mathjax-full/js/input/tex/base/BaseConfiguration.js");
require("mathjax-full/js/input/tex/ams/AmsConfiguration.js");
require("mathjax-full/js/input/tex/newcommand/NewcommandConfiguration.js");
require("mathjax-full/js/input/tex/noundefined/NoUndefinedConfiguration.js");
require("mathjax-full/js/input/tex/configmacros/ConfigMacrosConfiguration.js");
require("mathjax-full/js/input/tex/boldsymbol/BoldsymbolConfiguration.js");

const PACKAGES = ["base", "ams", "newcommand", "noundefined", "configmacros", "boldsymbol"];

function problems(node, found) {
  if (node.isKind("merror")) {
    found.push("error: " + (node.attributes.get("data-mjx-error") || "TeX error"));
  }
  if (node.isToken) {
    const text = node.getText();
    if (node.attributes.get("mathcolor") === "red") found.push("undefined: " + text);
    else if (text.includes("\\")) found.push("visible backslash: " + text);
  }
  for (const child of node.childNodes || []) problems(child, found);
  return found;
}

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
const doc = mathjax.document("", { InputJax: new TeX({ packages: PACKAGES }) });
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const spans = JSON.parse(input);
  const failures = [];
  spans.forEach((span, index) => {
    try {
      const tree = doc.convert(span.tex, { display: span.display, end: STATE.CONVERT });
      const found = problems(tree, []);
      if (found.length) failures.push({ index, error: found.join("; ") });
    } catch (err) {
      failures.push({ index, error: String(err.message || err) });
    }
  });
  process.stdout.write(JSON.stringify(failures));
});
