/** The lab's screens. Views only: they render what the root component hands them, never call services, never read keys. */
export * from './state.js';
export * from './frame.js';
export * from './preflight.js';
export * from './cluster.js';
export * from './picker.js';
export * from './lab.js';
export * from './diagnose.js';
export * from './fix.js';
export * from './verify.js';
export * from './debrief.js';
