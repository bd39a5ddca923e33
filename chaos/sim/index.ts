export { startSim, type RunningSim, type StartSimOptions } from './start-sim.js';
export { MemoryStore } from './store/memory-store.js';
export { SimApiError } from './store/errors.js';
export type { SimObject, SimStore, WatchEvent } from './store/types.js';
