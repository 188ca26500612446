// One crashlab-like process for the progress concurrency test: records `start` of each given
// scenario in the progress file through the built store (dist/), the way `crashlab start` does.
// argv: <progress file> <scenario id>...
const [file, ...ids] = process.argv.slice(2);
const { FileProgressStore } = await import(new URL('../../dist/adapters/progressStore.js', import.meta.url));
const { recordStart } = await import(new URL('../../dist/core/progress.js', import.meta.url));
const store = new FileProgressStore(file);
for (const id of ids) await store.update((progress) => recordStart(progress, id, Date.now()));
