/* pactnet dashboard: fetch the page's JSON twin and draw it. All text goes in through textContent. */
(function () {
  "use strict";
  var body = document.body;
  body.dataset.scriptAt = String(Math.round(performance.now()));
  var endpoint = body.dataset.endpoint;
  var page = body.dataset.page;
  var form = document.getElementById("controls");
  var chart = document.getElementById("chart");
  var status = document.getElementById("status");
  var empty = document.getElementById("empty");
  var table = document.getElementById("table");
  var config = {displaylogo: false, responsive: true, topojsonURL: "/static/topojson/",
                modeBarButtonsToRemove: ["sendDataToCloud"]};
  var seq = 0;
  var inFlight = false;
  var pending = false;

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function actorLink(id) { return el("a", id, {href: "/actor/" + encodeURIComponent(id)}); }

  function params() {
    var out = new URLSearchParams();
    if (!form) return out;
    Array.prototype.forEach.call(form.elements, function (e) {
      if (!e.name || e.name === "year" || e.name === "date") return;
      out.set(e.name, e.value);
    });
    var date = document.getElementById("f-date");
    var year = document.getElementById("f-year");
    if (year) out.set("at", date && date.value.trim() ? date.value.trim() : year.value);
    if (out.get("patron") === "" && page !== "network") out.delete("patron");
    ["level", "driver", "region", "actors", "indicator"].forEach(function (k) {
      if (out.get(k) === "") out.delete(k);
    });
    return out;
  }

  function renderTable(data) {
    table.textContent = "";
    var rows = [], head = [];
    if (page === "network") {
      head = ["pair", "strongest level", "ties"];
      data.pairs.forEach(function (p) {
        var tr = el("tr", null, {"data-pair": p.pair, "data-level": p.level});
        var td = el("td"); td.appendChild(actorLink(p.a)); td.appendChild(document.createTextNode(" – "));
        td.appendChild(actorLink(p.b)); tr.appendChild(td);
        tr.appendChild(el("td", p.level, {"class": "level " + p.level}));
        tr.appendChild(el("td", p.ties.join(", ")));
        rows.push(tr);
      });
    } else if (page === "map") {
      head = ["actor", "strongest level", "ties", "on the map"];
      data.countries.concat(data.not_on_map).forEach(function (c) {
        var tr = el("tr", null, {"data-actor": c.actor, "data-level": c.level});
        var td = el("td"); td.appendChild(actorLink(c.actor)); td.appendChild(document.createTextNode(" " + c.name));
        tr.appendChild(td); tr.appendChild(el("td", c.level, {"class": "level " + c.level}));
        tr.appendChild(el("td", c.ties.join(", "))); tr.appendChild(el("td", c.iso3 ? "yes" : "no (no territory)"));
        rows.push(tr);
      });
    } else if (page === "changes") {
      head = ["change", "partner", "kind", "level", "from", "to", "tie"];
      ["added", "ended", "transient"].forEach(function (label) {
        data[label].filter(function (t) { return !t.via; }).forEach(function (t) {
          var tr = el("tr", null, {"data-change": label, "data-tie": t.id});
          tr.appendChild(el("td", label));
          var td = el("td"); td.appendChild(actorLink(t.partner)); tr.appendChild(td);
          [t.kind, t.level, t.start, t.end || "open", t.id].forEach(function (v) { tr.appendChild(el("td", v)); });
          rows.push(tr);
        });
      });
    }
    if (!rows.length) return;
    var t = el("table"), thead = el("thead"), hr = el("tr"), tb = el("tbody");
    head.forEach(function (h) { hr.appendChild(el("th", h)); });
    thead.appendChild(hr); t.appendChild(thead);
    rows.forEach(function (r) { tb.appendChild(r); });
    t.appendChild(tb); table.appendChild(t);
  }

  function update() {
    /* One request at a time: while one is under way, remember that the controls changed and ask again when it
       returns, so a dragged slider never queues stale requests and the last position is always drawn. */
    if (inFlight) { pending = true; return; }
    inFlight = true;
    pending = false;
    var mine = ++seq;
    var q = params();
    status.textContent = "loading…";
    body.dataset.state = "loading";
    var t0 = performance.now();
    var initial = mine === 1 ? document.getElementById("initial-data") : null;
    var got = initial ? Promise.resolve({ok: true, json: JSON.parse(initial.textContent)}) :
      fetch(endpoint + "?" + q.toString(), {headers: {"Accept": "application/json"}}).then(function (r) {
        return r.json().then(function (j) { return {ok: r.ok, json: j}; });
      });
    got.then(function (res) {
      inFlight = false;
      if (pending) { update(); return; }
      var t1 = performance.now();
      var j = res.json;
      if (!res.ok) {
        status.textContent = "Error: " + j.error;
        body.dataset.state = "error";
        return;
      }
      if (j.available === false) {
        empty.hidden = false;
        empty.textContent = j.reason;
        chart.hidden = true;
        status.textContent = "no data";
        body.dataset.state = "empty";
        return;
      }
      empty.hidden = true;
      chart.hidden = false;
      var draw = Plotly.react(chart, j.figure.data, j.figure.layout, config);
      renderTable(j);
      history.replaceState(null, "", location.pathname + "?" + q.toString());
      Promise.resolve(draw).then(function () {
        if (mine !== seq) return;
        var t2 = performance.now();
        var ms = Math.round(t2 - t0);
        body.dataset.fetchMs = String(Math.round(t1 - t0));
        body.dataset.drawMs = String(Math.round(t2 - t1));
        var when = j.at && j.at.length === 4 ? "the end of " + j.at : j.at;
        status.textContent = (when ? "at " + when + " · " : "") + "drawn in " + ms + " ms";
        body.dataset.state = "ready";
        body.dataset.seq = String(mine);
        body.dataset.at = j.at || "";
      });
    }).catch(function (err) {
      inFlight = false;
      if (pending) { update(); return; }
      status.textContent = "Error: " + err;
      body.dataset.state = "error";
    });
  }

  if (form) {
    form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
    var year = document.getElementById("f-year");
    var out = document.getElementById("year-out");
    var date = document.getElementById("f-date");
    if (year) year.addEventListener("input", function () {
      out.textContent = year.value;
      if (date) date.value = "";
      update();
    });
    if (date) date.addEventListener("change", function () { update(); });
    form.addEventListener("change", function (e) {
      if (e.target === year || e.target === date) return;
      update();
    });
  }
  if (endpoint) {
    update();
    var hook = setInterval(function () {
      if (chart && chart.on) {
        clearInterval(hook);
        chart.on("plotly_click", function (ev) {
          var pt = ev.points && ev.points[0];
          if (pt && typeof pt.customdata === "string") location.href = "/actor/" + encodeURIComponent(pt.customdata);
        });
      }
    }, 200);
  }
}());
