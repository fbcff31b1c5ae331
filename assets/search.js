// The search page: Pagefind's JavaScript API behind a plain, accessible form.
// The query and filters live in the URL (?q=boplatser&parti=M), so a search can be
// linked and the back button works. Results are built as DOM nodes, never as HTML
// strings, except Pagefind's <mark> highlights, which are rebuilt as elements.

const FILTER_LABELS = {
  typ: "Typ", "nämnd": "Nämnd", parti: "Parti", person: "Person",
  "år": "År", program: "Program", "ämne": "Ämne",
};
const MAX_SUB_RESULTS = 3;

const form = document.querySelector(".search-form");
const input = document.getElementById("sokord");
const order = document.getElementById("sortering");
const filterPanel = document.querySelector(".filter-panel");
const filterBox = filterPanel.querySelector(".filters");
const status = document.querySelector(".search-status");
const list = document.querySelector(".results");
const bundle = form.dataset.pagefindBundle;
const shards = form.dataset.pagefindShards.split(" ").filter(Boolean);
let pagefind;
let allFilters = {};
let runId = 0;

function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const name of Object.keys(FILTER_LABELS)) {
    const values = params.getAll(name);
    if (values.length) filters[name] = values;
  }
  return { q: params.get("q") || "", order: params.get("ordning") || "datum", filters };
}

function stateFromForm() {
  const filters = {};
  for (const box of filterBox.querySelectorAll("input:checked")) {
    (filters[box.name] ||= []).push(box.value);
  }
  return { q: input.value.trim(), order: order.value, filters };
}

function urlFor(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (state.order !== "datum") params.set("ordning", state.order);
  for (const [name, values] of Object.entries(state.filters)) {
    for (const value of values) params.append(name, value);
  }
  const query = params.toString();
  return location.pathname + (query ? "?" + query : "");
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

// Pagefind excerpts are escaped text with <mark> around hits: keep only those marks.
function excerptNodes(excerpt) {
  const nodes = [];
  const parts = excerpt.split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === "<mark>") marked = true;
    else if (part === "</mark>") marked = false;
    else if (part) {
      // Decode entities inside a <p>, where leading and trailing spaces survive parsing.
      const text = new DOMParser().parseFromString(`<p>${part}</p>`, "text/html").body.textContent;
      nodes.push(marked ? element("mark", {}, text) : document.createTextNode(text));
    }
  }
  return nodes;
}

function renderFilters(available, state) {
  filterBox.replaceChildren();
  for (const [name, label] of Object.entries(FILTER_LABELS)) {
    const counts = available[name] || {};
    const chosen = state.filters[name] || [];
    const values = Object.keys(counts).filter((v) => counts[v] > 0 || chosen.includes(v)).sort((a, b) => a.localeCompare(b, "sv"));
    if (!values.length) continue;
    const fieldset = element("fieldset", { class: "filter" }, element("legend", {}, label));
    for (const value of values) {
      const id = `filter-${name}-${value}`.replace(/[^\p{L}\p{N}-]+/gu, "-");
      const box = element("input", { type: "checkbox", id, name, value });
      box.checked = chosen.includes(value);
      fieldset.append(element("div", { class: "filter-option" }, box,
        element("label", { for: id }, `${value} (${counts[value] || 0})`)));
    }
    filterBox.append(fieldset);
  }
  filterPanel.hidden = !filterBox.childElementCount;
  const chosenCount = Object.values(state.filters).flat().length;
  filterPanel.querySelector("summary").textContent =
    chosenCount ? `Filtrera träffarna (${chosenCount} valda)` : "Filtrera träffarna";
  if (chosenCount) filterPanel.open = true;
}

async function renderResult(result) {
  const data = await result.data();
  const title = data.meta.title || data.url;
  const item = element("li", { class: "result" },
    element("h2", { class: "result-title" }, element("a", { href: data.url }, title)));
  if (data.meta.datum) item.append(element("p", { class: "result-date" }, data.meta.datum));
  item.append(element("p", { class: "result-excerpt" }, ...excerptNodes(data.excerpt)));
  const subs = (data.sub_results || []).filter((sub) => sub.url !== data.url).slice(0, MAX_SUB_RESULTS);
  if (subs.length) {
    const subList = element("ul", { class: "sub-results" });
    for (const sub of subs) {
      subList.append(element("li", {}, element("a", { href: sub.url }, sub.title), " ",
        element("span", { class: "result-excerpt" }, ...excerptNodes(sub.excerpt))));
    }
    item.append(subList);
  }
  return item;
}

// The index comes in shards (generator/index.py): one a span of time, newest first, merged
// into the bundle's own index of the undated pages. Pagefind merges the shards'
// results by score, and for a sorted search a result's score is its position in its
// own shard's date order, so the merged order is not a date order. Each shard's
// weight therefore carries its number j in the fraction: score = position * (1 + j*STEP),
// which leaves relevance as it is (STEP is tiny) and lets "newest first" order results
// by shard, then by position. A sentinel page at position 0 of every shard keeps every
// real position above 0, where the number can be read back.
const MAX_POSITION = 2 ** 18; // pages in one shard
const STEP = 1 / (MAX_POSITION * (shards.length + 1));
let index;

function openIndex() {
  index ||= (async () => {
    const opened = pagefind.createInstance({ basePath: bundle });
    const weight = (j) => ({ excerptLength: 24, indexWeight: 1 + j * STEP });
    await opened.options(weight(shards.length));
    // Issued in order, so the shards are merged in order.
    await Promise.all(shards.map((shard, j) => opened.mergeIndex(shard, weight(j))));
    return opened;
  })();
  return index;
}

function shardAndPosition(score) {
  const position = Math.floor(score);
  return [Math.round((score - position) / (position * STEP)), position];
}

async function find(term, order, options) {
  const opened = await openIndex();
  if (order !== "datum") return opened.search(term, options);
  const search = await opened.search(term, { ...options, sort: { datum: "desc" } });
  const keyed = search.results.map((result) => [shardAndPosition(result.score), result])
    .filter(([[, position]]) => position > 0) // the sentinel
    .sort(([[a, p], ], [[b, q], ]) => a - b || q - p);
  return { ...search, results: keyed.map(([, result]) => result) };
}

function anyOf(filters) {
  // Within one filter any chosen value matches; across filters all must.
  return Object.fromEntries(Object.entries(filters).map(([name, values]) => [name, { any: values }]));
}

async function run(state) {
  const id = ++runId;
  input.value = state.q;
  order.value = state.order;
  const hasFilters = Object.keys(state.filters).length > 0;
  if (!state.q && !hasFilters) {
    renderFilters(allFilters, state);
    list.replaceChildren();
    status.textContent = "Skriv ett sökord eller välj ett filter.";
    return;
  }
  status.textContent = "Söker …";
  const search = await find(state.q || null, state.order, { filters: anyOf(state.filters) });
  if (id !== runId) return;
  renderFilters(search.filters, state);
  const items = await Promise.all(search.results.slice(0, 50).map(renderResult));
  if (id !== runId) return;
  list.replaceChildren(...items);
  const count = search.results.length;
  const what = state.q ? ` för ”${state.q}”` : "";
  status.textContent = count === 0 ? `Inga träffar${what}.` : `${count} ${count === 1 ? "träff" : "träffar"}${what}.`;
}

function submit(push) {
  const state = stateFromForm();
  const url = urlFor(state);
  if (url !== location.pathname + location.search) {
    (push ? history.pushState : history.replaceState).call(history, null, "", url);
  }
  run(state);
}

async function start() {
  pagefind = await import(bundle + "pagefind.js");
  // Loading the filter index first makes every search report its filter counts.
  allFilters = await (await openIndex()).filters();
  form.addEventListener("submit", (event) => { event.preventDefault(); submit(true); });
  filterBox.addEventListener("change", () => submit(true));
  order.addEventListener("change", () => submit(true));
  window.addEventListener("popstate", () => run(stateFromUrl()));
  await run(stateFromUrl());
}

start().catch((error) => {
  status.textContent = "Sökningen kunde inte startas.";
  console.error(error);
});
