/* The portal: search results, from Pagefind's bundle (built by generator/outputs/search.py).
 * Loaded by portal.js when the visitor first opens search. Pagefind picks the index of the page's
 * language (<html lang>) and fetches only the index chunks and result fragments a query needs. */
const PAGE_SIZE = 6; // results a phone shows at once; each costs a fragment download

// Pagefind's excerpts are HTML with <mark> around the hits: keep the text and the marks, nothing else.
function excerptNodes(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const out = document.createDocumentFragment();
  template.content.childNodes.forEach((node) => {
    if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  });
  return out;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "portal-search__result";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = (data.meta && data.meta.title) || data.url;
  const excerpt = document.createElement("p");
  excerpt.append(excerptNodes(data.excerpt || ""));
  item.append(link);
  if (data.meta && data.meta.column) {
    const column = document.createElement("span");
    column.className = "portal-search__column";
    column.textContent = data.meta.column;
    item.append(" ", column);
  }
  item.append(excerpt);
  return item;
}

export async function start(dialog) {
  const labels = JSON.parse(dialog.dataset.labels);
  const input = dialog.querySelector("input");
  const status = dialog.querySelector(".portal-search__status");
  const list = dialog.querySelector(".portal-search__results");
  const siteRoot = new URL(dialog.dataset.siteRoot, location.href);
  let pagefind;
  try {
    pagefind = await import(new URL("pagefind.js", new URL(dialog.dataset.bundle, location.href)).href);
    // Result URLs are relative to the site root, wherever the site is mounted (e.g. /invest/).
    // A chain or park named by the query comes before the projects that mention it (search.py).
    await pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 24, ranking: { metaWeights: { hub: 2 } } });
    await pagefind.init();
  } catch (error) {
    status.textContent = labels.failed;
    throw error;
  }

  let shown = [];
  let results = [];
  let more = null;
  let generation = 0; // results of an older query never land in the list of a newer one

  async function showNext() {
    const mine = generation;
    const next = results.slice(shown.length, shown.length + PAGE_SIZE);
    const data = await Promise.all(next.map((r) => r.data()));
    if (mine !== generation) return;
    data.forEach((d) => list.append(resultItem(d)));
    shown = shown.concat(next);
    if (more) more.remove();
    if (shown.length < results.length) {
      more = document.createElement("button");
      more.type = "button";
      more.className = "md-button portal-search__more";
      more.textContent = labels.more;
      more.addEventListener("click", () => showNext().then(() => {
        const links = list.querySelectorAll("a");
        links[shown.length - next.length]?.focus();
      }));
      list.after(more);
    }
  }

  async function run() {
    generation += 1;
    const query = input.value.trim();
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      if (more) more.remove();
      return;
    }
    const search = await pagefind.debouncedSearch(query, {}, 250);
    if (search === null) return; // a newer query replaced this one
    generation += 1;
    results = search.results;
    shown = [];
    list.replaceChildren();
    if (more) more.remove();
    // "1 page found", "2 pages found": the language's plural rule picks the label (one / other).
    const plural = new Intl.PluralRules(document.documentElement.lang).select(results.length);
    const count = plural === "one" && labels.count_one ? labels.count_one : labels.count;
    status.textContent = results.length ? count.replace("{n}", results.length) : labels.none;
    await showNext();
  }

  input.addEventListener("input", run);
  dialog.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  status.textContent = "";
  if (input.value.trim()) run();
}
