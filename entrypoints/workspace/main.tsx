import '@/components/styles.css';
import '@/components/workspace/workspace.css';
import '@/components/handoff/handoff.css';
import { readNewestReports } from '@/utils/workspace/first-read';
import { FIRST_SLICE } from '@/utils/workspace/open';

performance.mark('flagline:workspace-start');
// The newest reports are read first thing, with IndexedDB itself: the browser reads them while
// the page loads and runs the rest of its code (Dexie, Preact, the workspace), not after.
const firstRead = readNewestReports(indexedDB, FIRST_SLICE);
void import('./start').then(({ startWorkspace }) => startWorkspace(firstRead));
