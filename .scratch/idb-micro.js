(async (reports) => {
    const open = (name, stores) =>
      new Promise((resolve, reject) => {
        indexedDB.deleteDatabase(name);
        const r = indexedDB.open(name, 1);
        r.onupgradeneeded = () => {
          for (const [store, key, indexes] of stores) {
            const s = r.result.createObjectStore(store, key ? { keyPath: key } : { autoIncrement: true });
            for (const [n, p] of indexes) s.createIndex(n, p);
          }
        };
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const db = await open('micro', [
      ['full5', 'id', [['status', 'status'], ['createdAt', 'createdAt'], ['nextAttemptAt', 'nextAttemptAt'], ['sc', ['status', 'createdAt']]]],
      ['full1', 'id', [['sc', ['status', 'createdAt']]]],
      ['small1', 'id', [['sc', ['status', 'createdAt']]]],
      ['batch', 'id', []],
    ]);
    const tx = (store, fn) =>
      new Promise((resolve, reject) => {
        const t = db.transaction(store, 'readwrite');
        fn(t.objectStore(store));
        t.oncomplete = () => resolve();
        t.onerror = () => reject(t.error);
      });
    const now = Date.now();
    const time = async (label, fn) => {
      const s = performance.now();
      await fn();
      return [label, Math.round(performance.now() - s)];
    };
    const results = [];
    for (const [store, small] of [['full5', false], ['full1', false], ['small1', true]]) {
      results.push(await time(`${store} 20x50 puts`, async () => {
        for (let b = 0; b < 20; b++)
          await tx(store, (s) => {
            for (let k = 0; k < 50; k++) {
              const report = reports[b * 50 + k];
              s.put(small ? { id: report.id, status: 'waiting', createdAt: now + b * 50 + k, attempts: 0 } : { id: report.id, report, status: 'waiting', createdAt: now + b * 50 + k, updatedAt: now, attempts: 0, nextAttemptAt: now });
            }
          });
      }));
      results.push(await time(`${store} 20x50 re-puts sent`, async () => {
        for (let b = 0; b < 20; b++)
          await tx(store, (s) => {
            for (let k = 0; k < 50; k++) {
              const report = reports[b * 50 + k];
              s.put(small ? { id: report.id, status: 'sent', createdAt: now + b * 50 + k, attempts: 1, receipt: 'r-' + k } : { id: report.id, report, status: 'sent', createdAt: now + b * 50 + k, updatedAt: now, attempts: 1, nextAttemptAt: now, receipt: 'r-' + k });
            }
          });
      }));
    }
    results.push(await time(`batch 20 rows of 50 bodies`, async () => {
      for (let b = 0; b < 20; b++) await tx('batch', (s) => s.put({ id: 'b' + b, body: JSON.stringify({ reports: reports.slice(b * 50, b * 50 + 50) }) }));
    }));
    results.push(await time(`20 empty txns`, async () => {
      for (let b = 0; b < 20; b++) await tx('batch', (s) => s.put({ id: 'e', x: 1 }));
    }));
    db.close();
    return results;
  })