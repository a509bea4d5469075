/** The edit model (docs/EDIT.md): types, rules, operations and undo history, all pure. */
export * from './chapters';
export * from './clip-edits';
export * from './ducking';
export { clipEnd, clipLength, editLength } from './geometry';
export * from './history';
export * from './history-json';
export type { NewId } from './ids';
export * from './markers';
export * from './model';
export * from './music';
export * from './placement';
export * from './ripple';
export * from './track-settings';
export * from './validate';
