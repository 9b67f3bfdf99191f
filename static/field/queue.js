/* Courtyard field queue: changes recorded on the phone, kept in IndexedDB until the server has them.
   Each change has its own id (the server's idempotency key) and a sequence number (oldest first).
   window.FieldQueue: add(change), all(), update(id, fields). No dependencies, no build step. */
(function () {
  'use strict';
  var DB = 'courtyard-field', STORE = 'changes', counter = 0;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: 'id' }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result;
        var store = tx.objectStore(STORE);
        result = work(store);
        tx.oncomplete = function () { db.close(); resolve(result && 'result' in result ? result.result : result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  window.FieldQueue = {
    add: function (change) {
      change.id = newId();
      change.seq = Date.now() * 1000 + (counter++ % 1000);
      change.made_at = new Date().toISOString();
      change.state = 'pending';
      return run('readwrite', function (store) { store.put(change); }).then(function () { return change; });
    },
    all: function () {
      return run('readonly', function (store) { return store.getAll(); }).then(function (rows) {
        return rows.sort(function (a, b) { return a.seq - b.seq; });
      });
    },
    update: function (id, fields) {
      return run('readwrite', function (store) {
        var request = store.get(id);
        request.onsuccess = function () {
          if (request.result) { store.put(Object.assign(request.result, fields)); }
        };
      });
    }
  };
}());
