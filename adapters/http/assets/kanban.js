// The kanban page: a client of the Mission Status API v1 (read-only). It reads the missions,
// draws the selected one as nine lane columns, and keeps it live through /api/v1/events.
"use strict";

const LANES = ["planned", "claimed", "in_progress", "for_review", "in_review", "approved", "done", "blocked", "canceled"];
const LANE_NAMES = {
  planned: "Planned", claimed: "Claimed", in_progress: "In progress", for_review: "For review",
  in_review: "In review", approved: "Approved", done: "Done", blocked: "Blocked", canceled: "Canceled",
};
const API = "/api/v1";
const state = { missions: [], missionId: null, detail: null, wps: new Map(), source: null };
window.__kanbanLoadedAt = Date.now();

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

async function getJson(path) {
  const response = await fetch(API + path, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(`${body.title || response.status}: ${body.detail || ""}`);
  return body;
}

function age(iso) {
  if (!iso) return null;
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 60) return "just now";
  const units = [[86400, "d"], [3600, "h"], [60, "m"]];
  for (const [size, unit] of units) if (seconds >= size) return `${Math.floor(seconds / size)}${unit} ago`;
  return "just now";
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

async function loadProject() {
  try {
    const project = await getJson("/project");
    const parts = [el("b", { text: project.name })];
    if (project.currentBranch) parts.push(document.createTextNode(` · ${project.currentBranch}`));
    parts.push(document.createTextNode(` · ${project.missionCount} mission${project.missionCount === 1 ? "" : "s"}`));
    $("project").replaceChildren(...parts);
  } catch (error) {
    $("project").textContent = "";
  }
}

async function loadMissions() {
  const items = [];
  let cursor = null;
  do {
    const page = await getJson(`/missions?pageSize=200${cursor ? `&pageCursor=${encodeURIComponent(cursor)}` : ""}`);
    items.push(...page.items);
    cursor = page.pageInfo.nextPageCursor;
  } while (cursor);
  state.missions = items;
  const select = $("mission-select");
  select.replaceChildren(...items.map((m) => el("option", {
    value: m.missionId,
    text: `${m.friendlyName} · ${m.mid8} · ${m.lifecycleStatus}`,
  })));
  $("empty").hidden = items.length > 0;
  const wanted = new URLSearchParams(location.hash.slice(1)).get("mission");
  const pick = items.find((m) => m.missionId === wanted) || items.find((m) => m.lifecycleStatus === "active") || items[0];
  if (pick) {
    select.value = pick.missionId;
    await selectMission(pick.missionId);
  }
}

async function selectMission(missionId) {
  state.missionId = missionId;
  history.replaceState(null, "", `#mission=${missionId}`);
  await loadDetail();
  connect();
}

async function loadDetail() {
  try {
    const detail = await getJson(`/missions/${state.missionId}`);
    state.detail = detail;
    state.wps = new Map(detail.workPackages.map((wp) => [wp.wpId, { summary: wp, full: null }]));
    renderHead();
    renderBoard();
    showError("");
    await Promise.all(detail.workPackages.map((wp) => loadWorkPackage(wp.wpId)));
  } catch (error) {
    showError(`Cannot read the mission: ${error.message}`);
  }
}

async function loadWorkPackage(wpId) {
  try {
    const full = await getJson(`/missions/${state.missionId}/work-packages/${wpId}`);
    const entry = state.wps.get(wpId);
    if (!entry) return;
    entry.full = full;
    entry.summary.statusLane = full.statusLane;
    entry.summary.lastTransitionAt = full.lastTransitionAt;
    renderCard(wpId);
  } catch (error) {
    // The summary stays on the board; the card lacks the actor and review state.
  }
}

function renderHead() {
  const d = state.detail;
  $("mission-head").hidden = false;
  $("mission-name").textContent = d.friendlyName;
  const badge = $("mission-lifecycle");
  badge.textContent = d.lifecycleStatus;
  badge.className = `badge ${d.lifecycleStatus}`;
  $("mission-meta").textContent = `${d.slug} · → ${d.targetBranch} · ${d.topology} · ${d.eventCount} events`;
  const pct = d.progress.weightedPercentage;
  $("progress-fill").style.width = `${pct}%`;
  $("progress").setAttribute("aria-valuenow", String(pct));
  $("progress-text").textContent = `${pct.toFixed(1)}% ready · ${d.progress.doneCount}/${d.wpTotal} done`;
  $("phases").replaceChildren(...d.phases.map((p) => el("li", { class: p.status, text: p.name, title: `${p.name}: ${p.status.replace("_", " ")} (${p.basis.replaceAll("_", " ")})` })));
  const next = $("next-action");
  next.hidden = !d.nextAction;
  next.textContent = d.nextAction ? `Next: ${d.nextAction}` : "";
}

function renderBoard() {
  const board = $("board");
  board.replaceChildren(...LANES.map((lane) => el("div", { class: "column", "data-lane": lane },
    el("header", {}, el("span", { text: LANE_NAMES[lane] }), el("span", { class: "count", text: "0" })),
    el("div", { class: "cards" }))));
  for (const wpId of [...state.wps.keys()].sort()) renderCard(wpId);
  updateCounts();
}

function cardFor(wpId) {
  const entry = state.wps.get(wpId);
  const wp = entry.summary;
  const full = entry.full;
  const chips = [];
  // Who moved it last matters once work started; a planned card's actor is the planner.
  const actor = wp.statusLane !== "planned" && full && full.actor && full.actor.tool;
  if (actor) chips.push(el("span", { class: "chip actor", text: full.actor.role ? `${actor} · ${full.actor.role}` : actor }));
  const when = age(wp.lastTransitionAt);
  if (when) chips.push(el("span", { class: "chip age", text: when, title: wp.lastTransitionAt }));
  if (wp.subtaskProgress && wp.subtaskProgress.total) chips.push(el("span", { class: "chip", text: `${wp.subtaskProgress.done}/${wp.subtaskProgress.total} subtasks` }));
  const review = full && full.review;
  if (review && review.override) chips.push(el("span", { class: "chip override", text: review.override.complete ? "review overridden" : "override (partial)" }));
  else if (review && review.latestResult) {
    const verdict = review.latestResult.verdict;
    chips.push(el("span", { class: `chip ${verdict === "approved" ? "approved" : "changes"}`, text: verdict === "approved" ? "review approved" : "changes requested" }));
  }
  if (wp.statusLane === "planned") {
    if (wp.readyToStart) chips.push(el("span", { class: "chip ready", text: "ready" }));
    else if (wp.readiness && wp.readiness.unsatisfied.length) chips.push(el("span", { class: "chip waiting", text: `waits on ${wp.readiness.unsatisfied.join(", ")}` }));
  }
  return el("article", { class: "card", "data-wp": wp.wpId, "data-lane": wp.statusLane || "" },
    el("div", { class: "id", text: wp.wpId }),
    el("div", { class: "title", text: wp.title }),
    el("div", { class: "row" }, ...chips));
}

function renderCard(wpId, moved = false) {
  const entry = state.wps.get(wpId);
  if (!entry) return;
  const lane = entry.summary.statusLane || "planned";
  const column = document.querySelector(`.column[data-lane="${lane}"] .cards`);
  if (!column) return;
  const old = document.querySelector(`.card[data-wp="${wpId}"]`);
  const card = cardFor(wpId);
  if (moved) card.classList.add("moved");
  if (old && old.parentElement === column) {
    old.replaceWith(card);
  } else {
    if (old) old.remove();
    const after = [...column.children].find((c) => c.dataset.wp > wpId);
    column.insertBefore(card, after || null);
  }
  updateCounts();
}

function updateCounts() {
  for (const column of document.querySelectorAll(".column")) {
    const n = column.querySelectorAll(".card").length;
    column.querySelector(".count").textContent = String(n);
  }
}

function setLive(mode, text) {
  $("live").className = `live ${mode}`;
  $("live-text").textContent = text;
}

function connect() {
  if (state.source) state.source.close();
  const source = new EventSource(`${API}/events?missionId=${state.missionId}`);
  state.source = source;
  source.onopen = () => setLive("on", "live");
  source.onerror = () => setLive("off", "reconnecting");
  source.addEventListener("status-transition", (message) => {
    const event = JSON.parse(message.data);
    if (event.missionId !== state.missionId) return;
    const entry = state.wps.get(event.wpId);
    if (!entry) { loadDetail(); return; }
    entry.summary.statusLane = event.toStatusLane;
    entry.summary.lastTransitionAt = event.at;
    if (entry.full) entry.full.actor = event.actor;
    renderCard(event.wpId, true);
    refreshHead();
    loadWorkPackage(event.wpId);
  });
  source.addEventListener("mission-lifecycle", () => loadDetail());
  source.addEventListener("log-truncated", () => {
    // The stored position is stale: read the mission again and resume from its cursor.
    source.close();
    loadDetail().then(connect);
  });
}

let headTimer = null;
function refreshHead() {
  clearTimeout(headTimer);
  headTimer = setTimeout(async () => {
    try {
      const detail = await getJson(`/missions/${state.missionId}`);
      state.detail = detail;
      for (const wp of detail.workPackages) {
        const entry = state.wps.get(wp.wpId);
        if (entry) entry.summary = wp;
      }
      renderHead();
    } catch (error) { /* the next event retries */ }
  }, 150);
}

$("mission-select").addEventListener("change", (e) => selectMission(e.target.value));
setInterval(() => { for (const wpId of state.wps.keys()) renderCard(wpId); }, 60000);
loadProject();
loadMissions().catch((error) => showError(`Cannot list the missions: ${error.message}`));
