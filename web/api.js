// The JSON API of `parley serve` (docs/serve.md), as the page uses it. Every
// call carries the session token that `parley serve` printed in the page's
// URL (?token=...), in the X-Parley-Token header.

const token = new URLSearchParams(window.location.search).get("token") || "";

/** An API error: `message` is the server's text (file:line:col when it has one). */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

// The readable text of an error body (docs/serve.md section 2): every
// problem as "file:line:column: message", the way `parley validate` prints.
function errorText(status, body) {
  const e = body && body.error;
  if (typeof e === "string") return e;
  if (e && typeof e === "object") {
    // A scenario sent by the page (What if) has no file the user can open:
    // its line and column are those of the server's canonical text, so only
    // the message is shown.
    const where = (p) =>
      p.file === "scenario" ? "edited scenario" : [p.file, p.line, p.column].filter((x) => x !== undefined && x !== null).join(":");
    // "bad.json:8:34: error: ...", as `parley validate` prints it
    const line = (p) => (where(p) ? where(p) + ": " + (/^(error|warning):/.test(p.message || "") ? "" : "error: ") : "") + (p.message || "");
    if (Array.isArray(e.problems) && e.problems.length) return e.problems.map(line).join("\n");
    return line(e) || e.code || "HTTP " + status;
  }
  return "HTTP " + status;
}

/** The text of an error object (a job's `error`, or an error body's). */
export function errorMessage(error) {
  return errorText(0, { error: error || "failed" });
}

/** Calls the API: `call("GET", "/api/scenario")` or `call("POST", "/api/evaluate", {...})`. */
export async function call(method, path, body, signal) {
  const init = { method, headers: { "X-Parley-Token": token }, signal };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      parsed = null;
    }
  }
  if (!response.ok) throw new ApiError(response.status, errorText(response.status, parsed), parsed);
  if (parsed === null && text) throw new ApiError(response.status, "the server's answer is not JSON", null);
  return parsed;
}

/** Fetches a non-JSON resource (an SVG) with the token. */
export async function fetchText(path) {
  const response = await fetch(path, { headers: { "X-Parley-Token": token } });
  const text = await response.text();
  if (!response.ok) {
    let parsed = null;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      parsed = null;
    }
    throw new ApiError(response.status, errorText(response.status, parsed), parsed);
  }
  return text;
}

export function withToken(path) {
  return path + (path.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls a job until it ends (docs/serve.md section 8), asking only for the
 * events not yet seen (?since=N). `onUpdate(job, events)` sees every state,
 * with `events` all the events so far; `isCancelled()` is checked between
 * polls and cancels the job on the server. Resolves with the last job
 * document (its `allEvents` holds every event).
 */
export async function pollJob(id, onUpdate, isCancelled, intervalMs = 100) {
  const events = [];
  let cancelSent = false;
  for (;;) {
    const job = unwrap(await call("GET", "/api/jobs/" + encodeURIComponent(id) + "?since=" + events.length));
    const from = typeof job.events_from === "number" ? job.events_from : events.length;
    (job.events || []).forEach((e, k) => {
      events[from + k] = e;
    });
    job.allEvents = events;
    onUpdate(job, events);
    if (isJobOver(job)) return job;
    if (!cancelSent && isCancelled && isCancelled()) {
      cancelSent = true;
      const after = unwrap(await call("POST", "/api/jobs/" + encodeURIComponent(id) + "/cancel", {}));
      if (isJobOver(after)) {
        after.allEvents = events;
        onUpdate(after, events);
        return after;
      }
    }
    await sleep(intervalMs);
  }
}

// The job answers are {"job": {...}} (docs/serve.md section 8).
function unwrap(answer) {
  return answer && answer.job && typeof answer.job === "object" ? answer.job : answer;
}

export function isJobOver(job) {
  return ["done", "failed", "cancelled"].includes(job.state);
}

/** A job's progress as a share 0..1, or null when it has none. */
export function jobShare(job) {
  const p = job && job.progress;
  if (!p || !p.total) return null;
  return Math.max(0, Math.min(1, p.done / p.total));
}
