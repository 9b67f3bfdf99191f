/* Courtyard field pages: installable and kept for offline use (service worker + Cache Storage), and the
   collection-day sheet recording on the phone first (FieldQueue) and syncing when the signal returns.
   Without this script the page's plain forms post as before. No dependencies, no build step. */
(function () {
  'use strict';
  var CACHE = 'courtyard-field-v1';
  var script = document.currentScript;
  document.documentElement.classList.add('js');

  function keepForOffline() {  // what the service worker has not seen yet: no second request for what it has
    if (!('caches' in window) || !navigator.onLine) { return; }
    var urls = navigator.serviceWorker && navigator.serviceWorker.controller ? [] : [location.pathname];
    document.querySelectorAll('link[rel=stylesheet], link[rel=manifest], link[rel=apple-touch-icon], link[rel=icon], script[src]')
      .forEach(function (el) { urls.push(el.href || el.src); });
    document.querySelectorAll('[data-field-keep]').forEach(function (a) { urls.push(a.getAttribute('href')); });
    caches.open(CACHE).then(function (cache) {
      urls.forEach(function (url) {
        cache.match(url).then(function (hit) { return hit || cache.add(url); }).catch(function () {});
      });
    });
  }

  if ('serviceWorker' in navigator && script && script.dataset.sw) {
    navigator.serviceWorker.register(script.dataset.sw).catch(function () {});
  }
  keepForOffline();

  // Logging out on a shared phone drops the kept pages (names of households); unsent changes stay queued.
  document.querySelectorAll('form[action$="/logout"]').forEach(function (form) {
    form.addEventListener('submit', function () { if ('caches' in window) { caches.delete(CACHE); } });
  });

  var sheet = document.getElementById('field-sheet');
  if (!sheet || !window.FieldQueue) { return; }
  var texts = JSON.parse(document.getElementById('field-texts').textContent);
  var roundId = Number(sheet.dataset.round), syncing = false, problem = '', refetch = false;
  var status = document.getElementById('sync-status'), problems = document.getElementById('sync-problems');

  function t(key, values) {
    return texts[key].replace(/\{(\w+)\}/g, function (m, name) { return values && name in values ? values[name] : m; });
  }
  function lineOf(householdId, itemId) {
    return sheet.querySelector('.hh-card[data-household="' + householdId + '"] .hh-line[data-item="' + itemId + '"]');
  }
  function clock(iso) { var d = new Date(iso); return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2); }

  function showRecorded(line, accepted, rejected, reason, waiting) {
    var form = line.querySelector('form');
    if (form) { form.remove(); }
    var result = line.querySelector('.line-result');
    if (!result) { result = document.createElement('p'); result.className = 'line-result'; line.appendChild(result); }
    result.textContent = t('result', { accepted: accepted, rejected: rejected }) + (rejected && reason ? ' (' + reason + ')' : '');
    if (waiting) {
      var tag = document.createElement('span');
      tag.className = 'waiting-tag';
      tag.textContent = texts.waiting;
      result.appendChild(document.createTextNode(' '));
      result.appendChild(tag);
    }
    line.dataset.recorded = '1';
    line.dataset.accepted = String(accepted);
  }

  function refreshCards() {
    sheet.querySelectorAll('.hh-card').forEach(function (card) {
      var open = card.querySelectorAll('.hh-line[data-recorded="0"]:not([data-units="0"])').length;
      if (!open && !card.classList.contains('done')) {
        card.classList.add('done');
        card.open = false;
        var state = card.querySelector('.hh-state');
        state.textContent = state.dataset.doneText;
        var button = card.querySelector('.card-all-good');
        if (button) { button.remove(); }
      }
    });
    sheet.querySelectorAll('.field-totals li').forEach(function (li) {
      var sum = 0;
      sheet.querySelectorAll('.hh-line[data-item="' + li.dataset.item + '"]').forEach(function (line) {
        sum += Number(line.dataset.accepted || 0);
      });
      li.querySelector('.total-accepted').textContent = String(sum);
    });
  }

  function showProblem(change) {
    var card = sheet.querySelector('.hh-card[data-household="' + change.household_id + '"]');
    var li = document.createElement('li');
    li.className = 'sync-problem outcome-' + change.state;
    li.dataset.household = change.household_id;
    var text = (card ? card.querySelector('.hh-name').textContent + ': ' : '') + change.message + ' ' +
      t('yours', { accepted: change.accepted, rejected: change.rejected });
    if (change.other) {
      text += ' · ' + t('theirs', { by: change.other.by || '—', accepted: change.other.accepted, rejected: change.other.rejected });
    }
    li.textContent = text;
    problems.appendChild(li);
  }

  function render(changes) {
    var waiting = changes.filter(function (c) { return c.state === 'pending'; });
    problems.textContent = '';
    sheet.querySelectorAll('.waiting-tag').forEach(function (tag) { tag.remove(); });
    changes.forEach(function (c) {
      if (c.round_id !== roundId) { return; }
      var line = lineOf(c.household_id, c.item_id);
      if (line && (c.state === 'pending' || line.querySelector('form'))) {  // the page does not know it yet
        var kept = c.state === 'kept_other' && c.other ? c.other : c;
        showRecorded(line, kept.accepted, kept.rejected, kept.reason, c.state === 'pending');
      }
      if (['kept_other', 'replaced', 'closed', 'refused'].indexOf(c.state) >= 0) { showProblem(c); }
    });
    refreshCards();
    var words;
    if (waiting.length) {
      words = t('unsynced', { n: waiting.length }) + ' · ' + t('since', { time: clock(waiting[0].made_at) });
      if (problem) { words += ' — ' + problem; }
    } else {
      words = texts.synced;
    }
    status.textContent = words;
    status.classList.toggle('has-waiting', waiting.length > 0);
  }

  function redraw() { return FieldQueue.all().then(render); }

  function send(changes) {
    var body = changes.map(function (c) {
      return { id: c.id, round_id: c.round_id, household_id: c.household_id, item_id: c.item_id,
               accepted: c.accepted, rejected: c.rejected, reason: c.reason, made_at: c.made_at };
    });
    return fetch(sheet.dataset.tokenUrl, { credentials: 'same-origin', cache: 'no-store' }).then(function (response) {
      if (response.redirected || !response.ok) { throw { login: response.redirected || response.status === 403, status: response.status }; }
      return response.json();
    }).then(function (token) {
      return fetch(sheet.dataset.syncUrl, {
        method: 'POST', credentials: 'same-origin', cache: 'no-store',
        headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token.csrf_token },
        body: JSON.stringify({ changes: body })
      });
    }).then(function (response) {
      if (response.redirected) { throw { login: true }; }
      if (!response.ok) { throw { status: response.status }; }
      return response.json();
    }).then(function (answer) {
      return Promise.all(answer.results.map(function (r) {
        var state = ['applied', 'same'].indexOf(r.outcome) >= 0 ? 'synced' : r.outcome;
        return FieldQueue.update(r.change_id, { state: state, outcome: r.outcome, message: r.message, other: r.other });
      })).then(function () {  // a shortfall moved units to other households: fetch the sheet's new figures
        if (answer.results.some(function (r) { return r.reallocated; })) { refetch = true; }
      });
    });
  }

  function sync() {
    if (syncing) { return Promise.resolve(); }
    syncing = true;
    return FieldQueue.all().then(function (changes) {
      var waiting = changes.filter(function (c) { return c.state === 'pending'; });
      if (!waiting.length) { return null; }
      status.textContent = texts.syncing;
      return send(waiting.slice(0, 100)).then(function () { problem = ''; });
    }).catch(function (error) {
      if (error && error.login) { problem = texts.login; }
      else if (error && error.status) { problem = t('server_error', { status: error.status }); }
      else { problem = texts.offline; }
    }).then(function () { syncing = false; return redraw(); }).then(function () {
      return FieldQueue.all().then(function (changes) {
        if (!problem && changes.some(function (c) { return c.state === 'pending'; })) { return sync(); }
        if (refetch && !problem && !sheet.querySelector('form.line-form.edited')) { location.reload(); }
        return null;
      });
    });
  }

  function record(form, accepted, rejected, reason) {
    var line = form.closest('.hh-line');
    var card = form.closest('.hh-card');
    return FieldQueue.add({ round_id: roundId, household_id: Number(card.dataset.household), item_id: Number(line.dataset.item),
                            accepted: accepted, rejected: rejected, reason: reason });
  }

  function fail(form, message) {
    var note = form.querySelector('.line-error');
    if (!note) { note = document.createElement('p'); note.className = 'form-error line-error'; note.setAttribute('role', 'alert'); form.prepend(note); }
    note.textContent = message;
  }

  sheet.addEventListener('click', function (event) {
    var button = event.target.closest('button');
    if (!button) { return; }
    if (button.classList.contains('step')) {
      var input = document.getElementById(button.dataset.for);
      var value = Math.max(Number(input.min || 0), Math.min(Number(input.max || 10000), (Number(input.value) || 0) + Number(button.dataset.step)));
      input.value = String(value);
      input.form.classList.add('edited');
      showReasons(input.form);
    } else if (button.classList.contains('chip')) {
      var text = button.closest('fieldset').querySelector('input[name=reason]');
      text.value = button.dataset.reason;
      button.closest('.reason-chips').querySelectorAll('.chip').forEach(function (chip) { chip.setAttribute('aria-pressed', String(chip === button)); });
    } else if (button.classList.contains('card-all-good')) {
      allGood(button.closest('.hh-card')).then(afterRecording);
    } else if (button.id === 'all-good-all') {
      if (!window.confirm(texts.confirm_all)) { return; }
      var cards = Array.prototype.slice.call(sheet.querySelectorAll('.hh-card:not(.done)'));
      cards.reduce(function (done, card) { return done.then(function () { return allGood(card); }); }, Promise.resolve()).then(afterRecording);
    }
  });

  function showReasons(form) {  // the reason picker only when something is rejected
    var fieldset = form.querySelector('fieldset.reasons');
    if (fieldset) { fieldset.hidden = !(Number(form.elements.rejected.value) > 0); }
  }
  sheet.querySelectorAll('form.line-form').forEach(showReasons);
  sheet.addEventListener('input', function (event) {
    if (event.target.form) { event.target.form.classList.add('edited'); }
    if (event.target.name === 'rejected') { showReasons(event.target.form); }
  });

  function allGood(card) {
    var forms = Array.prototype.slice.call(card.querySelectorAll('form.line-form'));
    return forms.reduce(function (done, form) {
      return done.then(function () { return record(form, Number(form.closest('.hh-line').dataset.units), 0, ''); });
    }, Promise.resolve());
  }

  function afterRecording() { return redraw().then(sync); }

  sheet.addEventListener('submit', function (event) {
    var form = event.target.closest('form.line-form');
    if (!form) { return; }
    event.preventDefault();
    var accepted = Number(form.elements.accepted.value), rejected = Number(form.elements.rejected.value);
    var reason = form.elements.reason.value.trim(), top = Number(form.elements.accepted.max);
    if (!(accepted >= 0 && accepted <= top && Math.floor(accepted) === accepted && rejected >= 0 && Math.floor(rejected) === rejected)) {
      fail(form, form.elements.accepted.max ? '0 – ' + top : '');
      return;
    }
    if (rejected && !reason) { fail(form, texts.need_reason); return; }
    record(form, accepted, rejected, reason).then(afterRecording);
  });

  var search = document.getElementById('field-search');
  search.addEventListener('input', function () {
    var query = search.value.trim().toLowerCase();
    sheet.querySelectorAll('.hh-card').forEach(function (card) {
      card.hidden = query !== '' && card.dataset.search.toLowerCase().indexOf(query) < 0;
      if (query && !card.hidden && card.classList.contains('done')) { card.open = true; }
    });
  });

  window.addEventListener('online', sync);
  window.addEventListener('offline', function () { problem = texts.offline; redraw(); });
  setInterval(function () { if (navigator.onLine) { sync(); } }, 30000);
  redraw().then(function () { return navigator.onLine ? sync() : null; });
}());
