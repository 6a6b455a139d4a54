// The catalog's YAML, as the editor reads and writes it (generator/outputs/admin/__init__.py copies this
// file into site/admin/). Decap's own YAML writer leaves out the first line that `python -m generator
// check` wants (`# yaml-language-server: $schema=…`) and writes YAML 1.2, where `No` or `yes` is plain
// text that our reader (YAML 1.1) would take for false or true. This format, one per record type, writes
// the type's $schema line first, the keys in the form's order (the schema's) and YAML 1.1 quoting.
// index.html names the formats and their $schema references; Decap starts once they are registered.
import * as YAML from "./yaml/index.js";

const PREFIX = "# yaml-language-server: $schema=";
const formats = JSON.parse(document.getElementById("catalog-formats").textContent);

function ordered(items, keys) {
  const rank = (item) => {
    const at = keys.indexOf(String(item.key));
    return at < 0 ? keys.length : at;
  };
  return items.map((item, index) => [rank(item), index, item]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map((entry) => entry[2]);
}

for (const [name, schemaRef] of Object.entries(formats)) {
  window.CMS.registerCustomFormat(name, "yml", {
    fromFile(text) {
      return YAML.parse(text) ?? {};
    },
    toFile(data, sortedKeys = []) {
      const doc = new YAML.Document(data, { version: "1.1" });
      if (doc.contents && doc.contents.items) {
        doc.contents.items = ordered(doc.contents.items, sortedKeys);
      }
      return PREFIX + schemaRef + "\n" + doc.toString({ lineWidth: 0 });
    },
  });
}
window.CMS.init();
